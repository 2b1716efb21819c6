using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.Accounts;
using CaseCrm.Web.Features.CaseFamily;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Features.CaseWork;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>
/// The case list's query is compiled once per shape (ADR 0036): a second request of the same shape reads its own values
/// (category, assignee, "Mis casos" user, case number, the age filter's moment), never the first request's.
/// </summary>
public abstract class CaseListShapeTests(DatabaseProvider provider) : DatabaseTest(provider)
{
    [Fact]
    public async Task OneShape_ReadsEachRequestsOwnValues()
    {
        var second = await Data.UserAsync();
        var otherCategory = await Data.CategoryAsync();
        var first = await Data.CaseAsync();
        var other = await Data.CaseAsync(fields: Data.Fields(categoryId: otherCategory.Id));
        await using (var setup = Database.NewContext())
        {
            await setup.Cases.Where(c => c.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssignedToId, Data.User.Id));
            await setup.Cases.Where(c => c.Id == other.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssignedToId, second.Id));
        }

        var now = DateTimeOffset.UtcNow;
        // A context with a model of its own (no shared service provider), so its compiled shapes are this test's alone.
        await using CrmDbContext db = Provider == DatabaseProvider.Sqlite
            ? new SqliteCrmDbContext(new DbContextOptionsBuilder<SqliteCrmDbContext>().UseSqlite(Database.ConnectionString).EnableServiceProviderCaching(false).Options)
            : new PostgresCrmDbContext(new DbContextOptionsBuilder<PostgresCrmDbContext>().UseNpgsql(Database.ConnectionString).EnableServiceProviderCaching(false).Options);
        async Task<int[]> ListedAsync(CaseListFilter filter, string userId, TimeProvider? clock = null)
        {
            var queries = new CaseQueries(db, new AccountLookup(db), null!, new CaseFamilyQueries(db, null!), new CaseWorkQueries(db), clock ?? TimeProvider.System);
            var page = await queries.ListAsync(filter, new SortOrder("updated", true), userId, default);
            Assert.Equal(page.Items.Count, page.Count);
            return [.. page.Items.Select(r => r.Id)];
        }

        Assert.Equal([first.Id], await ListedAsync(new() { CategoryId = Data.Category.Id }, Data.User.Id));
        Assert.Equal([other.Id], await ListedAsync(new() { CategoryId = otherCategory.Id }, Data.User.Id));
        Assert.Equal([first.Id], await ListedAsync(new() { View = CaseListFilter.MineView }, Data.User.Id));
        Assert.Equal([other.Id], await ListedAsync(new() { View = CaseListFilter.MineView }, second.Id));
        Assert.Equal([first.Id], await ListedAsync(new() { Assignee = Data.User.Id }, second.Id));
        Assert.Equal([other.Id], await ListedAsync(new() { Assignee = second.Id }, second.Id));
        Assert.Equal([first.Id], await ListedAsync(new() { View = CaseListFilter.AllView, Q = CaseNumber.Format(first.Id) }, Data.User.Id));
        Assert.Equal([other.Id], await ListedAsync(new() { View = CaseListFilter.AllView, Q = CaseNumber.Format(other.Id) }, Data.User.Id));
        // Created just now: not in "1 to 3 days old" today, in it two days later.
        Assert.Empty(await ListedAsync(new() { Age = "1to3" }, Data.User.Id, new FixedClock(now)));
        Assert.Equal(2, (await ListedAsync(new() { Age = "1to3" }, Data.User.Id, new FixedClock(now.AddDays(2)))).Length);
        // Five shapes, each read twice: every read above went through a compiled query.
        Assert.Equal(5, CaseListShape.Kept(db.Model));
    }

    [Fact]
    public async Task AValueCapturedOutsideTheArguments_IsRefused()
    {
        await using var db = Database.NewContext();
        var id = (await Data.CaseAsync()).Id;
        var query = db.Cases.Where(c => c.Id == id).Select(c => new Counted<int>(c.Id, 1));

        var refused = Assert.Throws<InvalidOperationException>(() => new CaseListShape.CompiledPage<int>(query.Expression));

        Assert.Contains("id", refused.Message, StringComparison.Ordinal);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public sealed class Sqlite() : CaseListShapeTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : CaseListShapeTests(DatabaseProvider.Postgres);
}
