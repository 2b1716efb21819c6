using System.Globalization;
using System.Text.RegularExpressions;
using CaseCrm.Data;
using CaseCrm.Domain.Activities;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.Activities;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>
/// The activity lists under PostgreSQL's prepared statements (ADR 0037): a statement run often keeps a generic plan,
/// costed for an average contact or owner, and that plan must suit the busiest one too. Each list's page is chosen by an
/// ordered walk of one index range that stops at the page (the index ends with the list's last sort column, Id): no sort
/// of the range and no bitmap read of it, which cost the busiest contact's tab 27 times more (docs/performance.md, "The
/// activity lists under prepared statements"). PostgreSQL only: SQLite prepares nothing across requests.
/// </summary>
public sealed partial class ActivityListPlanTests() : DatabaseTest(DatabaseProvider.Postgres)
{
    [Fact]
    public async Task EveryActivityList_UnderAGenericPlan_WalksOneIndexRangeInTheListsOrder()
    {
        var busiestCase = await Data.CaseAsync();
        // 500 activities around the busiest contact, account and case, 1,500 around as many others (one each): the generic
        // plan of "= $1" expects about one row, the busiest has 500. Half of them open, due from 20 days ago to 20 days ahead.
        await Database.InDbAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Activities" ("Type", "Subject", "Priority", "Status", "OwnerId", "RegardingType", "CaseId",
                "ScheduledAt", "DueAt", "CreatedById", "CreatedAt", "UpdatedById", "UpdatedAt", "Version", "AroundContactId", "AroundAccountId")
            SELECT {(int)ActivityType.Task}, 'Tarea ' || i, {(int)ActivityPriority.Normal},
                CASE WHEN i % 2 = 0 THEN {(int)ActivityStatus.Open} ELSE {(int)ActivityStatus.Completed} END, {Data.User.Id},
                CASE WHEN i <= 500 THEN {(int)RegardingType.Case} END, CASE WHEN i <= 500 THEN {busiestCase.Id} END,
                now() + (i % 40 - 20) * interval '1 day', now() + (i % 40 - 20) * interval '1 day',
                {Data.User.Id}, now() - i * interval '1 minute', {Data.User.Id}, now(), 1,
                CASE WHEN i <= 500 THEN {Data.Contact.Id} ELSE 100000 + i END, CASE WHEN i <= 500 THEN {Data.Account.Id} ELSE 100000 + i END
            FROM generate_series(1, 2000) AS i
            """));

        var capture = new QueryPlan.LastCommand();
        await using var db = QueryPlan.Context(Database, capture);
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("ANALYZE \"Activities\"; SET plan_cache_mode = force_generic_plan");
        var queries = new ActivityQueries(db, null!, null!, null!);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");

        (string What, Func<Task<int>> Read)[] lists =
        [
            ("the contact's tab", async () => (await queries.AroundAsync(RegardingType.Contact, Data.Contact.Id, 2, default)).Items.Count),
            ("the account's tab", async () => (await queries.AroundAsync(RegardingType.Account, Data.Account.Id, 1, default)).Items.Count),
            ("the case's activities", async () => (await queries.AroundAsync(RegardingType.Case, busiestCase.Id, 1, default)).Items.Count),
            ("the contact's tab by cursor", async () => (await queries.AroundAfterAsync(RegardingType.Contact, Data.Contact.Id, null, 100, default)).Count),
            .. Enum.GetValues<ActivityView>().Select(view => ($"Mis actividades, {view}",
                (Func<Task<int>>)(async () => (await queries.ListAsync(Data.User.Id, view, DateTime.UtcNow, zone, 1, default)).Items.Count))),
            ("Mis actividades, Overdue by cursor",
                async () => (await queries.ListAfterAsync(Data.User.Id, ActivityView.Overdue, DateTime.UtcNow, zone, null, 100, default)).Count),
        ];

        foreach (var (what, read) in lists)
        {
            Assert.True(await read() > 0, $"{what}: no rows, so nothing was checked");
            var plan = await GenericPlanAsync(db, capture);
            var lines = plan.Split('\n');
            var limit = Array.FindIndex(lines, l => l.Contains("Limit", StringComparison.Ordinal));
            Assert.True(limit >= 0 && limit + 1 < lines.Length, $"{what}: no limit in\n{plan}");
            Assert.Matches(IndexWalk(), lines[limit + 1]);
            Assert.DoesNotContain("Bitmap", plan, StringComparison.Ordinal);
        }
    }

    // The node right under the page's LIMIT: an index walk, not a sort of what a range returned.
    [GeneratedRegex(@"->\s+Index (Only )?Scan (Backward )?using ""IX_Activities_\w+_Id""")]
    private static partial Regex IndexWalk();

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();

    /// <summary>The plan PostgreSQL keeps for the last query once prepared, whatever its values: PREPARE, EXPLAIN EXECUTE.</summary>
    private static async Task<string> GenericPlanAsync(CrmDbContext db, QueryPlan.LastCommand capture)
    {
        var names = Parameter().Matches(capture.Text).Select(m => m.Value).Distinct().ToList();
        var text = Parameter().Replace(capture.Text, m => "$" + (names.IndexOf(m.Value) + 1));
        await using (var prepare = db.Database.GetDbConnection().CreateCommand())
        {
            prepare.CommandText = "DEALLOCATE ALL; PREPARE activity_list AS " + text;
            await prepare.ExecuteNonQueryAsync();
        }

        // EXPLAIN takes no parameters: the values as literals (the generic plan does not look at them anyway).
        var values = names.Select(n => capture.Parameters.Single(p => "@" + p.Name.TrimStart('@') == n).Value switch
        {
            DateTime at => $"'{at:yyyy-MM-dd HH:mm:ss.ffffff}+00'",
            string text => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'",
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            var other => throw new InvalidOperationException($"No literal for {other}"),
        });
        return await capture.PlanAsync(db, statement: names.Count == 0 ? "EXECUTE activity_list" : $"EXECUTE activity_list({string.Join(", ", values)})");
    }
}
