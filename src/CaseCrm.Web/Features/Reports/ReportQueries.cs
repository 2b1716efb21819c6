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
/// Each measure reads the reports' summary (<see cref="ReportCount"/>, ADR 0040) over the units that tile the period, plus
/// the cases of the few hours where the user's midnight is not UTC's, in two statements: the coarse cells (per band of
/// working time, <see cref="ReportSummary.Band"/>, and outcome) give the cases, the compliance (exact: compared in
/// seconds) and the band of each group's median; the fine cells of those bands give the median's step
/// (<see cref="ReportSummary.MedianStep"/>). So its work is bounded by the calendar and the groups, not by the number of
/// cases. One more statement names the agents or categories. The same code on every provider.
/// </summary>
public sealed class ReportQueries(CrmDbContext db)
{
    public async Task<Report> RunAsync(ReportPeriod period, CancellationToken ct)
    {
        var plan = Plan(period);
        var firstResponse = await CellsAsync(plan, ReportMeasure.FirstResponse, ct);
        var resolution = await CellsAsync(plan, ReportMeasure.Resolution, ct);
        var names = await NamesAsync(period.GroupBy, firstResponse.Concat(resolution), ct);
        return new Report(period, Table(period, ReportMeasure.FirstResponse, firstResponse, names), Table(period, ReportMeasure.Resolution, resolution, names));
    }

    public async Task<ReportTable> RunAsync(ReportPeriod period, ReportMeasure measure, CancellationToken ct)
    {
        var cells = await CellsAsync(Plan(period), measure, ct);
        return Table(period, measure, cells, await NamesAsync(period.GroupBy, cells, ct));
    }

    /// <summary>
    /// The middle value of a histogram's values (in key order); the mean of the two middle ones (rounded down) for an even
    /// count. With <paramref name="within"/>, the histogram's values are bands and the value is found inside its band: it
    /// is given the band and the position in it.
    /// </summary>
    public static int? Median(IReadOnlyList<(int Value, int Count)> histogram, Func<int, int, int>? within = null)
    {
        var n = histogram.Sum(h => h.Count);
        if (n == 0)
        {
            return null;
        }

        return n % 2 == 1 ? At(n / 2) : (int)(((long)At((n / 2) - 1) + At(n / 2)) / 2);

        int At(int index)
        {
            var (value, offset) = Locate(histogram, index);
            return within is null ? value : within(value, offset);
        }
    }

    /// <summary>The positions of the middle value or values among <paramref name="n"/> values.</summary>
    private static int[] Middle(int n) => n == 0 ? [] : n % 2 == 1 ? [n / 2] : [(n / 2) - 1, n / 2];

    /// <summary>The histogram's value at a position (from 0) in key order, and the position within that value's count.</summary>
    private static (int Value, int Offset) Locate(IReadOnlyList<(int Value, int Count)> histogram, int index)
    {
        foreach (var (value, count) in histogram)
        {
            if (index < count)
            {
                return (value, index);
            }

            index -= count;
        }

        throw new ArgumentOutOfRangeException(nameof(index));
    }

    /// <summary>
    /// How many cases of a group took working time in a band of steps (<see cref="ReportSummary.Band"/>, or
    /// <see cref="ReportSummary.NoTarget"/>) and met their target or not; or, <see cref="Fine"/>, took one step exactly.
    /// </summary>
    private sealed record Cell(string Key, int Step, bool Met, int Count, bool Fine, bool Live = false);

    /// <summary>The key of the total's fine cells in a report by agent or category, read from the cells of no dimension.</summary>
    private const string TotalKey = "\u0001total";

    /// <summary>
    /// A row of the one statement a measure runs: a summary cell's count summed over the units of one segment of the
    /// period (<see cref="Live"/> false), or the cases of one live range (<see cref="Live"/> true; <see cref="Segment"/>
    /// is then the range's index), by group, step and outcome.
    /// </summary>
    private sealed class Part
    {
        public bool Live { get; init; }
        public bool Total { get; init; }
        public int Segment { get; init; }
        public string Group { get; init; } = string.Empty;
        public int Step { get; init; }
        public bool Met { get; init; }
        public int Count { get; init; }
    }

    /// <summary>Values the statement reads as parameters: the starts of the segments and of the units, the live ranges.</summary>
    private sealed class Values(DateTime?[] starts, List<DateTime> weeks, List<DateTime> months, DateTime?[] lows, DateTime?[] highs)
    {
        public DateTime?[] Starts { get; } = starts;
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
    private static PeriodPlan Plan(ReportPeriod period)
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
        var (weeks, months, days) = (new List<DateTime>(), new List<DateTime>(), new HashSet<DateTime>());
        for (var i = 0; i < segments; i++)
        {
            foreach (var (unit, start) in ReportCount.Tile(moved[i], moved[i + 1]))
            {
                (unit == ReportUnit.Month ? months : unit == ReportUnit.Week ? weeks : null)?.Add(start);
                if (unit == ReportUnit.Day)
                {
                    days.Add(start);
                }
            }
        }

