using System.Globalization;
using System.Linq.Expressions;
using CaseCrm.Data;
using CaseCrm.Data.Reports;
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
/// Each measure is one statement that reads the reports' summary (<see cref="ReportCount"/>, ADR 0040) — per day, week or
/// month of UTC time, group, step of working time (<see cref="ReportSummary.MedianStep"/>) and outcome — over the units
/// that tile the period, plus the cases of the few hours where the user's midnight is not UTC's; so its work is bounded
/// by the calendar and the groups, not by the number of cases. From those counts (a histogram of at most a few hundred
/// steps a group) come the cases, the compliance (exact: compared in seconds) and the median (to its step). One more
/// statement names the agents or categories. The same code on every provider.
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

    /// <summary>How many cases of a group took a step of working time in minutes (null: no target) and met their target or not.</summary>
    private sealed record Cell(string Key, int? Minutes, bool Met, int Count);

    /// <summary>
    /// A row of the one statement a measure runs: a summary cell's count summed over the units of one segment of the
    /// period (<see cref="Live"/> false), or the cases of one live range (<see cref="Live"/> true; <see cref="Segment"/>
    /// is then the range's index), by group, step and outcome.
    /// </summary>
    private sealed class Part
    {
        public bool Live { get; init; }
        public int Segment { get; init; }
        public string Group { get; init; } = string.Empty;
        public int Step { get; init; }
        public bool Met { get; init; }
        public int Count { get; init; }
    }

    /// <summary>Values the statement reads as parameters: the starts of the segments and of the units, the live ranges.</summary>
    private sealed class Values(DateTime?[] starts, List<DateTime> days, List<DateTime> weeks, List<DateTime> months, DateTime?[] lows, DateTime?[] highs)
    {
        public DateTime?[] Starts { get; } = starts;
        public List<DateTime> Days { get; } = days;
        public List<DateTime> Weeks { get; } = weeks;
        public List<DateTime> Months { get; } = months;
        public DateTime?[] Lows { get; } = lows;
        public DateTime?[] Highs { get; } = highs;
    }

    /// <summary>
    /// A stretch of time read from the cases themselves: where a segment's end in the user's time zone is not a UTC
    /// midnight. Its cases count in the segment <see cref="Plus"/> (where they are) and are taken out of the segment
    /// <see cref="Minus"/> (whose units hold them); either may be outside the period (null).
    /// </summary>
    private sealed record LiveRange(DateTime From, DateTime To, int? Plus, int? Minus);

    /// <summary>
    /// How the period is read (ADR 0040). It is cut into segments: its weeks or months, or the whole period for a report
    /// by agent or category. Each segment's ends are moved to the nearest UTC midnight, and the UTC days between are
    /// tiled with the summary's largest units (<see cref="ReportCount.Tile"/>). The hours between a segment's true end and
    /// the midnight it was moved to (at most 12; 1–2 in Spain) are read from the cases and counted in or out.
    /// </summary>
    private static (Values Values, List<LiveRange> Live) Plan(ReportPeriod period)
    {
        var byTime = period.GroupBy is ReportGrouping.Week or ReportGrouping.Month;
        var ends = new List<DateTime> { period.FromUtc };
        if (byTime)
        {
            ends.AddRange(BucketStarts(period).Skip(1).Select(s => CurrentUser.ToUtc(period.Zone, s.ToDateTime(TimeOnly.MinValue))));
        }

        ends.Add(period.ToUtcExclusive);
        var moved = ends.Select(e => e.TimeOfDay <= TimeSpan.FromHours(12) ? e.Date : e.Date.AddDays(1))
            .Select(e => DateTime.SpecifyKind(e, DateTimeKind.Utc)).ToList();
        var segments = ends.Count - 1;
        var (days, weeks, months) = (new List<DateTime>(), new List<DateTime>(), new List<DateTime>());
        for (var i = 0; i < segments; i++)
        {
            foreach (var (unit, start) in ReportCount.Tile(moved[i], moved[i + 1]))
            {
                (unit == ReportUnit.Month ? months : unit == ReportUnit.Week ? weeks : days).Add(start);
            }
        }

        int? Segment(int i) => i >= 0 && i < segments ? i : null;
        var live = new List<LiveRange>();
        for (var j = 0; j < ends.Count; j++)
        {
            if (moved[j] < ends[j])
            {
                live.Add(new LiveRange(moved[j], ends[j], Segment(j - 1), Segment(j)));
            }
            else if (moved[j] > ends[j])
            {
                live.Add(new LiveRange(ends[j], moved[j], Segment(j), Segment(j - 1)));
            }
        }

        return (new Values([.. moved.Take(segments).Select(m => (DateTime?)m)], days, weeks, months,
            [.. live.Select(r => (DateTime?)r.From)], [.. live.Select(r => (DateTime?)r.To)]), live);
    }

    /// <summary>
    /// A measure's cells: one statement that sums the summary's cells over the period's units and counts the cases of its
    /// live ranges (UNION ALL), both by segment, group, step and outcome; the live counts are then added to their segment
    /// and taken from the one whose units held them.
    /// </summary>
    private async Task<List<Cell>> CellsAsync(ReportPeriod period, ReportMeasure measure, CancellationToken ct)
    {
        var (values, live) = Plan(period);
        var dimension = period.GroupBy switch
        {
            ReportGrouping.Agent => ReportDimension.Agent,
            ReportGrouping.Category => ReportDimension.Category,
            _ => ReportDimension.None,
        };
        var parts = Summary(values, measure, dimension).Concat(Live(values, measure, dimension));

        // Equal keys share one string (an agent's id is read anew on every row), so a report's memory is its cells.
        var keys = new Dictionary<string, string>();
        string Key(string value) => keys.TryGetValue(value, out var known) ? known : keys[value] = value;
        string KeyOf(int segment, string group) => dimension == ReportDimension.None ? Key(segment.ToString(CultureInfo.InvariantCulture)) : Key(group);
        var cells = new List<Cell>();
        await foreach (var part in parts.AsAsyncEnumerable().WithCancellation(ct))
        {
            int? minutes = part.Step == ReportSummary.NoTarget ? null : part.Step;
            if (!part.Live)
            {
                cells.Add(new Cell(KeyOf(part.Segment, part.Group), minutes, part.Met, part.Count));
                continue;
            }

            var range = live[part.Segment];
            if (range.Plus is { } plus)
            {
                cells.Add(new Cell(KeyOf(plus, part.Group), minutes, part.Met, part.Count));
            }

            if (range.Minus is { } minus)
            {
                cells.Add(new Cell(KeyOf(minus, part.Group), minutes, part.Met, -part.Count));
            }
        }

        return cells;
    }

    /// <summary>The summary's cells of the period's units, summed by segment (the index of the last segment start not after the unit's), group, step and outcome.</summary>
    private IQueryable<Part> Summary(Values values, ReportMeasure measure, ReportDimension dimension)
    {
        var rows = db.ReportCounts.AsNoTracking().Where(r => r.Measure == measure && r.Dimension == dimension
            && ((r.Unit == ReportUnit.Day && values.Days.Contains(r.Start))
                || (r.Unit == ReportUnit.Week && values.Weeks.Contains(r.Start))
                || (r.Unit == ReportUnit.Month && values.Months.Contains(r.Start))));
        if (dimension != ReportDimension.None)
        {
            return rows.GroupBy(r => new { r.GroupKey, r.Step, r.Met })
                .Select(g => new Part { Live = false, Segment = 0, Group = g.Key.GroupKey, Step = g.Key.Step, Met = g.Key.Met, Count = g.Sum(r => r.Count) });
        }

        var r = Expression.Parameter(typeof(ReportCount), "r");
        var segment = Expression.Lambda<Func<ReportCount, int>>(
            Index(Expression.Convert(Expression.Property(r, nameof(ReportCount.Start)), typeof(DateTime?)), values, nameof(Values.Starts)), r);
        return rows.Select(Expression.Lambda<Func<ReportCount, Segmented>>(Expression.MemberInit(Expression.New(typeof(Segmented)),
                Expression.Bind(typeof(Segmented).GetProperty(nameof(Segmented.Segment))!, segment.Body),
                Expression.Bind(typeof(Segmented).GetProperty(nameof(Segmented.Step))!, Expression.Property(r, nameof(ReportCount.Step))),
                Expression.Bind(typeof(Segmented).GetProperty(nameof(Segmented.Met))!, Expression.Property(r, nameof(ReportCount.Met))),
                Expression.Bind(typeof(Segmented).GetProperty(nameof(Segmented.Count))!, Expression.Property(r, nameof(ReportCount.Count)))), r))
            .GroupBy(s => new { s.Segment, s.Step, s.Met })
            .Select(g => new Part { Live = false, Segment = g.Key.Segment, Group = "", Step = g.Key.Step, Met = g.Key.Met, Count = g.Sum(s => s.Count) });
    }

    /// <summary>A summary cell with the segment of its unit.</summary>
    private sealed class Segmented
    {
        public int Segment { get; init; }
        public int Step { get; init; }
        public bool Met { get; init; }
        public int Count { get; init; }
    }

    /// <summary>The cases of the live ranges, counted by range, group, step and outcome, over the measure's covering index.</summary>
    private IQueryable<Part> Live(Values values, ReportMeasure measure, ReportDimension dimension)
    {
        var first = measure == ReportMeasure.FirstResponse;
        var c = Expression.Parameter(typeof(Case), "c");
        Expression Column(string name) => Expression.Property(c, name);
        var at = Column(first ? nameof(Case.FirstRespondedAt) : nameof(Case.ResolvedAt));
        var seconds = Column(first ? nameof(Case.FirstResponseSeconds) : nameof(Case.ResolutionSeconds));
        var target = Column(first ? nameof(Case.FirstResponseTargetMinutes) : nameof(Case.ResolutionTargetMinutes));
        var holder = Expression.Constant(values);
        Expression Bound(string array, int i) => Expression.ArrayIndex(Expression.Property(holder, array), Expression.Constant(i));
        Expression inRanges = Expression.Constant(false);
        for (var i = values.Lows.Length - 1; i >= 0; i--)
        {
            inRanges = Expression.OrElse(
                Expression.AndAlso(Expression.GreaterThanOrEqual(at, Bound(nameof(Values.Lows), i)), Expression.LessThan(at, Bound(nameof(Values.Highs), i))),
                inRanges);
        }

        var noTarget = Expression.OrElse(Expression.Equal(target, Expression.Constant(null, typeof(int?))), Expression.Equal(seconds, Expression.Constant(null, typeof(int?))));
        var step = Expression.Condition(noTarget, Expression.Constant(ReportSummary.NoTarget),
            Expression.Convert(ReplacingExpressionVisitor.Replace(ReportSummary.MedianStep.Parameters[0], seconds, ReportSummary.MedianStep.Body), typeof(int)));
        var met = Expression.AndAlso(Expression.NotEqual(target, Expression.Constant(null, typeof(int?))),
            Expression.LessThanOrEqual(seconds, Expression.Multiply(target, Expression.Constant(60, typeof(int?)))));
        Expression group = dimension switch
        {
            ReportDimension.Agent => Expression.Coalesce(Column(nameof(Case.AssignedToId)), Expression.Constant(string.Empty)),
            ReportDimension.Category => Expression.Call(Column(nameof(Case.CategoryId)), typeof(int).GetMethod(nameof(int.ToString), Type.EmptyTypes)!),
            _ => Expression.Constant(string.Empty),
        };
        var fact = Expression.Lambda<Func<Case, Part>>(Expression.MemberInit(Expression.New(typeof(Part)),
            Expression.Bind(typeof(Part).GetProperty(nameof(Part.Live))!, Expression.Constant(true)),
            Expression.Bind(typeof(Part).GetProperty(nameof(Part.Segment))!, values.Lows.Length == 0 ? Expression.Constant(0) : Index(at, values, nameof(Values.Lows))),
            Expression.Bind(typeof(Part).GetProperty(nameof(Part.Group))!, group),
            Expression.Bind(typeof(Part).GetProperty(nameof(Part.Step))!, step),
            Expression.Bind(typeof(Part).GetProperty(nameof(Part.Met))!, met),
            Expression.Bind(typeof(Part).GetProperty(nameof(Part.Count))!, Expression.Constant(1))), c);
        return db.Cases.AsNoTracking().Where(Expression.Lambda<Func<Case, bool>>(inRanges, c)).Select(fact)
            .GroupBy(p => new { p.Segment, p.Group, p.Step, p.Met })
            .Select(g => new Part { Live = true, Segment = g.Key.Segment, Group = g.Key.Group, Step = g.Key.Step, Met = g.Key.Met, Count = g.Count() });
    }

    /// <summary>
    /// The index of the last of <paramref name="values"/>' starts (the array named <paramref name="array"/>) not after the
    /// moment, as a balanced CASE of a few comparisons; the moment is never before the first start.
    /// </summary>
    private static Expression Index(Expression at, Values values, string array)
    {
        var starts = Expression.Property(Expression.Constant(values), array);
        var length = ((DateTime?[])typeof(Values).GetProperty(array)!.GetValue(values)!).Length;
        return Between(0, length - 1);

        Expression Between(int low, int high)
        {
            if (low == high)
            {
                return Expression.Constant(low);
            }

            var middle = (low + high + 1) / 2;
            return Expression.Condition(
                Expression.LessThan(at, Expression.ArrayIndex(starts, Expression.Constant(middle))),
                Between(low, middle - 1),
                Between(middle, high));
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
            // A group whose cases all moved to another (a reassigned case) keeps cells that add up to nothing.
            rows = cells.GroupBy(c => c.Key)
                .Where(g => g.Sum(c => c.Count) != 0)
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
