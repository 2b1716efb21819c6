using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
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
/// The case list stays bounded whatever the data's distribution (issue 21, ADR 0031): with a burst of recent cases of
/// one kind (the skew that made <c>status=InProgress&amp;priority=High</c> walk 26,000 index entries at 1M), every
/// combination of status × priority × category × assignee, in each view, sorted by last change or by "Vence", is read
/// from index ranges in the sort's order — the plan has no scan of the cases and no sort of more than the branches'
/// limits — and shows exactly the rows of a naive ordering in memory. No timing: the plan is the evidence.
/// </summary>
public abstract partial class CaseListBoundedTests(DatabaseProvider provider) : DatabaseTest(provider)
{
    private static readonly DateTime Start = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task EveryFilterCombination_IsReadFromIndexRangesInTheSortsOrder_AndShowsTheRowsOfANaiveOrdering()
    {
        var agent = await Data.UserAsync();
        var other = await Data.CategoryAsync();
        await SkewedCasesAsync(agent.Id, other.Id);
        var all = await Database.InDbAsync(db => db.Cases.AsNoTracking()
            .Select(c => new Listed(c.Id, c.Status, c.Priority, c.CategoryId, c.AssignedToId, c.UpdatedAt, c.DueSort)).ToListAsync());

        var capture = new QueryPlan.LastCommand();
        await using var db = QueryPlan.Context(Database, capture);
        await db.Database.OpenConnectionAsync();
        if (Provider == DatabaseProvider.Postgres)
        {
            // Statistics as at scale; forbidding scans, bitmaps and sorts shows whether ordered index ranges can serve it.
            await db.Database.ExecuteSqlRawAsync("ANALYZE \"Cases\"");
            await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off");
        }

        // The list's reads only need the context and the clock.
        var queries = new CaseQueries(db, new AccountLookup(db), null!, new CaseFamilyQueries(db, null!), new CaseWorkQueries(db), TimeProvider.System);
        var checkedCount = 0;
        foreach (var view in new[] { CaseListFilter.ActiveView, CaseListFilter.AllView, CaseListFilter.MineView })
        foreach (var status in new CaseStatus?[] { null, CaseStatus.InProgress })
        foreach (var priority in new CasePriority?[] { null, CasePriority.High })
        foreach (var categoryId in new int?[] { null, Data.Category.Id })
        foreach (var assignee in view == CaseListFilter.MineView ? [null] : new[] { null, agent.Id, "none" })
        foreach (var sort in new[] { new SortOrder("updated", true), new SortOrder("due", false) })
        {
            var filter = new CaseListFilter { View = view, Status = status, Priority = priority, CategoryId = categoryId, Assignee = assignee, Size = 25 };
            var what = $"{view} status={status} priority={priority} category={categoryId} assignee={assignee} sort={sort.Key}";
            var expected = Expected(all, filter, sort, Data.User.Id);

            var page = await queries.ListAsync(filter, sort, Data.User.Id, default);

            Assert.True(expected.Take(25).Select(c => c.Id).SequenceEqual(page.Items.Select(r => r.Id)), what);
            Assert.Equal(Math.Min(expected.Count, Paging.CountCap + 1), page.Count);
            var plan = await capture.PlanAsync(db, tree: true);
            var unfiltered = view == CaseListFilter.AllView && status is null && priority is null && categoryId is null && assignee is null;
            AssertBounded(plan, unfiltered, capture.Text, what);
            checkedCount++;

            filter.Page = 3;
            var third = await queries.ListAsync(filter, sort, Data.User.Id, default);
            Assert.True(expected.Skip(50).Take(25).Select(c => c.Id).SequenceEqual(third.Items.Select(r => r.Id)), what + " page 3");

            if (page.Items.Count == 0)
            {
                continue;
            }

            var keyset = await queries.AfterAsync(filter, sort, CaseListKey.Of(page.Items[^1], sort.Key), 25, Data.User.Id, default);
            Assert.True(expected.Skip(25).Take(25).Select(c => c.Id).SequenceEqual(keyset.Select(r => r.Id)), what + " keyset");
            AssertBounded(await capture.PlanAsync(db, tree: true), unfiltered, capture.Text, what + " keyset");
        }

        Assert.Equal(2 * ((2 * 2 * 2 * 3 * 2) + (2 * 2 * 2 * 1)), checkedCount);
    }