        // The time read from the cases: each stretch between two cuts (the true ends, the moved ends, the days no unit
        // covers) whose cases belong to another segment than the one its units count them in, if any.
        int? SegmentOf(List<DateTime> bounds, DateTime at) => at < bounds[0] || at >= bounds[^1] ? null : bounds.FindLastIndex(b => b <= at);
        var cuts = ends.Concat(moved).Concat(days).Concat(days.Select(d => d.AddDays(1))).Distinct().Order().ToList();
        var live = new List<LiveRange>();
        for (var k = 0; k + 1 < cuts.Count; k++)
        {
            var (from, to) = (cuts[k], cuts[k + 1]);
            var plus = SegmentOf(ends, from);
            var minus = days.Contains(from.Date) ? null : SegmentOf(moved, from);
            if (plus == minus)
            {
                continue;
            }

            if (live.Count > 0 && live[^1].To == from && live[^1].Plus == plus && live[^1].Minus == minus)
            {
                live[^1] = live[^1] with { To = to };
            }
            else
            {
                live.Add(new LiveRange(from, to, plus, minus));
            }
        }

        var dimension = period.GroupBy switch
        {
            ReportGrouping.Agent => ReportDimension.Agent,
            ReportGrouping.Category => ReportDimension.Category,
            _ => ReportDimension.None,
        };
        return new PeriodPlan(dimension, new Values([.. moved.Take(segments).Select(m => (DateTime?)m)], weeks, months,
            [.. live.Select(r => (DateTime?)r.From)], [.. live.Select(r => (DateTime?)r.To)]), live, moved);
    }

    /// <summary>A period as <see cref="Plan"/> reads it; <see cref="Moved"/> are the segments' ends at UTC midnights.</summary>
    private sealed record PeriodPlan(ReportDimension Dimension, Values Values, List<LiveRange> Live, List<DateTime> Moved);

    /// <summary>
    /// A measure's cells, in two statements. The first sums the summary's coarse cells over the period's units and counts
    /// the cases of its live ranges (UNION ALL), by segment, group, band or step and outcome; the live counts are added to
    /// their segment and taken from the one whose units held them. That gives every count and, for each group and the
    /// total, the band that holds the median; the second reads the summary's fine cells of those bands only.
    /// </summary>
    private async Task<List<Cell>> CellsAsync(PeriodPlan plan, ReportMeasure measure, CancellationToken ct)
    {
        // Equal keys share one string (an agent's id is read anew on every row), so a report's memory is its cells.
        var keys = new Dictionary<string, string>();
        string Key(string value) => keys.TryGetValue(value, out var known) ? known : keys[value] = value;
        string KeyOf(int segment, string group) => plan.Dimension == ReportDimension.None ? Key(segment.ToString(CultureInfo.InvariantCulture)) : Key(group);
        var cells = new List<Cell>();
        async Task ReadAsync(IQueryable<Part> parts, bool fine)
        {
            await foreach (var part in parts.AsAsyncEnumerable().WithCancellation(ct))
            {
                if (!part.Live)
                {
                    cells.Add(new Cell(part.Total ? TotalKey : KeyOf(part.Segment, part.Group), part.Step, part.Met, part.Count, fine));
                    continue;
                }

                var range = plan.Live[part.Segment];
                foreach (var (segment, sign) in new[] { (range.Plus, 1), (range.Minus, -1) })
                {
                    if (segment is { } into)
                    {
                        var key = KeyOf(into, part.Group);
                        cells.Add(new Cell(key, ReportSummary.Band(part.Step), part.Met, sign * part.Count, false, true));
                        if (part.Step != ReportSummary.NoTarget)
                        {
                            cells.Add(new Cell(key, part.Step, false, sign * part.Count, true, true));
                        }
                    }
                }
            }
        }

        await ReadAsync(Summary(plan, measure, fine: false, bands: []).Concat(Live(plan.Values, measure, plan.Dimension)), fine: false);
        var bands = cells.Where(c => !c.Fine).GroupBy(c => c.Key).Select(g => (Key: (string?)g.Key, Cells: g.AsEnumerable()))
            .Append((Key: null, Cells: cells.Where(c => !c.Fine)))
            .SelectMany(g => MedianBands(g.Cells).Select(band => (g.Key, Band: band)))
            .Distinct()
            .ToList();
        if (bands.Count > 0)
        {
            await ReadAsync(Summary(plan, measure, fine: true, bands), fine: true);
        }

        return cells;
    }

