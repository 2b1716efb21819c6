using System.Globalization;
using CaseCrm.Data.Identity;
using CaseCrm.Data.Reports;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.Reports;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Reports;

/// <summary>
/// The reports read the summary's units and the few hours where a user's midnight is not UTC's (ADR 0040). On SQLite
/// and PostgreSQL, over cases of 2018 dated mostly within 14 hours of a month's or week's start, each report — six time
/// zones (half-hour ones, +14 h, daylight-saving changes), four groupings, three periods — gives the figures counted
/// case by case in the test.
/// </summary>
public abstract class ReportTilingTests(CrmWebFactory factory)
{
    private static readonly string[] Zones = ["Europe/Madrid", "America/Mexico_City", "Asia/Kolkata", "Pacific/Kiritimati", "America/St_Johns", "Etc/UTC"];

    private static readonly (DateOnly From, DateOnly To)[] Periods =
    [
        (new DateOnly(2018, 1, 1), new DateOnly(2018, 12, 31)),
        (new DateOnly(2018, 3, 20), new DateOnly(2018, 4, 3)),
        (new DateOnly(2018, 10, 27), new DateOnly(2018, 10, 29)),
    ];

    private sealed record Event(ReportMeasure Measure, DateTime At, int? Seconds, int? Target, string Agent, string Category);