    /// <summary>
    /// Some hundred cases spread over every status, priority, category and assignee, then a burst of the most recent
    /// changes and the soonest due times of two kinds: New + Normal + the default category + unassigned, and
    /// InProgress + Low + <paramref name="agentId"/> in <paramref name="otherCategoryId"/>.
    /// </summary>
    private async Task SkewedCasesAsync(string agentId, int otherCategoryId)
    {
        var template = await Data.CaseAsync();
        // Every status × priority × category × assignee (6 × 5 × 2 × 3 = 180) at least once.
        await InsertCopiesAsync(template.Id, 240, "(\"i\" % 6) + 1", "CASE (\"i\" / 6) % 5 WHEN 0 THEN NULL ELSE (\"i\" / 6) % 5 END",
            $"CASE (\"i\" / 30) % 2 WHEN 0 THEN {Data.Category.Id} ELSE {otherCategoryId} END",
            $"CASE (\"i\" / 60) % 3 WHEN 0 THEN NULL WHEN 1 THEN '{agentId}' ELSE '{Data.User.Id}' END", Start, Start.AddDays(10));
        await InsertCopiesAsync(template.Id, 3000, "1", "2", Data.Category.Id.ToString(CultureInfo.InvariantCulture), "NULL", Start.AddDays(30), Start.AddDays(-30));
        await InsertCopiesAsync(template.Id, 1500, "2", "1", otherCategoryId.ToString(CultureInfo.InvariantCulture), $"'{agentId}'", Start.AddDays(31), Start.AddDays(-31));
    }

