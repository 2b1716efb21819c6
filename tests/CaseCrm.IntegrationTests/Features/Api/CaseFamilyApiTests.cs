using System.Net;
using System.Net.Http.Json;
using System.Text;
using AngleSharp.Html.Dom;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Features.CaseFamily;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.Api.FamilyApiKit;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>
/// /api/v1/cases/{id}/children…, on SQLite and PostgreSQL: a supervisor's token associates and removes children, an
/// agent's is refused (403) as on the pages, every role lists children and creates a child case; each family rule answers
/// 422 with the CASE-RULE code and the very messages the page shows for the same attempt (POST /Cases/Associate or
/// /Cases/{id}/Children/Add, with a real antiforgery form), in Spanish or, asked for, English, and the database is left
/// as it was. Each test starts from the default settings.
/// </summary>
public abstract class CaseFamilyApiTests(CrmWebFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.SettingsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Child(int Id, string Number, string Title, string Status);

    // ---- Associating, listing, removing

    [Fact]
    public async Task ASupervisor_AssociatesCases_ListsThem_AndRemovesOne()
    {
        var data = await factory.NewDataAsync();
        var cases = await data.CasesAsync(3);
        var (parent, b, c) = (cases[0].Id, cases[1].Id, cases[2].Id);
        using var api = await factory.TokenClientAsync(Roles.Supervisor);

        using (var added = await api.PostAsJsonAsync($"/api/v1/cases/{parent}/children", new { caseIds = new[] { c, b, b } }))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
            Assert.Equal([b, c], (await added.Content.ReadFromJsonAsync<List<Child>>())!.Select(x => x.Id));
        }

        Assert.Equal(2, (await factory.CaseAsync(parent)).ChildCount);
        Assert.All(new[] { b, c }, id => Assert.Equal(parent, factory.CaseAsync(id).Result.ParentId));
        Assert.Equal(2, (await factory.HistoryAsync(parent)).Count(h => h.Field == HistoryField.ChildAdded));
        var listed = await api.GetFromJsonAsync<List<Child>>($"/api/v1/cases/{parent}/children");
        Assert.Equal([(b, Number(b)), (c, Number(c))], listed!.Select(x => (x.Id, x.Number)));
        Assert.Empty((await api.GetFromJsonAsync<List<Child>>($"/api/v1/cases/{b}/children"))!);

        using (var removed = await api.DeleteAsync($"/api/v1/cases/{parent}/children/{b}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        Assert.Null((await factory.CaseAsync(b)).ParentId);
        Assert.Equal(1, (await factory.CaseAsync(parent)).ChildCount);
        Assert.Equal([c], (await api.GetFromJsonAsync<List<Child>>($"/api/v1/cases/{parent}/children"))!.Select(x => x.Id));
    }

    [Fact]
    public async Task AnAgent_ListsChildren_ButAssociatingAndRemoving_Answer403_WithNothingWritten()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        var other = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        Assert.Equal([children[0].Id], (await api.GetFromJsonAsync<List<Child>>($"/api/v1/cases/{parent.Id}/children"))!.Select(x => x.Id));
        using var added = await api.PostAsJsonAsync($"/api/v1/cases/{parent.Id}/children", new { caseIds = new[] { other.Id } });
        using var removed = await api.DeleteAsync($"/api/v1/cases/{parent.Id}/children/{children[0].Id}");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (added.StatusCode, removed.StatusCode));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AMissingCase_Answers404_WithNothingWritten()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        using var list = await api.GetAsync("/api/v1/cases/2147483000/children");
        using var toMissingParent = await api.PostAsJsonAsync("/api/v1/cases/2147483000/children", new { caseIds = new[] { item.Id } });
        using var missingChild = await api.PostAsJsonAsync($"/api/v1/cases/{item.Id}/children", new { caseIds = new[] { 2147483000 } });
        using var zero = await api.PostAsJsonAsync($"/api/v1/cases/{item.Id}/children", new { caseIds = new[] { 0 } });
        using var removed = await api.DeleteAsync($"/api/v1/cases/{item.Id}/children/2147483000");
        using var newChild = await api.PostAsJsonAsync("/api/v1/cases/2147483000/children/new", new { title = "Hijo", categoryId = data.Category.Id, description = "x" });

        foreach (var response in new[] { list, toMissingParent, missingChild, zero, removed, newChild })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await response.ProblemAsync()).Status);
        }

        await factory.AssertUnchangedAsync(before);
    }

    // ---- The family rules: the API's code and messages are the page's, and nothing changes

    [Fact]
    public async Task AChildMadeAParent_IsRefused_CaseRule2_AsOnThePage()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        var other = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var problem = await api.RefusedAsync($"/api/v1/cases/{children[0].Id}/children", new { caseIds = new[] { other.Id } }, "CASE-RULE-2");

        Assert.Equal($"No puede crear casos secundarios para un caso secundario: {Number(children[0].Id)} ya es secundario de {Number(parent.Id)}.", problem.Detail);
        await factory.AssertUnchangedAsync(before);
        AssertPageShows((await AddExistingAsync(children[0].Id, other.Id)).Alerts(), problem);
        AssertPageShows((await AssociateAsync(children[0].Id, children[0].Id, other.Id)).Text("#associate-errors"), problem);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AParentMadeAChild_IsRefused_CaseRule3_AsOnThePage()
    {
        var data = await factory.NewDataAsync();
        var (parent, _) = await data.FamilyAsync(1);
        var other = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var problem = await api.RefusedAsync($"/api/v1/cases/{other.Id}/children", new { caseIds = new[] { parent.Id } }, "CASE-RULE-3");

        await factory.AssertUnchangedAsync(before);
        AssertPageShows((await AssociateAsync(other.Id, other.Id, parent.Id)).Text("#associate-errors"), problem);
        AssertPageShows((await AddExistingAsync(other.Id, parent.Id)).Alerts(), problem);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task ACaseThatIsAlreadyAChild_AndAParent_AreRefusedTogether_EveryRuleNamed_AsOnThePage()
    {
        var data = await factory.NewDataAsync();
        var (_, children) = await data.FamilyAsync(1);
        var (otherParent, _) = await data.FamilyAsync(1);
        var target = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var problem = await api.RefusedAsync($"/api/v1/cases/{target.Id}/children", new { caseIds = new[] { children[0].Id, otherParent.Id } }, "CASE-RULE-4");

        Assert.Equal(2, problem.Messages.Count);
        var page = await AssociateAsync(target.Id, target.Id, children[0].Id, otherParent.Id);
        Assert.Equal(problem.Messages.Order(StringComparer.Ordinal), page.QuerySelectorAll("#associate-errors li").Select(li => li.Squashed()).Order(StringComparer.Ordinal));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task TooManyChildren_IsRefused_CaseRule6_AsOnThePage()
    {
        await factory.SettingsAsync(s => s.MaxChildren = 2);
        var data = await factory.NewDataAsync();
        var cases = await data.CasesAsync(4);
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var problem = await api.RefusedAsync($"/api/v1/cases/{cases[0].Id}/children", new { caseIds = cases.Skip(1).Select(c => c.Id) }, "CASE-RULE-6");

        Assert.Equal($"Un caso principal no puede tener más de 2 casos secundarios: {Number(cases[0].Id)} tiene 0 y se agregarían 3.", problem.Detail);
        await factory.AssertUnchangedAsync(before);
        AssertPageShows((await AssociateAsync(cases[0].Id, [.. cases.Select(c => c.Id)])).Text("#associate-errors"), problem);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AClosedCase_AsChildOrParent_IsRefused_CaseRule5_AsOnThePage()
    {
        var data = await factory.NewDataAsync();
        var closed = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var open = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var asChild = await api.RefusedAsync($"/api/v1/cases/{open.Id}/children", new { caseIds = new[] { closed.Id } }, "CASE-RULE-5");
        var asParent = await api.RefusedAsync($"/api/v1/cases/{closed.Id}/children", new { caseIds = new[] { open.Id } }, "CASE-RULE-5");

        await factory.AssertUnchangedAsync(before);
        AssertPageShows((await AddExistingAsync(open.Id, closed.Id)).Alerts(), asChild);
        AssertPageShows((await AssociateAsync(closed.Id, closed.Id, open.Id)).Text("#associate-errors"), asParent);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task ItselfAsItsChild_IsRefused_CaseRule1_AndNoCases_CaseRule23()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var self = await api.RefusedAsync($"/api/v1/cases/{item.Id}/children", new { caseIds = new[] { item.Id } }, "CASE-RULE-1");
        await api.RefusedAsync($"/api/v1/cases/{item.Id}/children", new { caseIds = Array.Empty<int>() }, "CASE-RULE-23");
        await api.RefusedAsync($"/api/v1/cases/{item.Id}/children", new { }, "CASE-RULE-23");

        await factory.AssertUnchangedAsync(before);
        AssertPageShows((await AddExistingAsync(item.Id, item.Id)).Alerts(), self);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task RemovingACaseThatIsNotAChild_IsRefused_CaseRule22_AsOnThePage()
    {
        var data = await factory.NewDataAsync();
        var (parent, _) = await data.FamilyAsync(1);
        var stranger = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        using var response = await api.DeleteAsync($"/api/v1/cases/{parent.Id}/children/{stranger.Id}");

        var problem = await response.ProblemAsync();
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "CASE-RULE-22"), (problem.Status, problem.Code));
        await factory.AssertUnchangedAsync(before);
        var client = await factory.ClientAsync(Roles.Supervisor);
        using var posted = await client.PostWithTokenAsync($"/Cases/{parent.Id}/Children/{stranger.Id}/Remove", tokenPage: $"/Cases/{parent.Id}");
        AssertPageShows((await client.FollowAsync(posted)).Alerts(), problem);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task TheRefusal_IsInEnglish_WhenAskedFor()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        var other = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor, "en-GB,en;q=0.9");

        var problem = await api.RefusedAsync($"/api/v1/cases/{children[0].Id}/children", new { caseIds = new[] { other.Id } }, "CASE-RULE-2");

        var message = $"You can't create child cases for a child case: {Number(children[0].Id)} is already a child of {Number(parent.Id)}.";
        Assert.Equal(message, problem.Detail);
        Assert.Equal([message], problem.Messages);
    }

    // ---- Odd input: never a 500

    [Theory]
    [InlineData("{\"caseIds\":[99999999999]}")]
    [InlineData("{\"caseIds\":\"uno\"}")]
    [InlineData("{\"caseIds\":[1,")]
    [InlineData("null")]
    [InlineData("")]
    public async Task AMalformedBody_IsABadRequest_WithNothingWritten(string json)
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        using var response = await api.PostAsync($"/api/v1/cases/{item.Id}/children", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task MoreCasesThanAnyParentMayHave_IsAFieldError()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor);

        using var response = await api.PostAsJsonAsync($"/api/v1/cases/{item.Id}/children", new { caseIds = Enumerable.Range(1, 1001) });

        var problem = await response.ProblemAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, problem.Status);
        Assert.Equal(["Como máximo 1000 casos a la vez."], problem.Errors["caseIds"]);
    }

    // ---- A new child case

    [Fact]
    public async Task AnAgent_CreatesAChildCase_201WithLocation_AndTheSameIdempotencyKeyReturnsIt()
    {
        var data = await factory.NewDataAsync();
        var parent = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Agent);
        var key = Guid.NewGuid().ToString();
        var body = new { title = "Sin conexión en la planta 2", categoryId = data.Category.Id, description = "Desde esta mañana.", priority = "High" };

        ApiCase created;
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{parent.Id}/children/new") { Content = JsonContent.Create(body) })
        {
            request.Headers.Add("Idempotency-Key", key);
            using var response = await api.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            created = await response.CaseAnswerAsync(api);
            Assert.Equal($"/api/v1/cases/{created.Id}", response.Headers.Location?.OriginalString);
        }

        Assert.Equal((parent.Id, data.Contact.Id, "Sin conexión en la planta 2"), (created.Parent?.Id, created.Contact.Id, created.Title));
        Assert.Equal(Number(parent.Id), created.Parent!.Number);
        var stored = await factory.CaseAsync(created.Id);
        Assert.Equal((parent.Id, CasePriority.High), (stored.ParentId!.Value, stored.Priority!.Value));
        Assert.Equal(1, (await factory.CaseAsync(parent.Id)).ChildCount);

        using (var again = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{parent.Id}/children/new") { Content = JsonContent.Create(body) })
        {
            again.Headers.Add("Idempotency-Key", key);
            using var response = await api.SendAsync(again);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(created.Id, (await response.CaseAnswerAsync(api)).Id);
        }

        Assert.Equal(1, await factory.InDbAsync(db => db.Cases.CountAsync(c => c.ParentId == parent.Id)));
    }

    [Fact]
    public async Task ANewChild_WithBadFields_IsA422NamingThem_InTheRequestsLanguage()
    {
        var data = await factory.NewDataAsync();
        var parent = await data.UniqueCaseAsync();
        using var es = await factory.TokenClientAsync(Roles.Agent);
        using var en = await factory.TokenClientAsync(Roles.Agent, "en");
        var before = await factory.SnapshotAsync();

        using var spanish = await es.PostAsJsonAsync($"/api/v1/cases/{parent.Id}/children/new", new { title = "", description = "x" });
        using var english = await en.PostAsJsonAsync($"/api/v1/cases/{parent.Id}/children/new", new { title = "", description = "x" });
        using var badKey = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{parent.Id}/children/new")
        {
            Content = JsonContent.Create(new { title = "T", categoryId = data.Category.Id, description = "x" }),
        };
        badKey.Headers.Add("Idempotency-Key", "no-es-un-guid");
        using var keyResponse = await es.SendAsync(badKey);
        using var unknownPriority = await es.PostAsJsonAsync($"/api/v1/cases/{parent.Id}/children/new", new { title = "T", categoryId = data.Category.Id, description = "x", priority = "Altísima" });
        // A new case starts active: closing is a command of its own.
        await es.RefusedAsync($"/api/v1/cases/{parent.Id}/children/new",
            new { title = "T", categoryId = data.Category.Id, description = "x", status = "Resolved", resolution = "Hecho." }, "CASE-RULE-36");

        var (problemEs, problemEn) = (await spanish.ProblemAsync(), await english.ProblemAsync());
        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity), (problemEs.Status, problemEn.Status));
        Assert.Equal(["categoryId", "title"], problemEs.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.NotEqual(problemEs.Errors["title"], problemEn.Errors["title"]);
        Assert.Equal(HttpStatusCode.BadRequest, keyResponse.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownPriority.StatusCode);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task ANewChildOfAChild_IsRefused_CaseRule2_AsTheFormIs()
    {
        var data = await factory.NewDataAsync();
        var (_, children) = await data.FamilyAsync(1);
        using var api = await factory.TokenClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        var problem = await api.RefusedAsync(
            $"/api/v1/cases/{children[0].Id}/children/new", new { title = "Nieto", categoryId = data.Category.Id, description = "x" }, "CASE-RULE-2");

        await factory.AssertUnchangedAsync(before);
        var client = await factory.ClientAsync(Roles.Agent);
        using var posted = await client.PostWithTokenAsync($"/Cases/{children[0].Id}/Children/Create",
            Fields(("Title", "Nieto"), ("CategoryId", data.Category.Id), ("Description", "x"), ("Status", "New")), $"/Cases/{children[0].Id}");
        AssertPageShows(string.Join(" ", (await posted.PageAsync()).ValidationErrors()), problem);
        await factory.AssertUnchangedAsync(before);
    }

    // ---- The pages, as a supervisor: the same attempts

    private async Task<IHtmlDocument> AddExistingAsync(int parentId, int childId) =>
        await FamilyPages.AddExistingAsync(await factory.ClientAsync(Roles.Supervisor), parentId, childId);

    private async Task<IHtmlDocument> AssociateAsync(int parentId, params int[] ids) =>
        await FamilyPages.AssociateAsync(await factory.ClientAsync(Roles.Supervisor), parentId, ids);

    public sealed class Sqlite(SqliteWebFactory factory) : CaseFamilyApiTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : CaseFamilyApiTests(factory), IClassFixture<PostgresWebFactory>;
}
