using System.Net;
using AngleSharp.Dom;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Cases;

/// <summary>
/// Servicio → Casos: the three views, each filter, the text search (case number and title), sorting and paging. Each test
/// files its cases under a category of its own and filters by it, so that it sees only its own rows.
/// </summary>
public sealed class CaseListTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    private const string Rows = "#cases tbody tr[data-case-id]";

    [Fact]
    public async Task Views_ActiveMineAndAll_ShowTheirCases()
    {
        var data = await factory.NewDataAsync();
        var agentId = await factory.UserIdAsync(Agent);
        var unassigned = await data.UniqueCaseAsync("Sin asignar");
        var mine = await data.UniqueCaseAsync("Mío");
        var mineClosed = await data.UniqueCaseAsync("Mío cerrado");
        var resolved = await data.UniqueCaseAsync("Resuelto", CaseStatus.Resolved);
        await AssignAsync(mine.Id, agentId);
        await AssignAsync(mineClosed.Id, agentId);
        await factory.ResolveAsync(mineClosed.Id, agentId);
        var client = await factory.ClientAsync(Roles.Agent);
        var k = data.Category.Id;

        var byDefault = await IdsAsync(client, $"/Cases?categoryId={k}");
        var active = await IdsAsync(client, $"/Cases?view=active&categoryId={k}");
        var mineView = await IdsAsync(client, $"/Cases?view=mine&categoryId={k}");
        var all = await IdsAsync(client, $"/Cases?view=all&categoryId={k}");
        var unknownView = await IdsAsync(client, $"/Cases?view=everything&categoryId={k}");

        Assert.Equal(Sorted(unassigned.Id, mine.Id), Sorted([.. active]));
        Assert.Equal(active, byDefault);
        Assert.Equal(active, unknownView);
        Assert.Equal([mine.Id], mineView);
        Assert.Equal(Sorted(unassigned.Id, mine.Id, mineClosed.Id, resolved.Id), Sorted([.. all]));
    }

    [Fact]
    public async Task MineView_ShowsOnlyTheSignedInUsersCases()
    {
        var data = await factory.NewDataAsync();
        var supervisorsCase = await data.UniqueCaseAsync("Del supervisor");
        await AssignAsync(supervisorsCase.Id, await factory.UserIdAsync(Supervisor));
        var agent = await factory.ClientAsync(Roles.Agent);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);

        Assert.Empty(await IdsAsync(agent, $"/Cases?view=mine&categoryId={data.Category.Id}"));
        Assert.Equal([supervisorsCase.Id], await IdsAsync(supervisor, $"/Cases?view=mine&categoryId={data.Category.Id}"));
    }

    [Theory]
    [InlineData("OnHold")]
    [InlineData("Resolved")]
    public async Task Filter_ByStatus(string status)
    {
        var data = await factory.NewDataAsync();
        var onHold = await data.UniqueCaseAsync("En espera", CaseStatus.OnHold);
        var resolved = await data.UniqueCaseAsync("Resuelto", CaseStatus.Resolved);
        await data.UniqueCaseAsync("Nuevo");
        var client = await factory.ClientAsync(Roles.Agent);

        var ids = await IdsAsync(client, $"/Cases?view=all&categoryId={data.Category.Id}&status={status}");

        Assert.Equal([status == "OnHold" ? onHold.Id : resolved.Id], ids);
    }

    [Fact]
    public async Task Filter_ByPriority()
    {
        var data = await factory.NewDataAsync();
        var urgent = await data.UniqueCaseAsync("Urgente", priority: CasePriority.Urgent);
        await data.UniqueCaseAsync("Baja", priority: CasePriority.Low);
        await data.UniqueCaseAsync("Sin prioridad");
        var client = await factory.ClientAsync(Roles.Agent);

        Assert.Equal([urgent.Id], await IdsAsync(client, $"/Cases?categoryId={data.Category.Id}&priority=Urgent"));
    }

    [Fact]
    public async Task Filter_ByCategory_ShowsOnlyThatCategory()
    {
        var data = await factory.NewDataAsync();
        var other = await data.CategoryAsync();
        var inCategory = await data.UniqueCaseAsync("En la categoría");
        var elsewhere = await data.UniqueCaseAsync("En otra", categoryId: other.Id);
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Cases?categoryId={data.Category.Id}");

        Assert.Equal([inCategory.Id], page.RowIds(Rows, "data-case-id"));
        Assert.Equal([elsewhere.Id], await IdsAsync(client, $"/Cases?categoryId={other.Id}"));
        Assert.Equal(Invariant(data.Category.Id), page.QuerySelector("#categoryId option[selected]")?.GetAttribute("value"));
    }

    [Fact]
    public async Task Filter_ByAssignee_AndUnassigned()
    {
        var data = await factory.NewDataAsync();
        var supervisorId = await factory.UserIdAsync(Supervisor);
        var toSupervisor = await data.UniqueCaseAsync("Del supervisor");
        var toAgent = await data.UniqueCaseAsync("Del agente");
        var nobodys = await data.UniqueCaseAsync("De nadie");
        await AssignAsync(toSupervisor.Id, supervisorId);
        await AssignAsync(toAgent.Id, await factory.UserIdAsync(Agent));
        var client = await factory.ClientAsync(Roles.Agent);

        var bySupervisor = await client.GetDocumentAsync($"/Cases?categoryId={data.Category.Id}&assignee={supervisorId}");
        var unassigned = await IdsAsync(client, $"/Cases?categoryId={data.Category.Id}&assignee=none");

        Assert.Equal([toSupervisor.Id], bySupervisor.RowIds(Rows, "data-case-id"));
        Assert.Contains(Supervisor.DisplayName, bySupervisor.QuerySelector(Rows)!.Squashed(), StringComparison.Ordinal);
        Assert.Equal([nobodys.Id], unassigned);
    }

    [Theory]
    [InlineData("{number}")]
    [InlineData("cas-{id}")]
    [InlineData("{id}")]
    [InlineData("  {number} ")]
    public async Task Search_ByCaseNumber_FindsExactlyThatCase(string pattern)
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Por número");
        await data.UniqueCaseAsync("Otro");
        var q = pattern.Replace("{number}", Number(item.Id), StringComparison.Ordinal).Replace("{id}", Invariant(item.Id), StringComparison.Ordinal);
        var client = await factory.ClientAsync(Roles.Agent);

        Assert.Equal([item.Id], await IdsAsync(client, $"/Cases?view=all&q={Uri.EscapeDataString(q)}"));
    }

    [Fact]
    public async Task Search_ByTheFirstDemoCaseNumber_FindsIt()
    {
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync("/Cases?view=all&q=CAS-000001");

        var row = Assert.Single(page.QuerySelectorAll(Rows));
        Assert.Equal("1", row.GetAttribute("data-case-id"));
        Assert.Contains("CAS-000001", row.Squashed(), StringComparison.Ordinal);
        Assert.Equal("CAS-000001", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#q")?.Value);
    }

    [Fact]
    public async Task Search_ByTitle_IsAccentAndCaseInsensitive()
    {
        var data = await factory.NewDataAsync();
        var token = Token();
        var item = await data.CaseAsync(fields: data.Fields(title: $"Facturación errónea {token}"));
        await data.CaseAsync(fields: data.Fields(title: $"Otra cosa {token}"));
        var client = await factory.ClientAsync(Roles.Agent);

        Assert.Equal([item.Id], await IdsAsync(client, $"/Cases?q={Uri.EscapeDataString($"FACTURACION ERRONEA {token}")}"));
        Assert.Equal([item.Id], await IdsAsync(client, $"/Cases?q={Uri.EscapeDataString($"facturación errónea {token}")}"));
    }

    [Theory]
    [InlineData("title", "asc", new[] { 1, 2, 0 })]
    [InlineData("title", "desc", new[] { 0, 2, 1 })]
    [InlineData("priority", "asc", new[] { 2, 0, 1 })]
    [InlineData("priority", "desc", new[] { 1, 0, 2 })]
    [InlineData("number", "asc", new[] { 0, 1, 2 })]
    [InlineData("number", "desc", new[] { 2, 1, 0 })]
    [InlineData("status", "desc", new[] { 2, 1, 0 })]
    [InlineData("updated", "asc", new[] { 0, 1, 2 })]
    public async Task Sort_ByEachAllowListedKey(string sort, string dir, int[] expected)
    {
        var (category, cases) = await ThreeCasesAsync();
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Cases?view=all&categoryId={category}&sort={sort}&dir={dir}");

        Assert.Equal(expected.Select(i => cases[i].Id), page.RowIds(Rows, "data-case-id"));
        Assert.Equal(dir == "desc" ? "descending" : "ascending",
            page.QuerySelectorAll("#cases thead th").FirstOrDefault(th => th.QuerySelector($"a[href*='sort={sort}']") is not null)?.GetAttribute("aria-sort"));
    }

    [Theory]
    [InlineData("Title;DELETE FROM Cases")]
    [InlineData("ContactId")]
    public async Task Sort_ByAnUnknownKey_FallsBackToTheLastUpdatedFirst(string sort)
    {
        var (category, cases) = await ThreeCasesAsync();
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Cases?view=all&categoryId={category}&sort={Uri.EscapeDataString(sort)}&dir=asc");

        Assert.Equal(cases.Select(c => c.Id).Reverse(), page.RowIds(Rows, "data-case-id"));
        Assert.Equal("updated", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#case-filters input[name='sort']")?.Value);
    }

    [Fact]
    public async Task Paging_ShowsTwentyFivePerPage_AndTheRestOnTheNext()
    {
        var data = await factory.NewDataAsync();
        var created = await data.CasesAsync(27);
        var client = await factory.ClientAsync(Roles.Agent);

        var first = await client.GetDocumentAsync($"/Cases?categoryId={data.Category.Id}&sort=number&dir=asc");
        var nextHref = first.QuerySelector(".pager a[rel='next']")?.GetAttribute("href") ?? throw new InvalidOperationException("No next page link.");
        var second = await client.GetDocumentAsync(nextHref);

        Assert.Equal(created.Take(25).Select(c => c.Id), first.RowIds(Rows, "data-case-id"));
        Assert.Equal(created.Skip(25).Select(c => c.Id), second.RowIds(Rows, "data-case-id"));
        Assert.Contains("page=2", nextHref, StringComparison.Ordinal);
        Assert.Contains($"categoryId={data.Category.Id}", nextHref, StringComparison.Ordinal);
        Assert.Null(second.QuerySelector(".pager a[rel='next']"));
        Assert.NotNull(second.QuerySelector(".pager a[rel='prev']"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(int.MaxValue)]
    public async Task Paging_WithAnOutOfRangePage_StillAnswers(int page)
    {
        var client = await factory.ClientAsync(Roles.Agent);

        Assert.Equal(HttpStatusCode.OK, await client.StatusOfGetAsync($"/Cases?view=all&page={Invariant(page)}"));
    }

    [Fact]
    public async Task EveryRow_HasACheckbox_TheNumberLink_TheContactAndTheAssignee()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Fila completa", priority: CasePriority.High);
        await AssignAsync(item.Id, await factory.UserIdAsync(Agent));
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Cases?categoryId={data.Category.Id}");

        var row = page.QuerySelector($"tr[data-case-id='{item.Id}']")!;
        // The selection serves only "Asociar casos secundarios", which an agent may not use: no checkboxes for them.
        Assert.Null(row.QuerySelector("input[type='checkbox']"));
        var supervisorRow = (await (await factory.ClientAsync(Roles.Supervisor)).GetDocumentAsync($"/Cases?categoryId={data.Category.Id}"))
            .QuerySelector($"tr[data-case-id='{item.Id}']")!;
        Assert.Equal(Invariant(item.Id), supervisorRow.QuerySelector("input[type='checkbox'][name='ids']")?.GetAttribute("value"));
        Assert.Equal($"/Cases/{item.Id}", row.QuerySelector("a")?.GetAttribute("href"));
        var text = row.Squashed();
        foreach (var expected in new[] { Number(item.Id), item.Title, data.Contact.FullName, data.Category.Name, "Alta", "Nuevo", Agent.DisplayName })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EmptyResult_SaysSo()
    {
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Cases?q={Token()}");

        Assert.Empty(page.QuerySelectorAll(Rows));
        Assert.Equal("No hay casos que coincidan.", page.Text("p.empty"));
    }

    // ---- Helpers

    private async Task<(int Category, IReadOnlyList<Case> Cases)> ThreeCasesAsync()
    {
        var data = await factory.NewDataAsync();
        // Created (and so last updated) in this order. Titles: C, A, B. Priorities: Normal, Urgent, Low. Statuses: New, InProgress, OnHold.
        var cases = new List<Case>
        {
            await data.CaseAsync(fields: data.Fields(title: "Cereza", priority: CasePriority.Normal), status: CaseStatus.New),
            await data.CaseAsync(fields: data.Fields(title: "Árbol", priority: CasePriority.Urgent), status: CaseStatus.InProgress),
            await data.CaseAsync(fields: data.Fields(title: "banco", priority: CasePriority.Low), status: CaseStatus.OnHold),
        };
        return (data.Category.Id, cases);
    }

    private Task AssignAsync(int caseId, string assigneeId) =>
        factory.Database.NewCaseService().AssignAsync(caseId, assigneeId, assigneeId, isSupervisor: true);

    private static async Task<List<int>> IdsAsync(HttpClient client, string url) =>
        (await client.GetDocumentAsync(url)).RowIds(Rows, "data-case-id");

    private static List<int> Sorted(params int[] ids) => [.. ids.Order()];
}