    /// <summary>The coarse histogram of a group's cells with a target: band, count, in order.</summary>
    private static List<(int Value, int Count)> Bands(IEnumerable<Cell> cells) =>
        [.. cells.Where(c => !c.Fine && c.Step != ReportSummary.NoTarget).GroupBy(c => c.Step)
            .Select(g => (Value: g.Key, Count: g.Sum(c => c.Count))).Where(h => h.Count != 0).OrderBy(h => h.Value)];

    /// <summary>The band or bands that hold the median of a group's cells.</summary>
    private static IEnumerable<int> MedianBands(IEnumerable<Cell> cells)
    {
        var bands = Bands(cells);
        return Middle(bands.Sum(b => b.Count)).Select(i => Locate(bands, i).Value).Distinct();
    }

    /// <summary>
    /// The summary's coarse or fine cells of the period's units, summed by segment (the index of the last segment start
    /// not after the unit's), group, band or step and outcome. Fine cells are read only in <paramref name="bands"/>: per
    /// group (its segment, or its agent or category; null for the total, any group) the band that holds its median.
    /// </summary>
    private IQueryable<Part> Summary(PeriodPlan plan, ReportMeasure measure, bool fine, List<(string? Key, int Band)> bands)
    {
        var (values, dimension) = (plan.Values, plan.Dimension);
        var r = Expression.Parameter(typeof(ReportCount), "r");
        var rows = db.ReportCounts.AsNoTracking().Where(r => r.Measure == measure && r.Fine == fine);
        rows = fine
            ? rows.Where(Expression.Lambda<Func<ReportCount, bool>>(InBands(r, plan, bands), r))
            : rows.Where(r => r.Dimension == dimension
                && ((r.Unit == ReportUnit.Week && values.Weeks.Contains(r.Start))
                    || (r.Unit == ReportUnit.Month && values.Months.Contains(r.Start))));
        if (dimension != ReportDimension.None)
        {
            return rows.GroupBy(r => new { r.Dimension, r.GroupKey, r.Step, r.Met })
                .Select(g => new Part
                {
                    Live = false, Total = g.Key.Dimension == ReportDimension.None, Segment = 0, Group = g.Key.GroupKey, Step = g.Key.Step, Met = g.Key.Met,
                    Count = g.Sum(r => r.Count),
                });
        }

        var segment = Index(Expression.Convert(Expression.Property(r, nameof(ReportCount.Start)), typeof(DateTime?)), values, nameof(Values.Starts));
        return rows.Select(Expression.Lambda<Func<ReportCount, Segmented>>(Expression.MemberInit(Expression.New(typeof(Segmented)),
                Expression.Bind(typeof(Segmented).GetProperty(nameof(Segmented.Segment))!, segment),
                Expression.Bind(typeof(Segmented).GetProperty(nameof(Segmented.Step))!, Expression.Property(r, nameof(ReportCount.Step))),
                Expression.Bind(typeof(Segmented).GetProperty(nameof(Segmented.Met))!, Expression.Property(r, nameof(ReportCount.Met))),
                Expression.Bind(typeof(Segmented).GetProperty(nameof(Segmented.Count))!, Expression.Property(r, nameof(ReportCount.Count)))), r))
            .GroupBy(s => new { s.Segment, s.Step, s.Met })
            .Select(g => new Part { Live = false, Total = false, Segment = g.Key.Segment, Group = "", Step = g.Key.Step, Met = g.Key.Met, Count = g.Sum(s => s.Count) });
    }

    /// <summary>The band limits and groups a fine read takes as parameters.</summary>
    private sealed class BandValues(string[] groups, DateTime?[] from, DateTime?[] to, int[] low, int[] high)
    {
        public string[] Groups { get; } = groups;
        public DateTime?[] From { get; } = from;
        public DateTime?[] To { get; } = to;
        public int[] Low { get; } = low;
        public int[] High { get; } = high;
    }

