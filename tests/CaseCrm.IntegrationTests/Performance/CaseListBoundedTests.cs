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
/// combination of status × priority × category × assignee, in each view, sorted by last change, "Vence", status or
/// priority, is read
/// from index ranges in the sort's order — the plan has no scan of the cases and no sort of more than the branches'
/// limits (SQLite), it reads at most a constant × branches × (offset + rows) entries (PostgreSQL, EXPLAIN ANALYZE) — and
/// shows exactly the rows of a naive ordering in memory, on page 1, page 3 and a keyset page. No timing.
/// </summary>
public abstract partial class CaseListBoundedTests(DatabaseProvider provider) : DatabaseTest(provider)
{
    private static readonly DateTime Start = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);

    // Last change (the default, and oldest first as the start page reads it), "Vence" both ways, and the status and
    // priority sorts, which the same branches serve.
    private static readonly SortOrder[] Sorts =
    [
        new("updated", true), new("updated", false), new("due", false), new("due", true),
        new("status", false), new("priority", true), new("priority", false),
    ];

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
            // Statistics of the skewed set; the tables are small, so sequential and bitmap scans (which read a whole
            // range or table at once) are forbidden to see whether ordered index ranges can serve the query.
            await db.Database.ExecuteSqlRawAsync("ANALYZE \"Cases\"");
            await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off; SET enable_bitmapscan = off");
        }

        // The list's reads only need the context and the clock.
        var queries = new CaseQueries(db, new AccountLookup(db), null!, new CaseFamilyQueries(db, null!), new CaseWorkQueries(db), TimeProvider.System);
        var checkedCount = 0;
        foreach (var view in new[] { CaseListFilter.ActiveView, CaseListFilter.AllView, CaseListFilter.MineView })
        foreach (var status in new CaseStatus?[] { null, CaseStatus.InProgress })
        foreach (var priority in new CasePriority?[] { null, CasePriority.High })
        foreach (var categoryId in new int?[] { null, Data.Category.Id })
        foreach (var assignee in view == CaseListFilter.MineView ? [null] : new[] { null, agent.Id, "none" })
        foreach (var sort in Sorts)
        {
            var filter = new CaseListFilter { View = view, Status = status, Priority = priority, CategoryId = categoryId, Assignee = assignee, Size = 25 };
            var what = $"{view} status={status} priority={priority} category={categoryId} assignee={assignee} sort={sort.Key}";
            var expected = Expected(all, filter, sort, Data.User.Id, nullsFirst: Provider != DatabaseProvider.Postgres);

            var page = await queries.ListAsync(filter, sort, Data.User.Id, default);

            Assert.True(expected.Take(25).Select(c => c.Id).SequenceEqual(page.Items.Select(r => r.Id)), what);
            Assert.Equal(Math.Min(expected.Count, Paging.CountCap + 1), page.Count);
            var plan = await capture.PlanAsync(db, tree: true);
            var unfiltered = view == CaseListFilter.AllView && status is null && priority is null && categoryId is null && assignee is null;
            AssertBounded(plan, unfiltered, capture.Text, 26, what);
            checkedCount++;

            filter.Page = 3;
            var third = await queries.ListAsync(filter, sort, Data.User.Id, default);
            Assert.True(expected.Skip(50).Take(25).Select(c => c.Id).SequenceEqual(third.Items.Select(r => r.Id)), what + " page 3");
            AssertBounded(await capture.PlanAsync(db, tree: true), unfiltered, capture.Text, 76, what + " page 3");

            if (page.Items.Count == 0)
            {
                continue;
            }

            var keyset = await queries.AfterAsync(filter, sort, CaseListKey.Of(page.Items[^1], sort.Key), 25, Data.User.Id, default);
            Assert.True(expected.Skip(25).Take(25).Select(c => c.Id).SequenceEqual(keyset.Select(r => r.Id)), what + " keyset");
            AssertBounded(await capture.PlanAsync(db, tree: true), unfiltered, capture.Text, 25, what + " keyset");
        }

        Assert.Equal(Sorts.Length * ((2 * 2 * 2 * 3 * 2) + (2 * 2 * 2 * 1)), checkedCount);
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
    private static List<Listed> Expected(List<Listed> all, CaseListFilter filter, SortOrder sort, string me, bool nullsFirst)
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
        // In an ascending sort the cases without a priority come first on SQLite, last on PostgreSQL.
        Func<Listed, int> rank = c => c.Priority is { } p ? (int)p : nullsFirst ? 0 : 9;
        var ordered = sort.Key switch
        {
            "due" => rows.OrderBy(c => c.DueSort).ThenBy(c => c.Id),
            "status" => rows.OrderBy(c => c.Status).ThenBy(c => c.UpdatedAt).ThenBy(c => c.Id),
            "priority" => rows.OrderBy(rank).ThenBy(c => c.UpdatedAt).ThenBy(c => c.Id),
            _ => rows.OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id),
        };
        return sort.Descending ? [.. ordered.Reverse()] : [.. ordered];
    }

    /// <summary>
    /// SQLite (no statistics, so its plan is its rules'): no scan of a table or index of the cases, only searches of index
    /// ranges, and an ORDER BY sorted in a temporary b-tree only beside reads of limited branches or of rows by id.
    /// PostgreSQL (statistics of the skewed set): EXPLAIN ANALYZE reads at most 2 × branches × <paramref name="limit"/>
    /// (offset + rows) entries of the cases for the page — a walk that skipped the burst would read thousands.
    /// </summary>
    private void AssertBounded(string plan, bool unfiltered, string sql, int limit, string what)
    {
        var message = $"{what}\n{plan}\n{sql}";
        if (Provider == DatabaseProvider.Sqlite)
        {
            var nodes = plan.Split('\n').Select(l => l.Split('|', 3)).Select(n => (Id: n[0], Parent: n[1], Detail: n[2])).ToList();
            // Subqueries read as co-routines or materialized are scanned by their name: those scans read their LIMIT.
            var subqueries = nodes.Select(n => Subquery().Match(n.Detail)).Where(m => m.Success).Select(m => m.Groups[2].Value).ToHashSet();
            bool ReadsATable(string detail) => TableRead().Match(detail) is { Success: true } m && !subqueries.Contains(m.Groups[2].Value);
            var scans = nodes.Where(n => ReadsATable(n.Detail) && n.Detail.StartsWith("SCAN", StringComparison.Ordinal)).ToList();
            // The unfiltered "all" view counts any 1,001 rows (every row matches): a scan, in the count's subquery; and it
            // walks the sort's own index, (UpdatedAt, Id) or (DueSort, Id), in order, as far as the page (ADR 0033).
            bool InCount(string parent) => nodes.FirstOrDefault(n => n.Id == parent) is { Id: not null } up
                && (up.Detail.StartsWith("SCALAR SUBQUERY", StringComparison.Ordinal) || InCount(up.Parent));
            bool WalksTheSortsIndex(string detail) => SortIndexWalk().IsMatch(detail);
            Assert.True(scans.All(n => unfiltered && (InCount(n.Parent) || WalksTheSortsIndex(n.Detail))), message);
            // A sort in a temporary b-tree sorts what its siblings read: a branch's limited rows, or the page's rows by id —
            // never an index range of the cases.
            var sorted = nodes.Where(n => n.Detail.StartsWith("USE TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal));
            Assert.True(sorted.All(t => !nodes.Any(n => n.Parent == t.Parent && ReadsATable(n.Detail) && !n.Detail.Contains("INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal))), message);
            return;
        }

        using var json = JsonDocument.Parse(plan);
        var read = EntriesRead(json.RootElement[0].GetProperty("Plan"), inCount: false);
        var branches = Regex.Count(sql, "UNION ALL") + 1;
        Assert.True(read <= 2 * branches * limit, $"{read} entries read for {branches} × {limit}\n{message}");
    }

    /// <summary>
    /// The index entries (or rows) of the cases a PostgreSQL plan read, by EXPLAIN ANALYZE: what each scan returned and
    /// what its filter removed, times its loops — without the reads of the page's rows by id and of the capped count.
    /// </summary>
    private static long EntriesRead(JsonElement node, bool inCount)
    {
        inCount |= node.TryGetProperty("Parent Relationship", out var parent) && parent.GetString() == "InitPlan";
        long read = 0;
        if (!inCount && node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == "Cases"
            && !(node.TryGetProperty("Index Name", out var index) && index.GetString() == "PK_Cases"))
        {
            long Of(string name) => node.TryGetProperty(name, out var value) ? value.GetInt64() : 0;
            read = (Of("Actual Rows") + Of("Rows Removed by Filter") + Of("Rows Removed by Index Recheck")) * Math.Max(1, Of("Actual Loops"));
        }

        return read + (node.TryGetProperty("Plans", out var children) ? children.EnumerateArray().Sum(c => EntriesRead(c, inCount)) : 0);
    }

    [GeneratedRegex(@"^(CO-ROUTINE|MATERIALIZE) (\S+)")]
    private static partial Regex Subquery();

    [GeneratedRegex(@"^SCAN \S+ USING (COVERING )?INDEX ""?IX_Cases_(UpdatedAt|DueSort)_Id""?$")]
    private static partial Regex SortIndexWalk();

    [GeneratedRegex(@"^(SCAN|SEARCH) (\S+)")]
    private static partial Regex TableRead();

    public sealed class Sqlite() : CaseListBoundedTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : CaseListBoundedTests(DatabaseProvider.Postgres);
}
