using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Activities;

/// <summary>
/// The activity pages through real forms, on SQLite and PostgreSQL: a call logged regarding a case with the phone
/// prefilled, errors beside their fields with nothing written, the "Referente a" look-up leaving child cases out unless the
/// setting includes them, Servicio → Actividades by view and owner, complete/cancel/reopen, and another agent refused.
/// </summary>
public abstract class ActivityPagesTests(CrmWebFactory factory)
{
    [Fact]
    public async Task LogACall_RegardingACase_PrefillsThePhone_AndStoresItForTheAgent()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Llamada");
        var client = await factory.ClientAsync(Roles.Agent);

        var form = await client.GetFormAsync($"/Activities/Create?type=Call&regardingType=Case&regardingId={item.Id}&returnUrl=/Cases/{item.Id}", "#activity-form");
        Assert.Equal(nameof(RegardingType.Case), form.Get("RegardingType"));
        Assert.Equal(Invariant(item.Id), form.Get("RegardingId"));
        Assert.Equal(data.Contact.Phone ?? "", form.Get("Phone") ?? "");
        Assert.False(string.IsNullOrEmpty(form.Get("StartAt")));
        var subject = "Llamó el cliente " + Token();

        using var response = await form.Set("Subject", subject).Set("Direction", "Incoming").Set("DurationMinutes", 6).PostAsync();

        Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        var agentId = await factory.UserIdAsync(Agent);
        var stored = await factory.InDbAsync(db => db.Activities.AsNoTracking().SingleAsync(a => a.Subject == subject));
        Assert.Equal((ActivityType.Call, item.Id, CallDirection.Incoming, 6, agentId, ActivityStatus.Open),
            (stored.Type, stored.CaseId!.Value, stored.Direction!.Value, stored.DurationMinutes!.Value, stored.OwnerId, stored.Status));
        Assert.Contains(await factory.HistoryAsync(item.Id), h => h.Field == HistoryField.ActivityAdded && h.NewValue == subject);
    }

    [Fact]
    public async Task BadInput_ShowsEachErrorBesideItsField_AndWritesNothing()
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync("/Activities/Create?type=Appointment", "#activity-form");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("Subject", "").Set("StartAt", "2026-12-10T10:00").Set("EndAt", "2026-12-10T09:00").PostAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.PageAsync();
        Assert.Equal("Escriba el asunto.", page.Text("#Subject-error"));
        await factory.AssertUnchangedAsync(before);

        using var again = await page.GetForm(client, "#activity-form").Set("Subject", "Visita").PostAsync();
        var second = await again.PageAsync();
        Assert.Equal("El fin de la cita debe ser posterior a su inicio.", second.Text("#EndAt-error"));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task TheRegardingLookup_LeavesChildCasesOut_UntilTheSettingIncludesThem()
    {
        var data = await factory.NewDataAsync();
        var tag = Token();
        var parent = await data.UniqueCaseAsync("Principal " + tag);
        var child = await data.UniqueCaseAsync("Secundario " + tag);
        await factory.Database.NewCaseService().AddChildrenAsync(parent.Id, [child.Id], data.User.Id);
        var client = await factory.ClientAsync(Roles.Agent);

        async Task<List<int>> FoundAsync()
        {
            var form = await client.GetFormAsync("/Activities/Create?type=Task", "#activity-form");
            using var response = await form.Set("RegardingTypeSearch", "Case").Set("RegardingSearch", tag).PostAsync("command");
            var page = await response.PageAsync();
            return [.. page.QuerySelectorAll("#regarding input[name=RegardingId]").Select(i => int.Parse(i.GetAttribute("value")!, System.Globalization.CultureInfo.InvariantCulture))];
        }

        // The as-you-type look-up (JSON for site.js) is the same search.
        async Task<List<int>> FoundAsYouTypeAsync()
        {
            var json = await client.GetStringAsync($"/Activities/Regarding?type=Case&q={tag}");
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return [.. doc.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt32())];
        }

        try
        {
            await factory.SettingsAsync(s => s.LookupsIncludeChildren = false);
            Assert.Equal([parent.Id], await FoundAsync());
            Assert.Equal([parent.Id], await FoundAsYouTypeAsync());
            await factory.SettingsAsync(s => s.LookupsIncludeChildren = true);
            Assert.Equal([child.Id, parent.Id], await FoundAsync());
            Assert.Equal([child.Id, parent.Id], await FoundAsYouTypeAsync());
        }
        finally
        {
            await factory.SettingsAsync(s => s.LookupsIncludeChildren = false);
        }
    }

    [Fact]
    public async Task MyActivities_ListsByView_AndCompleteCancelReopenWork_WhileAnotherAgentIsRefused()
    {
        var (agent, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var service = factory.Database.NewActivityService();
        var now = DateTime.UtcNow;
        ActivityFields Task(string subject, DateTime? due) => new(subject, null, ActivityPriority.Normal, agent.Id, null, DueAt: due);
        var overdue = await service.CreateAsync(ActivityType.Task, Task("Atrasada " + Token(), now.AddDays(-2)), agent.Id);
        var upcoming = await factory.Database.NewActivityService().CreateAsync(ActivityType.Task, Task("Futura " + Token(), now.AddDays(3)), agent.Id);

        var overduePage = await client.GetDocumentAsync("/Activities?view=Overdue");
        Assert.Contains(overdue.Subject, overduePage.Text("#activities"), StringComparison.Ordinal);
        Assert.DoesNotContain(upcoming.Subject, overduePage.Text("#activities"), StringComparison.Ordinal);
        Assert.Contains(upcoming.Subject, (await client.GetDocumentAsync("/Activities?view=Upcoming")).Text("#activities"), StringComparison.Ordinal);

        var other = await factory.ClientAsync(Roles.Agent);
        var otherPage = await other.GetDocumentAsync($"/Activities/{overdue.Id}");
        Assert.Null(otherPage.QuerySelector("#activity-commands"));
        using (var forged = await other.PostWithTokenAsync($"/Activities/{overdue.Id}/Complete", []))
        {
            Assert.Equal("Solo el propietario de la actividad o un supervisor pueden cambiarla.", (await other.FollowAsync(forged)).Alerts().Trim());
        }

        var complete = (await client.GetDocumentAsync($"/Activities/{overdue.Id}")).GetForm(client, "#activity-complete");
        using (var done = await complete.PostAsync())
        {
            Assert.Equal("Actividad completada.", (await client.FollowAsync(done)).Flash());
        }

        Assert.Equal(ActivityStatus.Completed, await Status(overdue.Id));
        var reopen = (await client.GetDocumentAsync($"/Activities/{overdue.Id}")).GetForm(client, "#activity-reopen");
        (await reopen.PostAsync()).Dispose();
        Assert.Equal(ActivityStatus.Open, await Status(overdue.Id));
        var cancel = (await client.GetDocumentAsync($"/Activities/{overdue.Id}")).GetForm(client, "#activity-cancel");
        (await cancel.PostAsync()).Dispose();
        Assert.Equal(ActivityStatus.Cancelled, await Status(overdue.Id));

        Task<ActivityStatus> Status(int id) => factory.InDbAsync(db => db.Activities.Where(a => a.Id == id).Select(a => a.Status).SingleAsync());
    }

    [Fact]
    public async Task ASupervisor_PicksTheOwnerOfTheList_AnAgentCannot()
    {
        var agent = await factory.NewUserAsync(Roles.Agent);
        var task = await factory.Database.NewActivityService().CreateAsync(
            ActivityType.Task, new ActivityFields("De otro " + Token(), null, ActivityPriority.High, agent.Id, null, DueAt: DateTime.UtcNow.AddDays(-1)), agent.Id);

        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        Assert.Contains(task.Subject, (await supervisor.GetDocumentAsync($"/Activities?view=Overdue&owner={agent.Id}")).Text("#activities"), StringComparison.Ordinal);
        var otherAgent = await factory.ClientAsync(Roles.Agent);
        var page = await otherAgent.GetDocumentAsync($"/Activities?view=Overdue&owner={agent.Id}");
        Assert.DoesNotContain(task.Subject, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("select#owner"));
    }

    public sealed class Sqlite(SqliteWebFactory factory) : ActivityPagesTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ActivityPagesTests(factory), IClassFixture<PostgresWebFactory>;
}
