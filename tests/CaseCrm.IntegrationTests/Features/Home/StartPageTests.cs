using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Home;

/// <summary>
/// "Inicio": an agent's open cases and the cases assigned since the last visit; a supervisor's team figures, each the
/// same as the database says and each linking to the case list filtered the same way.
/// </summary>
public abstract class StartPageTests(CrmWebFactory factory)
{
    [Fact]
    public async Task Root_ShowsTheStartPage_NotARedirect()
    {
        var client = await factory.ClientAsync(Roles.Agent);

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        var page = await response.PageAsync();
        Assert.NotNull(page.QuerySelector("#my-open-cases"));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfGetAsync("/Cases"));
    }

    [Fact]
    public async Task Agent_SeesTheirOpenCases_OldestChangeFirst_WithALinkToTheFullList()
    {
        var data = await factory.NewDataAsync();
        var agentId = await factory.UserIdAsync(Agent);
        var first = await data.UniqueCaseAsync("Primero");
        var second = await data.UniqueCaseAsync("Segundo");
        var closed = await data.UniqueCaseAsync("Cerrado");
        await AssignAsync(first.Id, agentId);
        await AssignAsync(second.Id, agentId);
        await AssignAsync(closed.Id, agentId);
        await factory.ResolveAsync(closed.Id, agentId);
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync("/");

        var expected = await factory.InDbAsync(db => db.Cases.Where(c => c.AssignedToId == agentId).Where(CaseStatuses.IsActiveCase)
            .OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id).Select(c => c.Id).Take(20).ToListAsync());
        var shown = page.RowIds("#my-open-cases tbody tr", "data-case-id");
        Assert.Equal(expected, shown);
        Assert.Contains(first.Id, shown);
        Assert.True(shown.IndexOf(first.Id) < shown.IndexOf(second.Id));
        Assert.DoesNotContain(closed.Id, shown);
        Assert.Equal("/Cases?view=mine&sort=updated&dir=asc", page.QuerySelector("#all-my-open-cases")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Agent_SeesTheCasesAssignedSinceTheirLastVisit()
    {
        var data = await factory.NewDataAsync();
        var agentId = await factory.UserIdAsync(Agent);
        var earlier = await data.UniqueCaseAsync("Antes");
        await AssignAsync(earlier.Id, agentId);
        var visit = DateTime.UtcNow.AddHours(-2);
        // The last visit ended two hours ago; the earlier case was given to the agent before it.
        await factory.InDbAsync(db => db.Users.Where(u => u.Id == agentId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSeenAt, visit).SetProperty(x => x.PreviousVisitAt, visit)));
        await factory.InDbAsync(db => db.Cases.Where(c => c.Id == earlier.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.AssignedAt, visit.AddHours(-1))));
        var later = await data.UniqueCaseAsync("Después");
        await AssignAsync(later.Id, agentId);
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync("/");
        var again = await client.GetDocumentAsync("/");

        var shown = page.RowIds("#assigned-since-last-visit tbody tr", "data-case-id");
        Assert.Contains(later.Id, shown);
        Assert.DoesNotContain(earlier.Id, shown);
        // Reloading within the same visit keeps the list.
        Assert.Contains(later.Id, again.RowIds("#assigned-since-last-visit tbody tr", "data-case-id"));
        var stored = await factory.InDbAsync(db => db.Users.Where(u => u.Id == agentId).Select(u => u.LastSeenAt).SingleAsync());
        Assert.True(stored > visit);
    }

    [Fact]
    public async Task Supervisor_SeesTheTeamsFigures_AsTheDatabaseCountsThem_EachLinkingToItsList()
    {
        var data = await factory.NewDataAsync();
        var agentId = await factory.UserIdAsync(Agent);
        var assigned = await data.UniqueCaseAsync("Asignado", CaseStatus.InProgress);
        await AssignAsync(assigned.Id, agentId);
        await data.UniqueCaseAsync("Sin asignar");
        await data.UniqueCaseAsync("En espera", CaseStatus.OnHold);
        await data.UniqueCaseAsync("Resuelto", CaseStatus.Resolved);
        var client = await factory.ClientAsync(Roles.Supervisor);

        var page = await client.GetDocumentAsync("/");

        var open = await factory.InDbAsync(db => db.Cases.Where(CaseStatuses.IsActiveCase)
            .Select(c => new { c.Status, c.CategoryId, c.AssignedToId, c.CreatedAt }).ToListAsync());
        foreach (var status in CaseStatuses.Active)
        {
            var link = page.QuerySelector($"#by-status a[href='/Cases?status={status}']");
            Assert.NotNull(link);
            Assert.Equal(Invariant(open.Count(c => c.Status == status)), link!.TextContent.Trim());
        }

        var category = page.QuerySelector($"#by-category a[href='/Cases?categoryId={data.Category.Id}']");
        Assert.Equal(Invariant(open.Count(c => c.CategoryId == data.Category.Id)), category!.TextContent.Trim());
        Assert.Equal(3, open.Count(c => c.CategoryId == data.Category.Id));

        var agent = page.QuerySelector($"#by-agent a[href='/Cases?assignee={agentId}']");
        Assert.Equal(Invariant(open.Count(c => c.AssignedToId == agentId)), agent!.TextContent.Trim());
        Assert.Equal(Invariant(open.Count(c => c.AssignedToId == null)), page.QuerySelector("[data-figure=unassigned]")!.TextContent.Trim());
        Assert.Equal("/Cases?assignee=none", page.QuerySelector("#unassigned")!.GetAttribute("href"));

        var now = DateTime.UtcNow;
        var youngest = page.QuerySelector("#by-age a[href='/Cases?age=lt1']");
        Assert.Equal(Invariant(open.Count(c => c.CreatedAt >= now.AddDays(-1))), youngest!.TextContent.Trim());
        var ages = page.QuerySelectorAll("#by-age td.count a").Select(a => int.Parse(a.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture)).Sum();
        Assert.Equal(open.Count, ages);

        // The category's figure is what its list counts.
        var list = await client.GetDocumentAsync(category.GetAttribute("href")!);
        Assert.Equal("3 casos", list.QuerySelector("#list-count")!.TextContent.Trim());
        var byAge = await client.GetDocumentAsync($"/Cases?age=lt1&categoryId={data.Category.Id}");
        Assert.Equal(3, byAge.RowIds("#cases tbody tr[data-case-id]", "data-case-id").Count);
        var older = await client.GetDocumentAsync($"/Cases?age=gt30&categoryId={data.Category.Id}");
        Assert.Empty(older.RowIds("#cases tbody tr[data-case-id]", "data-case-id"));
    }

    [Fact]
    public async Task Supervisor_ChartData_IsAJsonBlock_NoInlineScript()
    {
        var client = await factory.ClientAsync(Roles.Supervisor);

        var page = await client.GetDocumentAsync("/");

        var data = page.QuerySelector("script#chart-data");
        Assert.Equal("application/json", data!.GetAttribute("type"));
        Assert.All(page.QuerySelectorAll("script").Where(s => s.GetAttribute("type") != "application/json"), s => Assert.True(s.HasAttribute("src")));
        Assert.Contains("\"by-status\"", data.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_SeesTheirCasesByDueTime_WithTheirStates_AndTheirAtRiskAndBreachedCounts()
    {
        var (agent, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var (onTime, atRisk, breached) = await CasesDueAsync(agent.Id);

        var page = await client.GetDocumentAsync("/");

        Assert.Equal([breached, atRisk, onTime], page.RowIds("#my-cases-by-due tbody tr", "data-case-id"));
        Assert.Equal(["Incumplido", "En riesgo", "En plazo"], page.QuerySelectorAll("#my-cases-by-due tbody .sla").Select(b => b.TextContent.Trim()));
        Assert.Equal("1", page.QuerySelector("[data-figure=at-risk]")!.TextContent.Trim());
        Assert.Equal("1", page.QuerySelector("[data-figure=breached]")!.TextContent.Trim());
        Assert.Equal("/Cases?view=mine&sla=atrisk", page.QuerySelector("#my-at-risk")!.GetAttribute("href"));
        Assert.Equal("/Cases?view=mine&sla=breached", page.QuerySelector("#my-breached")!.GetAttribute("href"));
        Assert.Equal("/Cases?view=mine&sort=due", page.QuerySelector("#all-my-cases-by-due")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Supervisor_SeesAtRiskAndBreachedByAgent_AndCreatedAgainstResolvedPerDay()
    {
        var agent = await factory.NewUserAsync(Roles.Agent);
        await CasesDueAsync(agent.Id);
        var client = await factory.ClientAsync(Roles.Supervisor);

        var page = await client.GetDocumentAsync("/");

        var row = page.QuerySelector($"#service-by-agent tr[data-agent='{agent.Id}']")!;
        Assert.Contains(agent.DisplayName, row.QuerySelector("th")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["1", "1"], row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()));
        Assert.Equal($"/Cases?assignee={agent.Id}&sla=atrisk", row.QuerySelectorAll("td a")[0].GetAttribute("href"));

        var today = DateTime.UtcNow.Date;
        var (created, resolved) = await factory.InDbAsync(async db => (
            await db.Cases.CountAsync(c => c.CreatedAt >= today),
            await db.Cases.CountAsync(c => c.ResolvedAt >= today)));
        Assert.Equal(30, page.QuerySelectorAll("#created-resolved tbody tr").Length);
        var todayRow = page.QuerySelector($"#created-resolved tr[data-day='{today:yyyy-MM-dd}']")!;
        Assert.Equal([Invariant(created), Invariant(resolved)], todayRow.QuerySelectorAll("td").Select(c => c.TextContent.Trim()));
        Assert.Contains("\"created-resolved\"", page.QuerySelector("script#chart-data")!.TextContent, StringComparison.Ordinal);
    }

    /// <summary>Three active cases of the agent whose clocks run: on time, at risk and breached now (due times written directly).</summary>
    private async Task<(int OnTime, int AtRisk, int Breached)> CasesDueAsync(string agentId)
    {
        var data = await factory.NewDataAsync();
        var now = DateTime.UtcNow;
        var ids = new List<int>();
        foreach (var (due, risk) in new[] { (now.AddDays(2), now.AddDays(1)), (now.AddHours(1), now.AddHours(-1)), (now.AddHours(-1), now.AddHours(-3)) })
        {
            var item = await data.UniqueCaseAsync("Vence");
            await AssignAsync(item.Id, agentId);
            await factory.InDbAsync(db => db.Cases.Where(c => c.Id == item.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.DueAt, due).SetProperty(c => c.AtRiskAt, risk)));
            ids.Add(item.Id);
        }

        return (ids[0], ids[1], ids[2]);
    }

    private Task AssignAsync(int caseId, string assigneeId) =>
        factory.Database.NewCaseService().AssignAsync(caseId, assigneeId, assigneeId, isSupervisor: true);

    public sealed class Sqlite(SqliteWebFactory factory) : StartPageTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : StartPageTests(factory), IClassFixture<PostgresWebFactory>;
}
