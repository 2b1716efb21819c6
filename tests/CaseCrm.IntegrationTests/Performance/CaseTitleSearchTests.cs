using CaseCrm.Data;
using CaseCrm.Domain.Text;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>
/// The case title search (ADR 0008): the same answers as a plain substring test on every provider, kept current when
/// a title changes, and served by the provider's substring index (SQLite FTS5 trigram table, PostgreSQL pg_trgm).
/// </summary>
public abstract class CaseTitleSearchTests(DatabaseProvider provider) : DatabaseTest(provider)
{
    [Theory]
    [InlineData("medidor")]
    [InlineData("MEDIDOR AVERIADO")]
    [InlineData("averíado en")]
    [InlineData("do")]
    public async Task CaseTitleSearch_FindsTheCasesWhoseTitleContainsTheText(string typed)
    {
        var wanted = await Data.CaseAsync(fields: Data.Fields(title: "Medidor averiado en la calle Mayor"));
        var other = await Data.CaseAsync(fields: Data.Fields(title: "Cambio de titular"));

        var found = await SearchCasesAsync(typed);

        Assert.Contains(wanted.Id, found);
        Assert.DoesNotContain(other.Id, found);
        Assert.Equal(await ExpectedCasesAsync(typed), found);
    }

    [Fact]
    public async Task CaseTitleSearch_FollowsATitleChange()
    {
        var item = await Data.CaseAsync(fields: Data.Fields(title: "Lectura del contador"));
        Assert.Equal([item.Id], await SearchCasesAsync("lectura"));

        await Database.NewCaseService().UpdateAsync(item.Id, item.Version, Data.Fields(title: "Corte de suministro"), item.Status, Data.User.Id);

        Assert.Empty(await SearchCasesAsync("lectura"));
        Assert.Equal([item.Id], await SearchCasesAsync("suministro"));
    }

    [Fact]
    public async Task CaseTitleSearch_IsServedByTheSubstringIndex()
    {
        await Data.CaseAsync(fields: Data.Fields(title: "Lectura del contador"));
        var capture = new QueryPlan.LastCommand();
        await using var db = QueryPlan.Context(Database, capture);
        await db.Database.OpenConnectionAsync();
        // A table of a few rows is cheapest to walk in last-change order once autovacuum has analyzed it (under the whole
        // suite's load it sometimes had): without ordered index walks, the plan shows whether the search itself can use the
        // trigram index, which is what this test is about (at scale the planner picks it: docs/performance.md).
        if (Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("SET enable_indexscan = off");
        }

        await QueryPlan.ForbidScansAsync(db);

        await db.WhereTitleContains(db.Cases, "contador").OrderByDescending(c => c.UpdatedAt).Take(26).ToListAsync();
        var plan = await capture.PlanAsync(db);

        Assert.Contains(Provider == DatabaseProvider.Sqlite ? "SCAN CaseSearch VIRTUAL TABLE INDEX" : "IX_Cases_SearchTitle_Trigram", plan, StringComparison.Ordinal);
    }

    private async Task<List<int>> SearchCasesAsync(string typed)
    {
        await using var db = Database.NewContext();
        return await db.WhereTitleContains(db.Cases, SearchText.Fold(typed)).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
    }

    private async Task<List<int>> ExpectedCasesAsync(string typed)
    {
        await using var db = Database.NewContext();
        var all = await db.Cases.OrderBy(c => c.Id).Select(c => new { c.Id, c.SearchTitle }).ToListAsync();
        return [.. all.Where(c => c.SearchTitle.Contains(SearchText.Fold(typed), StringComparison.Ordinal)).Select(c => c.Id)];
    }

    public sealed class Sqlite() : CaseTitleSearchTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : CaseTitleSearchTests(DatabaseProvider.Postgres);
}
