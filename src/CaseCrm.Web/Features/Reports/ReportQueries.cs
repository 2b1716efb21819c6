using System.Globalization;
using System.Linq.Expressions;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace CaseCrm.Web.Features.Reports;

/// <summary>How a report groups its cases.</summary>
public enum ReportGrouping
{
    Week = 1,
    Month = 2,
    Agent = 3,
    Category = 4,
}

/// <summary>The two service-level targets a report measures.</summary>
public enum ReportMeasure
{
    FirstResponse = 1,
    Resolution = 2,
}

/// <summary>A report's period: whole days in the user's time zone, both included, and where they start and end in UTC.</summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To, ReportGrouping GroupBy, DateTime FromUtc, DateTime ToUtcExclusive, TimeZoneInfo Zone);

/// <summary>
/// One group of a report: the cases counted (first-responded or resolved in the period), those of them with a target,
/// those that met it, and the median working time of those with a target. <see cref="Start"/> is the first day of a week
/// or a month; <see cref="Name"/> an agent's or a category's name (null for unassigned cases).
/// </summary>
public sealed record ReportRow(string Key, DateOnly? Start, string? Name, int Cases, int WithTarget, int Met, int? MedianSeconds)
{
    /// <summary>The share of the cases with a target that met it, 0–100; null when none had a target.</summary>
    public double? MetPercent => WithTarget == 0 ? null : 100.0 * Met / WithTarget;
}

public sealed record ReportTable(ReportMeasure Measure, IReadOnlyList<ReportRow> Rows, ReportRow Total);

public sealed record Report(ReportPeriod Period, ReportTable FirstResponse, ReportTable Resolution);

/// <summary>
/// Informes (docs/reports.md): service-level compliance and median working times per week, month, agent or category.
/// Each measure is one statement over the period's range of its covering index that counts the cases per group, step
/// of working time (<see cref="MedianStep"/>) and outcome — a histogram of at most a few hundred rows a group whatever
/// the number of cases — from which the counts, the compliance (exact: compared in seconds) and the median (to its step)
/// are read; SQLite has no percentile function and reading every case's row costs more than the database's grouping.
/// One more statement names the agents or categories. The week or month of a case is found in SQL by a balanced CASE
/// over the starts of the period's weeks or months in UTC (a few comparisons a row). The same code on every provider.
/// </summary>
public sealed class ReportQueries(CrmDbContext db)
{
    public async Task<Report> RunAsync(ReportPeriod period, CancellationToken ct)
    {
        var firstResponse = await CellsAsync(period, ReportMeasure.FirstResponse, ct);
        var resolution = await CellsAsync(period, ReportMeasure.Resolution, ct);
        var names = await NamesAsync(period.GroupBy, firstResponse.Concat(resolution), ct);
        return new Report(period, Table(period, ReportMeasure.FirstResponse, firstResponse, names), Table(period, ReportMeasure.Resolution, resolution, names));
    }

    public async Task<ReportTable> RunAsync(ReportPeriod period, ReportMeasure measure, CancellationToken ct)
    {
        var cells = await CellsAsync(period, measure, ct);
        return Table(period, measure, cells, await NamesAsync(period.GroupBy, cells, ct));
    }

