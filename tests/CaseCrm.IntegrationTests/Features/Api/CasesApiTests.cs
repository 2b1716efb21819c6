using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.IntegrationTests.Features.ServiceLevels;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>
/// The case endpoints of the API, on SQLite and PostgreSQL: an integrator's whole flow; the list answers what Servicio →
/// Casos shows for the same filters and sort, and its cursor pages through every case once; one case with its family and
/// its version as ETag; If-Match (428, 412, 409); validation and rule refusals as 422 with the page's codes and messages,
/// in Spanish or English; the page's rights (reopen, assigning others); nothing written on a refusal.
/// </summary>
public abstract class CasesApiTests(CrmWebFactory factory)
{
    private const string Rows = "#cases tbody tr[data-case-id]";
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    [Fact]
    public async Task TheIntegratorsFlow_FindsTheCallerByPhone_CreatesACase_CommentsOnIt_AndResolvesIt()
    {
        var data = await factory.NewDataAsync();
        var phone = "+34 7" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var contactId = await ContactAsync(phone, data.Account.Id);
        var (user, api) = await ApiAsync(Roles.Agent);

        var found = await api.GetFromJsonAsync<JsonElement>("/api/v1/contacts/by-phone?number=" + Uri.EscapeDataString(phone));
        Assert.Equal(contactId, Assert.Single(found.EnumerateArray()).GetProperty("id").GetInt32());

        using var created = await SendAsync(api, HttpMethod.Post, $"/api/v1/contacts/{contactId}/cases", new
        {
            title = "No llega la factura",
            categoryId = data.Category.Id,
            priority = "High",
            origin = "Web",
            description = "Enviado desde el formulario de la web.",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = item.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/cases/{id}", created.Headers.Location?.AbsolutePath);
        Assert.Equal(ETag(item), created.Headers.ETag?.Tag);
        Assert.Equal(("New", "High", Number(id)), (Str(item, "status"), Str(item, "priority"), Str(item, "number")));
        Assert.Equal((contactId, data.Account.Id, data.Category.Name), (
            item.GetProperty("contact").GetProperty("id").GetInt32(),
            item.GetProperty("account").GetProperty("id").GetInt32(),
            item.GetProperty("category").GetProperty("name").GetString()));

        using var comment = await SendAsync(api, HttpMethod.Post, $"/api/v1/cases/{id}/comments", new { body = "Llamé al cliente: reenviamos la factura." });
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        Assert.Equal(user.DisplayName, Str(await comment.Content.ReadFromJsonAsync<JsonElement>(), "authorName"));

        using var resolved = await SendAsync(api, HttpMethod.Post, $"/api/v1/cases/{id}/resolve", new { resolution = "Factura reenviada." });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var closure = await resolved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Resolved", Str(closure.GetProperty("case"), "status"));
        Assert.Empty(closure.GetProperty("closedChildren").EnumerateArray());
        Assert.Equal(ETag(closure.GetProperty("case")), resolved.Headers.ETag?.Tag);

        using var read = await api.GetAsync($"/api/v1/cases/{id}");
        var final = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Resolved", "Factura reenviada."), (Str(final, "status"), Str(final, "resolution")));
        Assert.Equal(resolved.Headers.ETag?.Tag, read.Headers.ETag?.Tag);
        var comments = await api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}/comments");
        Assert.Equal("Llamé al cliente: reenviamos la factura.", Str(comments.GetProperty("items")[0], "body"));

        var stored = await factory.CaseAsync(id);
        Assert.Equal((CaseStatus.Resolved, user.Id, contactId), (stored.Status, stored.CreatedById, stored.ContactId));
        Assert.Equal(stored.Version, int.Parse(read.Headers.ETag!.Tag.Trim('"'), CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sort=updated")]
    [InlineData("sort=updated&dir=desc")]
    [InlineData("sort=due")]
    [InlineData("sort=due&dir=desc")]
    [InlineData("sort=number&dir=desc")]
    [InlineData("sort=status")]
    [InlineData("sort=status&dir=desc")]
    [InlineData("sort=title")]
    [InlineData("sort=title&dir=desc")]
    [InlineData("sort=priority")]
    [InlineData("sort=priority&dir=desc")]
    [InlineData("view=all&sort=priority&dir=desc")]
    [InlineData("view=all&sort=due")]
    [InlineData("view=all&status=Resolved")]
    [InlineData("view=mine")]
    [InlineData("priority=Urgent&sort=due")]
    [InlineData("assignee=none&sort=number")]
    [InlineData("status=New&q=urgente")]
    [InlineData("age=lt1&sort=title&dir=desc")]
    public async Task TheList_AnswersWhatThePageShows_AndItsCursorPagesThroughEveryCaseOnce(string query)
    {
        var data = await factory.NewDataAsync();
        await AroundTheClock.PoliciesAsync(factory, data.Category.Id);
        var agentId = await factory.UserIdAsync(Agent);
        var service = factory.Database.NewCaseService();
        CasePriority?[] priorities = [CasePriority.Urgent, CasePriority.Normal, null, CasePriority.Urgent, CasePriority.High, CasePriority.Normal, null, CasePriority.Urgent];
        var ids = new List<int>();
        foreach (var (priority, i) in priorities.Select((p, i) => (p, i)))
        {
            // Same title twice: the title sort needs its tie-break too.
            var title = (priority == CasePriority.Urgent ? "Urgente " : "Consulta ") + (i % 3 == 0 ? "misma" : Token());
            ids.Add((await data.CaseAsync(fields: data.Fields(title: title, priority: priority))).Id);
        }

        await service.AssignAsync(ids[1], agentId, agentId, isSupervisor: false);
        await service.AssignAsync(ids[3], agentId, agentId, isSupervisor: false);
        await service.ResolveAsync(ids[5], "Resuelto.", agentId);
        var filters = $"categoryId={Invariant(data.Category.Id)}" + (query.Length == 0 ? "" : "&" + query);

        var page = await factory.ClientAsync(Roles.Agent);
        var shown = (await page.GetDocumentAsync($"/Cases?{filters}&size=100")).RowIds(Rows, "data-case-id");
        using var api = factory.ApiClient((await factory.NewTokenAsync(agentId)).Secret);
        var all = await api.GetFromJsonAsync<JsonElement>($"/api/v1/cases?{filters}&limit=100");
        var paged = await PagesAsync(api, $"/api/v1/cases?{filters}&limit=2");

        Assert.NotEmpty(shown);
        Assert.Equal(shown, all.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("nextCursor").ValueKind);
        Assert.Equal(shown, paged);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("cursor=no-es-un-cursor", "cursor")]
    [InlineData("cursor=bnVsbA", "cursor")]
    [InlineData("sort=urgency", "sort")]
    [InlineData("sort=bogus", "sort")]
    [InlineData("dir=up", "dir")]
    [InlineData("view=todo", "view")]
    [InlineData("sla=pronto", "sla")]
    [InlineData("age=old", "age")]
    [InlineData("status=Bogus", "status")]
    [InlineData("priority=Huge", "priority")]
    [InlineData("categoryId=99999999999999", "categoryId")]
    public async Task ABadListParameter_IsA400NamingIt(string query, string parameter)
    {
        var (_, api) = await ApiAsync(Roles.Agent);

        using var response = await api.GetAsync("/api/v1/cases?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(errors.EnumerateObject(), e => e.Name.Equals(parameter, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("/api/v1/cases?sort=title&cursor=eyJTIjoidGl0bGUiLCJEIjpmYWxzZSwiSSI6MSwiVGkiOiJcdWQ4MDAifQ", 400)] // a lone surrogate
    [InlineData("/api/v1/cases?sort=due&cursor=eyJTIjoiZHVlIiwiRCI6ZmFsc2UsIkkiOjEsIlQiOjMxNTUzNzg5NzU5OTk5OTk5OTl9", 200)] // the last instant
    [InlineData("/api/v1/cases?cursor=eyJTIjoidXBkYXRlZCIsIkQiOnRydWUsIkkiOjEsIlQiOi01fQ", 400)] // negative ticks
    [InlineData("/api/v1/cases?q=%ED%A0%80", 200)] // not UTF-8
    [InlineData("/api/v1/cases/1/comments?cursor=eyJUIjotMSwiSSI6MX0", 400)]
    public async Task OddQueries_AreAnsweredWithoutA500(string url, int status)
    {
        var (_, api) = await ApiAsync(Roles.Agent);

        using var response = await api.GetAsync(url);

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("{\"title\":\"\\ud800\",\"categoryId\":1,\"description\":\"D\"}")]
    [InlineData("{\"title\":\"T\",\"categoryId\":null,\"description\":null,\"priority\":null,\"status\":null}")]
    [InlineData("{\"title\":\"T\",\"categoryId\":1,\"description\":\"D\",\"status\":99}")]
    [InlineData("[]")]
    [InlineData("{\"title\":\"T\",\"categoryId\":1.5,\"description\":\"D\"}")]
    [InlineData("{\"title\":{\"a\":1},\"categoryId\":1,\"description\":\"D\"}")]
    public async Task OddBodies_AreA400OrA422_AndCreateNothing(string json)
    {
        var data = await factory.NewDataAsync();
        var (_, api) = await ApiAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var response = await SendRawAsync(api, HttpMethod.Post, $"/api/v1/contacts/{data.Contact.Id}/cases", json);

        Assert.Contains((int)response.StatusCode, new[] { 400, 422 });
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task ACursorOfAnotherSort_IsA400()
    {
        var data = await factory.NewDataAsync();
        await data.CasesAsync(3);
        var (_, api) = await ApiAsync(Roles.Agent);
        var filter = "categoryId=" + Invariant(data.Category.Id);
        var first = await api.GetFromJsonAsync<JsonElement>($"/api/v1/cases?{filter}&sort=due&limit=1");
        var cursor = first.GetProperty("nextCursor").GetString();

        using var other = await api.GetAsync($"/api/v1/cases?{filter}&sort=number&limit=1&cursor={cursor}");
        using var same = await api.GetAsync($"/api/v1/cases?{filter}&sort=due&limit=1&cursor={cursor}");

        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
    }

    [Fact]
    public async Task ACase_IsReturnedWithItsFamily_AndItsVersionAsETag_AMissingOneIsA404()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(2);
        var (_, api) = await ApiAsync(Roles.Agent);

        using var parentResponse = await api.GetAsync($"/api/v1/cases/{parent.Id}");
        using var childResponse = await api.GetAsync($"/api/v1/cases/{children[0].Id}");

        var read = await parentResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"\"{Invariant(parent.Version)}\"", parentResponse.Headers.ETag?.Tag);
        Assert.Equal(parent.Version, read.GetProperty("version").GetInt32());
        Assert.Equal(children.Select(c => c.Id), read.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("parent").ValueKind);
        Assert.Equal((data.Contact.Id, data.Category.Id), (read.GetProperty("contact").GetProperty("id").GetInt32(), read.GetProperty("category").GetProperty("id").GetInt32()));
        Assert.Contains(Str(read.GetProperty("due"), "resolution"), Enum.GetNames<CaseCrm.Domain.ServiceLevels.ServiceLevelState>());
        var child = await childResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((parent.Id, parent.Title), (child.GetProperty("parent").GetProperty("id").GetInt32(), Str(child.GetProperty("parent"), "title")));
        Assert.Empty(child.GetProperty("children").EnumerateArray());

        using var missing = await api.GetAsync("/api/v1/cases/2147483000");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal("El caso 2147483000 no existe.", Str(await missing.Content.ReadFromJsonAsync<JsonElement>(), "detail"));
        using var english = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases/2147483000") { Headers = { { "Accept-Language", "en-GB,en;q=0.9" } } };
        using var missingInEnglish = await api.SendAsync(english);
        Assert.Equal("Case 2147483000 does not exist.", Str(await missingInEnglish.Content.ReadFromJsonAsync<JsonElement>(), "detail"));
    }

    [Fact]
    public async Task AnUpdate_NeedsIfMatch_428Without_412ForAForeignOne_409WhenStale_AndChangesNothingThen()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var (_, api) = await ApiAsync(Roles.Agent);
        var body = Body(data, "Título cambiado por la API");
        var before = await factory.SnapshotAsync();

        using var without = await SendAsync(api, HttpMethod.Put, $"/api/v1/cases/{item.Id}", body);
        using var foreign = await SendAsync(api, HttpMethod.Put, $"/api/v1/cases/{item.Id}", body, ifMatch: "W/\"abc\"");
        using var foreignEn = await SendAsync(api, HttpMethod.Put, $"/api/v1/cases/{item.Id}", body, ifMatch: "*", language: "en-GB");

        Assert.Equal((HttpStatusCode)428, without.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, foreignEn.StatusCode);
        Assert.Equal("application/problem+json", without.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Envíe If-Match con el ETag de la versión que leyó.", Str(await without.Content.ReadFromJsonAsync<JsonElement>(), "detail"));
        Assert.Equal("If-Match must be one ETag this API gave, such as \"3\".", Str(await foreignEn.Content.ReadFromJsonAsync<JsonElement>(), "detail"));
        await factory.AssertUnchangedAsync(before);

        var etag = $"\"{Invariant(item.Version)}\"";
        using var saved = await SendAsync(api, HttpMethod.Put, $"/api/v1/cases/{item.Id}", body, ifMatch: etag);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var after = await saved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Título cambiado por la API", "InProgress"), (Str(after, "title"), Str(after, "status")));
        Assert.Equal($"\"{Invariant(item.Version + 1)}\"", saved.Headers.ETag?.Tag);

        var beforeStale = await factory.SnapshotAsync();
        using var stale = await SendAsync(api, HttpMethod.Put, $"/api/v1/cases/{item.Id}", Body(data, "Otro título"), ifMatch: etag);
        using var staleEn = await SendAsync(api, HttpMethod.Put, $"/api/v1/cases/{item.Id}", Body(data, "Otro título"), ifMatch: etag, language: "en");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var problem = await stale.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("CASE-RULE-24", Str(problem, "code"));
        Assert.Equal(Message(CaseRuleCode.StaleEdit, Spanish, item.Number), Str(problem, "detail"));
        var problemEn = await staleEn.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("CASE-RULE-24", Message(CaseRuleCode.StaleEdit, English, item.Number)), (Str(problemEn, "code"), Str(problemEn, "detail")));
        Assert.StartsWith("Someone else saved case", Str(problemEn, "detail"), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(beforeStale);
    }

    [Fact]
    public async Task BadInput_IsA422WithTheFormsFieldErrors_InTheRequestsLanguage_OrA400_AndCreatesNothing()
    {
        var data = await factory.NewDataAsync();
        var (_, api) = await ApiAsync(Roles.Agent);
        var url = $"/api/v1/contacts/{data.Contact.Id}/cases";
        var commented = await data.UniqueCaseAsync();
        var before = await factory.SnapshotAsync();

        using var empty = await SendAsync(api, HttpMethod.Post, url, new { title = "" });
        using var emptyEn = await SendAsync(api, HttpMethod.Post, url, new { title = "" }, language: "en-US,en;q=0.9");
        using var closedStatus = await SendAsync(api, HttpMethod.Post, url, new { title = "T", categoryId = data.Category.Id, description = "D", status = "Resolved", resolution = "R" });
        using var unknownEnum = await SendAsync(api, HttpMethod.Post, url, new { title = "T", categoryId = data.Category.Id, description = "D", priority = "Huge" });
        using var hugeNumber = await SendRawAsync(api, HttpMethod.Post, url, "{\"title\":\"T\",\"categoryId\":99999999999999,\"description\":\"D\"}");
        using var malformed = await SendRawAsync(api, HttpMethod.Post, url, "{\"title\":");
        using var nullBody = await SendRawAsync(api, HttpMethod.Post, url, "null");
        using var missingContact = await SendAsync(api, HttpMethod.Post, "/api/v1/contacts/2147483000/cases", Body(data, "Sin contacto"));
        using var comment = await SendAsync(api, HttpMethod.Post, $"/api/v1/cases/{commented.Id}/comments", new { body = " " }, language: "en");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
        var errors = (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("Escriba un título que resuma el caso.", errors.GetProperty("title")[0].GetString());
        Assert.True(errors.TryGetProperty("categoryId", out _) && errors.TryGetProperty("description", out _));
        var errorsEn = (await emptyEn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("Enter a title that sums up the case.", errorsEn.GetProperty("title")[0].GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, closedStatus.StatusCode);
        Assert.Equal("CASE-RULE-36", Str(await closedStatus.Content.ReadFromJsonAsync<JsonElement>(), "code"));
        Assert.Equal(
            [HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest],
            new[] { unknownEnum.StatusCode, hugeNumber.StatusCode, malformed.StatusCode, nullBody.StatusCode });
        Assert.Equal(HttpStatusCode.NotFound, missingContact.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, comment.StatusCode);
        Assert.Equal("Write the comment.", (await comment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("body")[0].GetString());
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AClosedCase_RefusesAStatusChangeAndAssignment_WithThePagesCodeAndMessage_AndChangesNothing()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var (_, api) = await ApiAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        using var edit = await SendAsync(api, HttpMethod.Put, $"/api/v1/cases/{item.Id}", Body(data, item.Title, "InProgress"), ifMatch: $"\"{Invariant(item.Version)}\"");
        using var take = await SendAsync(api, HttpMethod.Post, $"/api/v1/cases/{item.Id}/take", null, language: "en");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, edit.StatusCode);
        var problem = await edit.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("CASE-RULE-21", Str(problem, "code"));
        Assert.Equal(Message(CaseRuleCode.InvalidStatusChange, Spanish, item.Number), Str(problem, "detail"));
        Assert.Equal("CASE-RULE-21", Str(problem.GetProperty("violations")[0], "code"));
        var takeProblem = await take.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "CASE-RULE-37"), (take.StatusCode, Str(takeProblem, "code")));
        Assert.Equal(Message(CaseRuleCode.ClosedNotAssignable, English, item.Number), Str(takeProblem, "detail"));
        await factory.AssertUnchangedAsync(before);

        // The page refuses the same edit with the same message.
        var page = await factory.ClientAsync(Roles.Supervisor);
        using var posted = await (await page.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form")).Set("Status", "InProgress").PostAsync();
        Assert.Contains(Str(problem, "detail")!, (await posted.PageAsync()).Body!.TextContent, StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task ACreation_WithAnIdempotencyKey_IsDoneOnce_TheRepeatReturnsTheFirstCase()
    {
        var data = await factory.NewDataAsync();
        var contact = await data.ContactAsync();
        var (_, api) = await ApiAsync(Roles.Agent);
        var key = Guid.NewGuid().ToString();
        var url = $"/api/v1/contacts/{contact.Id}/cases";

        using var first = await SendAsync(api, HttpMethod.Post, url, Body(data, "Una sola vez", "New"), idempotencyKey: key);
        using var again = await SendAsync(api, HttpMethod.Post, url, Body(data, "Una sola vez", "New"), idempotencyKey: key);
        using var badKey = await SendAsync(api, HttpMethod.Post, url, Body(data, "Una sola vez", "New"), idempotencyKey: "no-es-un-guid");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.BadRequest), (first.StatusCode, again.StatusCode, badKey.StatusCode));
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        Assert.Equal(first.Headers.ETag?.Tag, again.Headers.ETag?.Tag);
        Assert.Equal([id], await factory.InDbAsync(db => db.Cases.Where(c => c.ContactId == contact.Id).Select(c => c.Id).ToListAsync()));
    }

    [Fact]
    public async Task Reopening_IsASupervisors_AndAnAgentAssignsOnlyThemselves_AsOnThePage()
    {
        var data = await factory.NewDataAsync();
        var closed = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var open = await data.UniqueCaseAsync();
        var (agent, agentApi) = await ApiAsync(Roles.Agent);
        var (supervisor, supervisorApi) = await ApiAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        using var agentReopen = await SendAsync(agentApi, HttpMethod.Post, $"/api/v1/cases/{closed.Id}/reopen", null);
        using var agentAssigns = await SendAsync(agentApi, HttpMethod.Post, $"/api/v1/cases/{open.Id}/assign", new { assigneeId = supervisor.Id });
        using var agentUnassigns = await SendAsync(agentApi, HttpMethod.Post, $"/api/v1/cases/{open.Id}/assign", new { assigneeId = (string?)null }, language: "en");

        Assert.Equal(HttpStatusCode.Forbidden, agentReopen.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, agentAssigns.StatusCode);
        var refusal = await agentAssigns.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("CASE-RULE-29", "Un agente solo puede tomar el caso para sí; asignarlo a otra persona corresponde a un supervisor."), (Str(refusal, "code"), Str(refusal, "detail")));
        Assert.Equal(Message(CaseRuleCode.AssignOnlySelf, English), Str(await agentUnassigns.Content.ReadFromJsonAsync<JsonElement>(), "detail"));
        await factory.AssertUnchangedAsync(before);

        using var reopened = await SendAsync(supervisorApi, HttpMethod.Post, $"/api/v1/cases/{closed.Id}/reopen", null);
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.Equal("InProgress", Str(await reopened.Content.ReadFromJsonAsync<JsonElement>(), "status"));

        using var assignsSelf = await SendAsync(agentApi, HttpMethod.Post, $"/api/v1/cases/{open.Id}/assign", new { assigneeId = agent.Id });
        Assert.Equal(agent.Id, Str((await assignsSelf.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignee"), "id"));
        using var taken = await SendAsync(supervisorApi, HttpMethod.Post, $"/api/v1/cases/{open.Id}/take", null);
        Assert.Equal(supervisor.Id, Str((await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignee"), "id"));
        using var assignsOther = await SendAsync(supervisorApi, HttpMethod.Post, $"/api/v1/cases/{open.Id}/assign", new { assigneeId = agent.Id });
        Assert.Equal(agent.Id, Str((await assignsOther.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignee"), "id"));
        using var unassigned = await SendAsync(supervisorApi, HttpMethod.Post, $"/api/v1/cases/{open.Id}/assign", new { assigneeId = (string?)null });
        Assert.Equal(JsonValueKind.Null, (await unassigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignee").ValueKind);
        Assert.Equal((CaseStatus.InProgress, (string?)null), ((await factory.CaseAsync(closed.Id)).Status, (await factory.CaseAsync(open.Id)).AssignedToId));
    }

    [Fact]
    public async Task ResolvingAParent_IsRefusedWhileItsChildrenAreActive_OrClosesThemWithIt_AsTheClosurePreferenceSays()
    {
        await factory.SettingsAsync();
        try
        {
            var data = await factory.NewDataAsync();
            var (parent, children) = await data.FamilyAsync(2);
            var (_, api) = await ApiAsync(Roles.Agent);
            var before = await factory.SnapshotAsync();

            using var blocked = await SendAsync(api, HttpMethod.Post, $"/api/v1/cases/{parent.Id}/resolve", new { resolution = "Hecho." });
            Assert.Equal((HttpStatusCode.UnprocessableEntity, "CASE-RULE-7"), (blocked.StatusCode, Str(await blocked.Content.ReadFromJsonAsync<JsonElement>(), "code")));
            using var noResolution = await SendAsync(api, HttpMethod.Post, $"/api/v1/cases/{parent.Id}/resolve", new { resolution = "" });
            Assert.Equal("Escriba la resolución para resolver el caso.", (await noResolution.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("resolution")[0].GetString());
            await factory.AssertUnchangedAsync(before);

            await factory.SettingsAsync(s => s.ClosurePreference = ClosurePreference.CloseChildren);
            using var cancelled = await SendAsync(api, HttpMethod.Post, $"/api/v1/cases/{parent.Id}/cancel", null);
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
            var closure = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Cancelled", Str(closure.GetProperty("case"), "status"));
            Assert.Equal(children.Select(c => c.Id), closure.GetProperty("closedChildren").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()));
            Assert.All(closure.GetProperty("case").GetProperty("children").EnumerateArray(), c => Assert.Equal("Cancelled", Str(c, "status")));
        }
        finally
        {
            await factory.SettingsAsync();
        }
    }

    [Fact]
    public async Task TheComments_AreNewestFirst_ByACursor_EveryOneOnce_AndACaseThatDoesNotExistIsA404()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var (_, api) = await ApiAsync(Roles.Agent);
        var service = factory.Database.NewCaseService();
        var ids = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await service.AddCommentAsync(item.Id, $"Comentario {i}", data.User.Id)).Id);
        }

        var paged = await PagesAsync(api, $"/api/v1/cases/{item.Id}/comments?limit=2");
        using var missing = await api.GetAsync("/api/v1/cases/2147483000/comments");
        using var missingPost = await SendAsync(api, HttpMethod.Post, "/api/v1/cases/2147483000/comments", new { body = "Hola" });
        using var badLimit = await api.GetAsync($"/api/v1/cases/{item.Id}/comments?limit=101");
        using var badCursor = await api.GetAsync($"/api/v1/cases/{item.Id}/comments?cursor=zzz");

        Assert.Equal(Enumerable.Reverse(ids), paged);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (missing.StatusCode, missingPost.StatusCode));
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (badLimit.StatusCode, badCursor.StatusCode));
        var empty = await api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{(await data.UniqueCaseAsync()).Id}/comments");
        Assert.Empty(empty.GetProperty("items").EnumerateArray());
    }

    /// <summary>Follows <c>nextCursor</c> from <paramref name="url"/> to the last page; the ids in the order received.</summary>
    private static async Task<List<int>> PagesAsync(HttpClient api, string url)
    {
        var seen = new List<int>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>(url + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 50);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        return seen;
    }

    private static object Body(FeatureData data, string title, string status = "InProgress") =>
        new { title, categoryId = data.Category.Id, description = "Descripción desde la API.", status, priority = "Normal" };

    private static string Message(CaseRuleCode code, CultureInfo culture, params string[] args) =>
        new CaseRuleViolation(code, null, args).FormatMessage(culture);

    private static string? Str(JsonElement element, string name) => element.GetProperty(name).GetString();

    private static string ETag(JsonElement item) => $"\"{Invariant(item.GetProperty("version").GetInt32())}\"";

    private async Task<(AppUser User, HttpClient Api)> ApiAsync(string role)
    {
        var user = await factory.NewUserAsync(role);
        return (user, factory.ApiClient((await factory.NewTokenAsync(user.Id)).Secret));
    }

    private static Task<HttpResponseMessage> SendAsync(
        HttpClient api, HttpMethod method, string url, object? body, string? ifMatch = null, string? language = null, string? idempotencyKey = null) =>
        SendRawAsync(api, method, url, body is null ? null : JsonSerializer.Serialize(body, JsonSerializerOptions.Web), ifMatch, language, idempotencyKey);

    private static async Task<HttpResponseMessage> SendRawAsync(
        HttpClient api, HttpMethod method, string url, string? json, string? ifMatch = null, string? language = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (language is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", language);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await api.SendAsync(request);
    }

    private Task<int> ContactAsync(string phone, int accountId) => factory.InDbAsync(async db =>
    {
        var contact = new Contact(new ContactDetails("Lucía", "Llamante " + Token(), null, phone, null, null, accountId), null, null, DateTime.UtcNow);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        return contact.Id;
    });

    public sealed class Sqlite(SqliteWebFactory factory) : CasesApiTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : CasesApiTests(factory), IClassFixture<PostgresWebFactory>;
}