    /// <summary>
    /// <paramref name="count"/> copies of the template case in one statement, numbered i = 1…count: the status, priority,
    /// category and assignee from SQL of i; the last change and due time (DueAt = DueSort) a minute apart from <paramref name="updatedFrom"/>
    /// and <paramref name="dueFrom"/> (a few equal, to check the tie on the id).
    /// </summary>
    private async Task InsertCopiesAsync(int templateId, int count, string status, string priority, string category, string assignee, DateTime updatedFrom, DateTime dueFrom)
    {
        await using var db = Database.NewContext();
        var entity = db.Model.FindEntityType(typeof(Case))!;
        var set = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Status"] = status,
            ["Priority"] = priority,
            ["CategoryId"] = category,
            ["AssignedToId"] = assignee,
            ["SubmissionKey"] = "NULL",
        };
        var columns = entity.GetProperties().Where(p => !p.IsPrimaryKey()).Select(p => p.GetColumnName()).ToList();
        var moments = Enumerable.Range(1, count).Select(i => (Updated: updatedFrom.AddMinutes(i / 3), Due: dueFrom.AddMinutes(i / 2))).ToList();
        // The moments come from a VALUES list of parameters, so each database stores them in its own format.
        for (var from = 0; from < count; from += 400)
        {
            var chunk = moments.Skip(from).Take(400).ToList();
            var values = string.Join(", ", chunk.Select((_, k) => $"({from + k + 1}, {{{2 * k}}}, {{{(2 * k) + 1}}})"));
            var select = string.Join(", ", columns.Select(c => set.TryGetValue(c, out var value) ? value
                : c == "UpdatedAt" ? "\"n\".\"u\"" : c is "DueSort" or "DueAt" ? "\"n\".\"d\"" : $"\"t\".\"{c}\""));
            var sql = $"WITH \"n\"(\"i\", \"u\", \"d\") AS (VALUES {values}) INSERT INTO \"Cases\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) "
                + $"SELECT {select} FROM \"Cases\" AS \"t\", \"n\" WHERE \"t\".\"Id\" = {templateId}";
            await db.Database.ExecuteSqlRawAsync(sql, chunk.SelectMany(m => new object[] { m.Updated, m.Due }));
        }
    }

    private sealed record Listed(int Id, CaseStatus Status, CasePriority? Priority, int CategoryId, string? AssignedToId, DateTime UpdatedAt, DateTime DueSort);

    /// <summary>The list's rows by the definition: filter and sort the whole table in memory.</summary>
    private static List<Listed> Expected(List<Listed> all, CaseListFilter filter, SortOrder sort, string me)
    {
        var rows = all.AsEnumerable();
        if (filter.EffectiveView == CaseListFilter.MineView)
        {
            rows = rows.Where(c => c.AssignedToId == me);
        }
        else if (filter.Assignee is { } assignee)
        {
            rows = rows.Where(c => c.AssignedToId == (assignee == "none" ? null : assignee));
        }

        rows = filter.Status is { } status ? rows.Where(c => c.Status == status)
            : filter.EffectiveView == CaseListFilter.AllView ? rows : rows.Where(c => c.Status.IsActive());
        rows = filter.Priority is { } priority ? rows.Where(c => c.Priority == priority) : rows;
        rows = filter.CategoryId is { } category ? rows.Where(c => c.CategoryId == category) : rows;
        return sort.Key == "due"
            ? [.. rows.OrderBy(c => c.DueSort).ThenBy(c => c.Id)]
            : [.. rows.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)];
    }

    /// <summary>
    /// SQLite: no scan of a table or index of the cases (only searches of index ranges), and an ORDER BY sorted in a
    /// temporary b-tree only where branches merge (their rows, at most branches × limit). PostgreSQL: no sequential or
    /// full scan of the cases, and every sort above a limit of each branch.
    /// </summary>
    private void AssertBounded(string plan, bool unfiltered, string sql, string what)
    {
        var message = $"{what}\n{plan}\n{sql}";
        if (Provider == DatabaseProvider.Sqlite)
        {
            var nodes = plan.Split('\n').Select(l => l.Split('|', 3)).Select(n => (Id: n[0], Parent: n[1], Detail: n[2])).ToList();
            // Subqueries read as co-routines or materialized are scanned by their name: those scans read their LIMIT.
            var subqueries = nodes.Select(n => Subquery().Match(n.Detail)).Where(m => m.Success).Select(m => m.Groups[2].Value).ToHashSet();
            bool ReadsATable(string detail) => TableRead().Match(detail) is { Success: true } m && !subqueries.Contains(m.Groups[2].Value);
            var scans = nodes.Where(n => ReadsATable(n.Detail) && n.Detail.StartsWith("SCAN", StringComparison.Ordinal)).ToList();
            // The unfiltered "all" view walks (UpdatedAt, Id) or (DueSort, Id), and counts any 1,001 rows: every row matches.
            Assert.True(unfiltered ? nodes.Any(n => n.Detail.Contains("IX_Cases_UpdatedAt_Id", StringComparison.Ordinal) || n.Detail.Contains("IX_Cases_DueSort_Id", StringComparison.Ordinal)) : scans.Count == 0, message);
            // A sort in a temporary b-tree sorts what its siblings read: a branch's limited rows, or the page's rows by id —
            // never an index range of the cases.
            var sorted = nodes.Where(n => n.Detail.StartsWith("USE TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal));
            Assert.True(sorted.All(t => !nodes.Any(n => n.Parent == t.Parent && ReadsATable(n.Detail) && !n.Detail.Contains("INTEGER PRIMARY KEY", StringComparison.Ordinal))), message);
            return;
        }

        using var json = JsonDocument.Parse(plan);
        var root = json.RootElement[0].GetProperty("Plan");
        Assert.True(Bounded(root, underLimit: false), message);
    }

    /// <summary>Whether no node reads the cases in full: no sequential scan, and no sort or hash over a scan without a limit between.</summary>
    private static bool Bounded(JsonElement node, bool underLimit)
    {
        var type = node.GetProperty("Node Type").GetString();
        var relation = node.TryGetProperty("Relation Name", out var r) ? r.GetString() : null;
        if (relation == "Cases" && type is "Seq Scan" or "Bitmap Heap Scan")
        {
            return false;
        }

        if (type is "Sort" or "Incremental Sort" && !ReadsOnlyLimited(node))
        {
            return false;
        }

        return !node.TryGetProperty("Plans", out var children) || children.EnumerateArray().All(c => Bounded(c, underLimit || type == "Limit"));
    }

    /// <summary>Whether every path from <paramref name="node"/> down to a read of the cases passes a Limit.</summary>
    private static bool ReadsOnlyLimited(JsonElement node)
    {
        var type = node.GetProperty("Node Type").GetString();
        if (type == "Limit")
        {
            return true;
        }

        if (node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == "Cases")
        {
            return false;
        }

        return !node.TryGetProperty("Plans", out var children) || children.EnumerateArray().All(ReadsOnlyLimited);
    }

    [GeneratedRegex(@"^(CO-ROUTINE|MATERIALIZE) (\S+)")]
    private static partial Regex Subquery();

    [GeneratedRegex(@"^(SCAN|SEARCH) (\S+)")]
    private static partial Regex TableRead();

    public sealed class Sqlite() : CaseListBoundedTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : CaseListBoundedTests(DatabaseProvider.Postgres);
}