    /// <summary>
    /// A fine summary cell of the period's units in one of the bands: its group's (the segment's units, from one moved
    /// end to the next; or the agent or category), or for the total's the cells of no dimension. Each term names its
    /// dimension, group, unit and steps, so the database reads each as one range of the summary's key.
    /// </summary>
    private static Expression InBands(ParameterExpression r, PeriodPlan plan, List<(string? Key, int Band)> bands)
    {
        var byTime = plan.Dimension == ReportDimension.None;
        var segmentOf = (string key) => int.Parse(key, CultureInfo.InvariantCulture);
        var holder = Expression.Constant(new BandValues(
            [.. bands.Select(b => b.Key is null || byTime ? "" : b.Key)],
            [.. bands.Select(b => b.Key is null || !byTime ? (DateTime?)null : plan.Moved[segmentOf(b.Key)])],
            [.. bands.Select(b => b.Key is null || !byTime ? (DateTime?)null : plan.Moved[segmentOf(b.Key) + 1])],
            [.. bands.Select(b => b.Band)],
            [.. bands.Select(b => ReportSummary.BandEnd(b.Band))]));
        Expression Item(string array, int i) => Expression.ArrayIndex(Expression.Property(holder, array), Expression.Constant(i));
        Expression Property(string name) => Expression.Property(r, name);
        var start = Expression.Convert(Property(nameof(ReportCount.Start)), typeof(DateTime?));
        var values = Expression.Constant(plan.Values);
        var units = new (ReportUnit Unit, string List, int Count)[]
        {
            (ReportUnit.Week, nameof(Values.Weeks), plan.Values.Weeks.Count),
            (ReportUnit.Month, nameof(Values.Months), plan.Values.Months.Count),
        };
        var contains = typeof(List<DateTime>).GetMethod(nameof(List<DateTime>.Contains))!;
        Expression any = Expression.Constant(false);
        for (var i = bands.Count - 1; i >= 0; i--)
        {
            var dimension = bands[i].Key is null ? ReportDimension.None : plan.Dimension;
            Expression term = Expression.AndAlso(
                Expression.Equal(Property(nameof(ReportCount.Dimension)), Expression.Constant(dimension)),
                Expression.Equal(Property(nameof(ReportCount.GroupKey)), Item(nameof(BandValues.Groups), i)));
            term = Expression.AndAlso(term, Expression.AndAlso(
                Expression.GreaterThanOrEqual(Property(nameof(ReportCount.Step)), Item(nameof(BandValues.Low), i)),
                Expression.LessThan(Property(nameof(ReportCount.Step)), Item(nameof(BandValues.High), i))));
            if (bands[i].Key is not null && byTime)
            {
                term = Expression.AndAlso(term, Expression.AndAlso(
                    Expression.GreaterThanOrEqual(start, Item(nameof(BandValues.From), i)), Expression.LessThan(start, Item(nameof(BandValues.To), i))));
            }

            foreach (var (unit, list, count) in units.Where(u => u.Count > 0).Reverse())
            {
                var inUnit = Expression.AndAlso(
                    Expression.Equal(Property(nameof(ReportCount.Unit)), Expression.Constant(unit)),
                    Expression.Call(Expression.Property(values, list), contains, Property(nameof(ReportCount.Start))));
                any = Expression.OrElse(Expression.AndAlso(inUnit, term), any);
            }
        }

        return any;
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
        var met = new ReplacingExpressionVisitor([.. ReportSummary.MetTarget.Parameters], [seconds, target]).Visit(ReportSummary.MetTarget.Body);
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
            .Select(g => new Part { Live = true, Total = false, Segment = g.Key.Segment, Group = g.Key.Group, Step = g.Key.Step, Met = g.Key.Met, Count = g.Count() });
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
                var agents = cells.Select(s => s.Key).Where(k => k.Length > 0 && k != TotalKey).Distinct().ToList();
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
            rows = cells.Where(c => c.Key != TotalKey).GroupBy(c => c.Key)
                .Where(g => g.Where(c => !c.Fine).Sum(c => c.Count) != 0)
                .Select(g => Row(g.Key, null, g.Key.Length == 0 ? null : names.GetValueOrDefault(g.Key) ?? g.Key, g))
                .OrderBy(r => r.Name is null)
                .ThenBy(r => r.Name, StringComparer.CurrentCulture);
        }

        // The total: every group's counts; the fine cells of its median's band are the live hours' and, by agent or
        // category, those read for it from the cells of no dimension (a group's own fine cells count in its band only).
        var byTime = period.GroupBy is ReportGrouping.Week or ReportGrouping.Month;
        return new ReportTable(measure, [.. rows], Row(string.Empty, null, null, cells.Where(c => byTime || !c.Fine || c.Live || c.Key == TotalKey)));
    }

    private static ReportRow Row(string key, DateOnly? start, string? name, IEnumerable<Cell> cells)
    {
        var list = cells.ToList();
        var coarse = list.Where(c => !c.Fine).ToList();
        var bands = Bands(coarse);
        // The median's step inside its band: the band's fine cells in step order, at the position within the band.
        int Within(int band, int offset) => Locate(
            [.. list.Where(c => c.Fine && c.Step >= band && c.Step < ReportSummary.BandEnd(band)).GroupBy(c => c.Step)
                .Select(g => (Value: g.Key, Count: g.Sum(c => c.Count))).Where(h => h.Count != 0).OrderBy(h => h.Value)], offset).Value;
        return new ReportRow(key, start, name, coarse.Sum(c => c.Count), bands.Sum(h => h.Count), coarse.Where(c => c.Met).Sum(c => c.Count),
            Median(bands, Within) is { } minutes ? minutes * 60 : null);
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