    [Fact]
    public async Task EveryReport_CountsWhatTheCasesSay_InEveryTimeZone()
    {
        var events = await SeedAsync();

        await using var db = factory.Database.NewContext();
        var queries = new ReportQueries(db);
        foreach (var zoneId in Zones)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            foreach (var (from, to) in Periods)
            {
                foreach (var grouping in Enum.GetValues<ReportGrouping>())
                {
                    var period = new ReportPeriod(from, to, grouping, CurrentUser.ToUtc(zone, from.ToDateTime(TimeOnly.MinValue)),
                        CurrentUser.ToUtc(zone, to.AddDays(1).ToDateTime(TimeOnly.MinValue)), zone);
                    var report = await queries.RunAsync(period, CancellationToken.None);
                    foreach (var table in new[] { report.FirstResponse, report.Resolution })
                    {
                        var expected = Expected(period, events.Where(e => e.Measure == table.Measure));
                        var actual = table.Rows.Where(r => r.Cases > 0).Select(r => (r.Key, r.Cases, r.WithTarget, r.Met, r.MedianSeconds))
                            .Append((Key: "total", table.Total.Cases, table.Total.WithTarget, table.Total.Met, table.Total.MedianSeconds))
                            .OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
                        Assert.True(expected.SequenceEqual(actual),
                            $"{zoneId} {from}–{to} by {grouping}, {table.Measure}: expected {string.Join(" ", expected)}, got {string.Join(" ", actual)}");
                    }
                }
            }
        }
    }

    /// <summary>The report's non-empty rows and total, counted case by case.</summary>
    private static List<(string Key, int Cases, int WithTarget, int Met, int? MedianSeconds)> Expected(ReportPeriod period, IEnumerable<Event> events)
    {
        var inPeriod = events.Where(e => e.At >= period.FromUtc && e.At < period.ToUtcExclusive).ToList();
        string KeyOf(Event e)
        {
            var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(e.At, period.Zone));
            return period.GroupBy switch
            {
                ReportGrouping.Agent => e.Agent,
                ReportGrouping.Category => e.Category,
                ReportGrouping.Month => new DateOnly(local.Year, local.Month, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ => local.AddDays(-(((int)local.DayOfWeek + 6) % 7)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
        }

        (string, int, int, int, int?) Row(string key, IReadOnlyCollection<Event> group)
        {
            var outcomes = group.Select(e => ReportSummary.Outcome(e.Seconds, e.Target)).ToList();
            var histogram = outcomes.Where(o => o.Step != ReportSummary.NoTarget).GroupBy(o => o.Step).OrderBy(g => g.Key)
                .Select(g => (g.Key, g.Count())).ToList();
            return (key, group.Count, histogram.Sum(h => h.Item2), outcomes.Count(o => o.Met), ReportQueries.Median(histogram) * 60);
        }

        return [.. inPeriod.GroupBy(KeyOf).Select(g => Row(g.Key, [.. g]))
            .Append(Row("total", inPeriod))
            .Where(r => r.Item2 > 0 || r.Item1 == "total")
            .OrderBy(r => r.Item1, StringComparer.Ordinal)];
    }

    /// <summary>
    /// 120 cases answered and most of them resolved in 2018: three in four within 14 hours of a month's or a Monday's UTC
    /// midnight, the others anywhere; working times from seconds to days, with and without targets, over three agents
    /// (and nobody) and two categories. Set on the tracked cases, so the saves keep the summary.
    /// </summary>
    private async Task<List<Event>> SeedAsync()
    {
        var data = await factory.NewDataAsync();
        var categories = new[] { data.Category.Id, (await data.CategoryAsync()).Id };
        var agents = new[] { data.User.Id, (await factory.NewUserAsync(Roles.Agent)).Id, (await factory.NewUserAsync(Roles.Agent)).Id, null };
        var cases = await data.CasesAsync(120);
        var random = new Random(2018);
        DateTime Moment()
        {
            var anchor = random.Next(4) switch
            {
                0 => new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(random.Next(365)),
                1 => new DateTime(2018, random.Next(1, 13), 1, 0, 0, 0, DateTimeKind.Utc),
                _ => new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(7 * random.Next(53)),
            };
            return anchor.AddMinutes(random.Next(-14 * 60, 14 * 60));
        }

        int? Target() => random.Next(4) == 0 ? null : new[] { 30, 60, 240, 480, 2400 }[random.Next(5)];
        int? Seconds() => random.Next(10) == 0 ? null : random.Next(3) == 0 ? random.Next(7200) : random.Next(200_000);

        var events = new List<Event>();
        await factory.InDbAsync(async db =>
        {
            foreach (var item in cases)
            {
                var entry = db.Entry(await db.Cases.SingleAsync(c => c.Id == item.Id));
                var (agent, category) = (agents[random.Next(agents.Length)], categories[random.Next(categories.Length)]);
                var first = (At: Moment(), Seconds: Seconds(), Target: Target());
                var resolved = random.Next(5) == 0 ? ((DateTime At, int? Seconds, int? Target)?)null : (Moment(), Seconds(), Target());
                entry.Property(c => c.AssignedToId).CurrentValue = agent;
                entry.Property(c => c.CategoryId).CurrentValue = category;
                entry.Property(c => c.FirstRespondedAt).CurrentValue = first.At;
                entry.Property(c => c.FirstResponseSeconds).CurrentValue = first.Seconds;
                entry.Property(c => c.FirstResponseTargetMinutes).CurrentValue = first.Target;
                entry.Property(c => c.ResolvedAt).CurrentValue = resolved?.At;
                entry.Property(c => c.ResolutionSeconds).CurrentValue = resolved?.Seconds;
                entry.Property(c => c.ResolutionTargetMinutes).CurrentValue = resolved?.Target;
                var (agentKey, categoryKey) = (agent ?? string.Empty, Invariant(category));
                events.Add(new Event(ReportMeasure.FirstResponse, first.At, first.Seconds, first.Target, agentKey, categoryKey));
                if (resolved is { } r)
                {
                    events.Add(new Event(ReportMeasure.Resolution, r.At, r.Seconds, r.Target, agentKey, categoryKey));
                }
            }

            return await db.SaveChangesAsync();
        });
        return events;
    }

    public sealed class Sqlite(SqliteWebFactory factory) : ReportTilingTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ReportTilingTests(factory), IClassFixture<PostgresWebFactory>;
}
