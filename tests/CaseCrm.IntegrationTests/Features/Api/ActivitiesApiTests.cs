using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>
/// /api/v1/activities…, on SQLite and PostgreSQL: the views of "Mis actividades" (another owner's only for a supervisor) and a
/// case's or contact's activities, by a cursor that pages through every row once; create with the activity form's
/// validator (422 field errors) and the domain's rules (422 with their CASE-RULE code), in the request's language; complete
/// and cancel with the owner's-or-supervisor's rule; nothing written on a refusal.
/// </summary>
public abstract class ActivitiesApiTests(CrmWebFactory factory)
{
    private sealed record Item(int Id, string Subject, string Status, string OwnerId, int? CaseId, int? ContactId, DateTime? ScheduledAt);

    private sealed record Page(List<Item> Items, string? NextCursor);

    [Fact]
    public async Task Create_LogsACallRegardingACase_201WithLocation_AndTheCasesHistory()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync();
        var (user, api) = await factory.NewApiUserAsync(Roles.Agent);

        using var response = await api.PostAsJsonAsync("/api/v1/activities", new
        {
            type = "Call", subject = "Llamada del cliente", direction = "Incoming", phone = "+34 600 11 22 33", durationMinutes = 5,
            startAt = "2026-12-01T10:30:00+01:00", regardingType = "Case", regardingId = item.Id,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/activities/{id}", response.Headers.Location?.AbsolutePath);
        Assert.Equal(("Call", "Open", "Incoming", user.Id), (created.GetProperty("type").GetString(), created.GetProperty("status").GetString(), created.GetProperty("direction").GetString(), created.GetProperty("ownerId").GetString()));
        Assert.Equal("2026-12-01T09:30:00Z", created.GetProperty("startAt").GetString());
        var stored = await factory.InDbAsync(db => db.Activities.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal((item.Id, data.Contact.Id, data.Account.Id), (stored.CaseId, stored.AroundContactId, stored.AroundAccountId));
        Assert.Contains(await factory.HistoryAsync(item.Id), h => h.Field == HistoryField.ActivityAdded && h.NewValue == "Llamada del cliente");
        Assert.Equal(id, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/activities/{id}")).GetProperty("id").GetInt32());
    }

    [Theory]
    [InlineData(null, "Escriba el asunto.", "Indique si la llamada es entrante o saliente.", "El registro elegido en «Referente a» no existe.")]
    [InlineData("en", "Enter the subject.", "Say whether the call is incoming or outgoing.", "The record chosen in \"Regarding\" does not exist.")]
    public async Task ABadActivity_Is422_FieldErrorsOrTheDomainsCode_InTheRequestsLanguage_AndChangesNothing(
        string? language, string subjectRequired, string callNeedsDirection, string regardingNotFound)
    {
        var data = await factory.NewDataAsync();
        var (_, api) = await factory.NewApiUserAsync(Roles.Agent);

        var (status, problem) = await factory.RefusedAsync(api, c => c.SendJsonAsync(HttpMethod.Post, "/api/v1/activities", new { type = "Task", subject = "", durationMinutes = -1 }, language));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(subjectRequired, problem.FieldError("subject"));
        Assert.True(problem.GetProperty("errors").TryGetProperty("durationMinutes", out _));

        (status, problem) = await factory.RefusedAsync(api, c => c.SendJsonAsync(HttpMethod.Post, "/api/v1/activities", new { type = "Call", subject = "Sin dirección", regardingType = "Contact", regardingId = data.Contact.Id }, language));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(("CASE-RULE-49", callNeedsDirection), (problem.GetProperty("code").GetString(), problem.GetProperty("detail").GetString()));

        (status, problem) = await factory.RefusedAsync(api, c => c.SendJsonAsync(HttpMethod.Post, "/api/v1/activities", new { type = "Task", subject = "De nadie", regardingType = "Case", regardingId = 2147483000 }, language));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(("CASE-RULE-45", regardingNotFound), (problem.GetProperty("code").GetString(), problem.GetProperty("detail").GetString()));

        // Odd input a client may send: a null attendee, nulls where values are optional.
        (status, problem) = await factory.RefusedAsync(api, c => c.PostAsync("/api/v1/activities", new StringContent(
            "{\"type\": \"Appointment\", \"subject\": \"Visita\", \"startAt\": \"2026-12-10T10:00:00Z\", \"endAt\": \"2026-12-10T11:00:00Z\", \"attendeeIds\": [null], \"priority\": null, \"ownerId\": null}",
            System.Text.Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("CASE-RULE-48", problem.GetProperty("code").GetString());

        foreach (var body in new[] { "{\"type\": \"Reunión\", \"subject\": \"X\"}", "{\"subject\": \"X\", \"regardingId\": 99999999999}", "{\"subject\": \"X\", \"dueAt\": \"mañana\"}" })
        {
            (status, _) = await factory.RefusedAsync(api, c => c.PostAsync("/api/v1/activities", new StringContent(body, System.Text.Encoding.UTF8, "application/json")));
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }
    }

    [Theory]
    [InlineData("Overdue")]
    [InlineData("All")]
    public async Task TheCursor_PagesThroughAViewOnce_InItsOrder(string view)
    {
        var data = await factory.NewDataAsync();
        var (user, api) = await factory.NewApiUserAsync(Roles.Agent);
        var due = DateTime.UtcNow.AddHours(-3);
        var ids = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            // Two by two at the same due time: the cursor's tie-break on the id is needed.
            ids.Add(await TaskAsync(user.Id, new Regarding(RegardingType.Contact, data.Contact.Id), due.AddMinutes(i / 2)));
        }

        var seen = await AllPagesAsync(api, $"/api/v1/activities?view={view}&limit=3");

        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(view == "All" ? Enumerable.Reverse(ids) : ids, seen);
    }

    [Fact]
    public async Task TheActivitiesOfACaseOrAContact_AreTheirTabs_NewestFirst_ByCursor()
    {
        var data = await factory.NewDataAsync();
        var contact = await data.ContactAsync(data.Account);
        var item = await data.CaseAsync(contact);
        var (user, api) = await factory.NewApiUserAsync(Roles.Agent);
        var other = await factory.NewUserAsync(Roles.Agent);
        var onCase = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            onCase.Add(await TaskAsync(i % 2 == 0 ? user.Id : other.Id, new Regarding(RegardingType.Case, item.Id), DateTime.UtcNow.AddDays(i)));
        }

        var onContact = await TaskAsync(other.Id, new Regarding(RegardingType.Contact, contact.Id), DateTime.UtcNow);

        Assert.Equal(Enumerable.Reverse(onCase), await AllPagesAsync(api, $"/api/v1/activities?caseId={item.Id}&limit=3"));
        Assert.Equal(Enumerable.Reverse(onCase.Append(onContact)), await AllPagesAsync(api, $"/api/v1/activities?contactId={contact.Id}&limit=2"));
        Assert.Empty(await AllPagesAsync(api, "/api/v1/activities?caseId=2147483000"));
    }

    [Fact]
    public async Task AnotherOwnersList_IsForASupervisor_403ForAnAgent()
    {
        var owner = await factory.NewUserAsync(Roles.Agent);
        var data = await factory.NewDataAsync();
        var id = await TaskAsync(owner.Id, new Regarding(RegardingType.Contact, data.Contact.Id), DateTime.UtcNow.AddDays(-1));
        var (_, agent) = await factory.NewApiUserAsync(Roles.Agent);
        var (_, supervisor) = await factory.NewApiUserAsync(Roles.Supervisor);

        var (status, problem) = await factory.RefusedAsync(agent, c => c.GetAsync($"/api/v1/activities?owner={owner.Id}"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Solo un supervisor o un administrador ve las actividades de otro usuario.", problem.GetProperty("detail").GetString());

        Assert.Equal([id], await AllPagesAsync(supervisor, $"/api/v1/activities?owner={owner.Id}"));
    }

    [Theory]
    [InlineData("/api/v1/activities?view=Mañana")]
    [InlineData("/api/v1/activities?view=7")]
    [InlineData("/api/v1/activities?limit=0")]
    [InlineData("/api/v1/activities?caseId=1&contactId=2")]
    [InlineData("/api/v1/activities?caseId=1&view=All")]
    [InlineData("/api/v1/activities?cursor=no-es-un-cursor")]
    public async Task ABadParameter_IsAValidationProblem(string url)
    {
        var (_, api) = await factory.NewApiUserAsync(Roles.Agent);

        using var response = await api.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ACursorOfAnotherOrder_IsAValidationProblem()
    {
        var data = await factory.NewDataAsync();
        var (user, api) = await factory.NewApiUserAsync(Roles.Agent);
        for (var i = 0; i < 2; i++)
        {
            await TaskAsync(user.Id, new Regarding(RegardingType.Contact, data.Contact.Id), DateTime.UtcNow.AddHours(-1));
        }

        var all = await api.GetFromJsonAsync<Page>("/api/v1/activities?view=All&limit=1");

        using var response = await api.GetAsync("/api/v1/activities?view=Overdue&cursor=" + all!.NextCursor);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task CompleteAndCancel_AreTheOwnersOrASupervisors_WithTheDomainsCodes()
    {
        var data = await factory.NewDataAsync();
        var (owner, api) = await factory.NewApiUserAsync(Roles.Agent);
        var (_, agent) = await factory.NewApiUserAsync(Roles.Agent);
        var (_, supervisor) = await factory.NewApiUserAsync(Roles.Supervisor);
        var regarding = new Regarding(RegardingType.Contact, data.Contact.Id);
        var mine = await TaskAsync(owner.Id, regarding, DateTime.UtcNow);
        var another = await TaskAsync(owner.Id, regarding, DateTime.UtcNow);

        using (var done = await api.PostAsync($"/api/v1/activities/{mine}/complete", null))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            Assert.Equal("Completed", (await done.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        var (status, problem) = await factory.RefusedAsync(api, c => c.SendJsonAsync(HttpMethod.Post, $"/api/v1/activities/{mine}/cancel", null, "en"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(("CASE-RULE-41", "The activity is closed: reopen it to change it."), (problem.GetProperty("code").GetString(), problem.GetProperty("detail").GetString()));

        (status, problem) = await factory.RefusedAsync(agent, c => c.PostAsync($"/api/v1/activities/{another}/complete", null));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(("CASE-RULE-42", "Solo el propietario de la actividad o un supervisor pueden cambiarla."), (problem.GetProperty("code").GetString(), problem.GetProperty("detail").GetString()));

        (status, _) = await factory.RefusedAsync(api, c => c.PostAsync("/api/v1/activities/2147483000/complete", null));
        Assert.Equal(HttpStatusCode.NotFound, status);

        using (var cancelled = await supervisor.PostAsync($"/api/v1/activities/{another}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }

        Assert.Equal(ActivityStatus.Cancelled, await factory.InDbAsync(db => db.Activities.Where(a => a.Id == another).Select(a => a.Status).SingleAsync()));
    }

    private static async Task<List<int>> AllPagesAsync(HttpClient api, string url)
    {
        var seen = new List<int>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetFromJsonAsync<Page>(url + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page!.Items.Select(a => a.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null && ++pages < 20);

        return seen;
    }

    private async Task<int> TaskAsync(string ownerId, Regarding regarding, DateTime due) =>
        (await factory.Database.NewActivityService().CreateAsync(
            ActivityType.Task, new ActivityFields("Tarea " + Token(), null, ActivityPriority.Normal, ownerId, regarding, DueAt: due), ownerId)).Id;

    public sealed class Sqlite(SqliteWebFactory factory) : ActivitiesApiTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ActivitiesApiTests(factory), IClassFixture<PostgresWebFactory>;
}