    /// <summary>The middle value of a histogram's values (in key order); the mean of the two middle ones (rounded down) for an even count.</summary>
    public static int? Median(IReadOnlyList<(int Value, int Count)> histogram)
    {
        var n = histogram.Sum(h => h.Count);
        if (n == 0)
        {
            return null;
        }

        return n % 2 == 1 ? At(n / 2) : (int)(((long)At((n / 2) - 1) + At(n / 2)) / 2);

        int At(int index)
        {
            foreach (var (value, count) in histogram)
            {
                if (index < count)
                {
                    return value;
                }

                index -= count;
            }

            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    /// <summary>
    /// A case as the report groups it: its week or month (an index), agent or category, working seconds, those seconds as
    /// the median counts them (<see cref="MedianStep"/>) and its target.
    /// </summary>
    private sealed class Fact
    {
        public int Bucket { get; init; }
        public string? AgentId { get; init; }
        public int CategoryId { get; init; }
        public int? Seconds { get; init; }
        public int? Minutes { get; init; }
        public int? Target { get; init; }
    }

    /// <summary>
    /// The step of the median (docs/reports.md, ADR 0035): working seconds counted in whole minutes up to 2 hours, in
    /// 5 minutes up to 8 hours and in 15 minutes beyond, each rounded down. So a group has at most 120 + 72 + 4 per
    /// further working hour values whatever the number of cases, and a report's memory stays that of its groups. Run in
    /// SQL.
    /// </summary>
    public static readonly Expression<Func<int?, int?>> MedianStep =
        seconds => seconds < 2 * 3600 ? seconds / 60 : seconds < 8 * 3600 ? seconds / 300 * 5 : seconds / 900 * 15;

    /// <summary>How many cases of a group took a step of working time in minutes (null: no target) and met their target or not.</summary>
    private sealed record Cell(string Key, int? Minutes, bool Met, int Count);

    /// <summary>The UTC starts of the period's weeks or months, read by the statement as parameters.</summary>
    private sealed class Starts(DateTime?[] values)
    {
        public DateTime?[] Values { get; } = values;
    }

    private async Task<List<Cell>> CellsAsync(ReportPeriod period, ReportMeasure measure, CancellationToken ct)
    {
        var (from, to) = (period.FromUtc, period.ToUtcExclusive);
        var first = measure == ReportMeasure.FirstResponse;
        var cases = first
            ? db.Cases.AsNoTracking().Where(c => c.FirstRespondedAt != null && c.FirstRespondedAt >= from && c.FirstRespondedAt < to)
            : db.Cases.AsNoTracking().Where(c => c.ResolvedAt != null && c.ResolvedAt >= from && c.ResolvedAt < to);
        var facts = cases.Select(FactOf(period, first));
        // The cells are streamed into one list as they are read; equal keys share one string (an agent's id is read anew
        // on every row), so a report's memory is its cells, not twice their rows.
        var keys = new Dictionary<string, string>();
        string Key(string value) => keys.TryGetValue(value, out var known) ? known : keys[value] = value;
        async Task<List<Cell>> ReadAsync<T>(IQueryable<T> groups, Func<T, Cell> cell)
        {
            var cells = new List<Cell>();
            await foreach (var g in groups.AsAsyncEnumerable().WithCancellation(ct))
            {
                cells.Add(cell(g));
            }

            return cells;
        }

        var inv = CultureInfo.InvariantCulture;
        return period.GroupBy switch
        {
            ReportGrouping.Agent => await ReadAsync(
                facts.GroupBy(f => new { f.AgentId, Minutes = f.Target == null ? null : f.Minutes, Met = f.Target != null && f.Seconds <= f.Target * 60 })
                    .Select(g => new { g.Key.AgentId, g.Key.Minutes, g.Key.Met, Count = g.Count() }),
                g => new Cell(Key(g.AgentId ?? string.Empty), g.Minutes, g.Met, g.Count)),
            ReportGrouping.Category => await ReadAsync(
                facts.GroupBy(f => new { f.CategoryId, Minutes = f.Target == null ? null : f.Minutes, Met = f.Target != null && f.Seconds <= f.Target * 60 })
                    .Select(g => new { g.Key.CategoryId, g.Key.Minutes, g.Key.Met, Count = g.Count() }),
                g => new Cell(Key(g.CategoryId.ToString(inv)), g.Minutes, g.Met, g.Count)),
            _ => await ReadAsync(
                facts.GroupBy(f => new { f.Bucket, Minutes = f.Target == null ? null : f.Minutes, Met = f.Target != null && f.Seconds <= f.Target * 60 })
                    .Select(g => new { g.Key.Bucket, g.Key.Minutes, g.Key.Met, Count = g.Count() }),
                g => new Cell(Key(g.Bucket.ToString(inv)), g.Minutes, g.Met, g.Count)),
        };
    }

    /// <summary>The projection of a case to what the grouping needs; for weeks and months, the index of its one as a balanced CASE.</summary>
    private static Expression<Func<Case, Fact>> FactOf(ReportPeriod period, bool firstResponse)
    {
        var c = Expression.Parameter(typeof(Case), "c");
        Expression Column(string name) => Expression.Property(c, name);
        var seconds = Column(firstResponse ? nameof(Case.FirstResponseSeconds) : nameof(Case.ResolutionSeconds));
        var bindings = new List<MemberBinding>
        {
            Expression.Bind(typeof(Fact).GetProperty(nameof(Fact.Seconds))!, seconds),
            Expression.Bind(typeof(Fact).GetProperty(nameof(Fact.Minutes))!, ReplacingExpressionVisitor.Replace(MedianStep.Parameters[0], seconds, MedianStep.Body)),
            Expression.Bind(typeof(Fact).GetProperty(nameof(Fact.Target))!, Column(firstResponse ? nameof(Case.FirstResponseTargetMinutes) : nameof(Case.ResolutionTargetMinutes))),
        };
        switch (period.GroupBy)
        {
            case ReportGrouping.Agent:
                bindings.Add(Expression.Bind(typeof(Fact).GetProperty(nameof(Fact.AgentId))!, Column(nameof(Case.AssignedToId))));
                break;
            case ReportGrouping.Category:
                bindings.Add(Expression.Bind(typeof(Fact).GetProperty(nameof(Fact.CategoryId))!, Column(nameof(Case.CategoryId))));
                break;
            default:
                var starts = new Starts([.. BucketStarts(period).Select(s => (DateTime?)CurrentUser.ToUtc(period.Zone, s.ToDateTime(TimeOnly.MinValue)))]);
                var values = Expression.Property(Expression.Constant(starts), nameof(Starts.Values));
                var at = Column(firstResponse ? nameof(Case.FirstRespondedAt) : nameof(Case.ResolvedAt));
                bindings.Add(Expression.Bind(typeof(Fact).GetProperty(nameof(Fact.Bucket))!, Bucket(at, values, 0, starts.Values.Length - 1)));
                break;
        }

        return Expression.Lambda<Func<Case, Fact>>(Expression.MemberInit(Expression.New(typeof(Fact)), bindings), c);

        // The index of the last start not after the moment, among starts[low..high] (the moment is never before starts[low]).
        static Expression Bucket(Expression at, Expression starts, int low, int high)
        {
            if (low == high)
            {
                return Expression.Constant(low);
            }

            var middle = (low + high + 1) / 2;
            return Expression.Condition(
                Expression.LessThan(at, Expression.ArrayIndex(starts, Expression.Constant(middle))),
                Bucket(at, starts, low, middle - 1),
                Bucket(at, starts, middle, high));
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(ReportGrouping grouping, IEnumerable<Cell> cells, CancellationToken ct)
    {
        switch (grouping)
        {
            case ReportGrouping.Agent:
                var agents = cells.Select(s => s.Key).Where(k => k.Length > 0).Distinct().ToList();
                return await db.Users.AsNoTracking().Where(u => agents.Contains(u.Id))
                    .Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
            case ReportGrouping.Category:
                return await db.Categories.AsNoTracking().Select(c => new { c.Id, c.Name })
                    .ToDictionaryAsync(c => c.Id.ToString(CultureInfo.InvariantCulture), c => c.Name, ct);
            default:
                return new Dictionary<string, string>();
        }
    }

    private static ReportTable Table(ReportPeriod period, ReportMeasure measure, List<Cell> cells, IReadOnlyDictionary<string, string> names)
    {
        IEnumerable<ReportRow> rows;
        if (period.GroupBy is ReportGrouping.Week or ReportGrouping.Month)
        {
            // Every week or month of the period, those without cases too, in order.
            var byBucket = cells.ToLookup(c => c.Key);
            rows = BucketStarts(period).Select((start, i) =>
                Row(start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), start, null, byBucket[i.ToString(CultureInfo.InvariantCulture)]));
        }
        else
        {
            rows = cells.GroupBy(c => c.Key)
                .Select(g => Row(g.Key, null, g.Key.Length == 0 ? null : names.GetValueOrDefault(g.Key) ?? g.Key, g))
                .OrderBy(r => r.Name is null)
                .ThenBy(r => r.Name, StringComparer.CurrentCulture);
        }

        return new ReportTable(measure, [.. rows], Row(string.Empty, null, null, cells));
    }

    private static ReportRow Row(string key, DateOnly? start, string? name, IEnumerable<Cell> cells)
    {
        var list = cells.ToList();
        var histogram = list.Where(c => c.Minutes is not null)
            .GroupBy(c => c.Minutes!.Value)
            .Select(g => (Value: g.Key, Count: g.Sum(c => c.Count)))
            .OrderBy(h => h.Value)
            .ToList();
        return new ReportRow(key, start, name, list.Sum(c => c.Count), histogram.Sum(h => h.Count), list.Where(c => c.Met).Sum(c => c.Count),
            Median(histogram) is { } minutes ? minutes * 60 : null);
    }

    /// <summary>The first day of the week (Monday) or the month of a date.</summary>
    private static DateOnly StartOf(ReportGrouping grouping, DateOnly date) => grouping == ReportGrouping.Month
        ? new DateOnly(date.Year, date.Month, 1)
        : date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    private static IEnumerable<DateOnly> BucketStarts(ReportPeriod period)
    {
        for (var start = StartOf(period.GroupBy, period.From); start <= period.To;
            start = period.GroupBy == ReportGrouping.Month ? start.AddMonths(1) : start.AddDays(7))
        {
            yield return start;
        }
    }
}
