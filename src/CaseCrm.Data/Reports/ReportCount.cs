using System.Linq.Expressions;

namespace CaseCrm.Data.Reports;

/// <summary>The two service-level targets a report measures.</summary>
public enum ReportMeasure
{
    FirstResponse = 1,
    Resolution = 2,
}

/// <summary>What a summary row is counted by besides its time: nothing (a report by week or month), the agent or the category.</summary>
public enum ReportDimension
{
    None = 0,
    Agent = 1,
    Category = 2,
}

/// <summary>
/// The stretch of UTC time a summary row counts: a week (from Monday) or a month, each from its midnight. A day is the
/// piece <see cref="ReportCount.Tile"/> leaves to the cases: the summary keeps no day cells (ADR 0041).
/// </summary>
public enum ReportUnit
{
    Day = 1,
    Week = 2,
    Month = 3,
}

/// <summary>
/// One cell of the reports' summary (ADRs 0040 and 0041, docs/reports.md): how many cases were first-responded (or
/// resolved) in one week or month of UTC time, in one group (an agent, a category or none), with one band or one step of working time
/// (<see cref="ReportSummary.MedianStep"/>; <see cref="ReportSummary.NoTarget"/> when the case had no target) and one
/// outcome. Kept in the transaction of every change of a case (<see cref="ReportSummary"/>); a report reads its units
/// instead of the cases, so its work is bounded by the calendar, not by the number of cases.
/// </summary>
public sealed class ReportCount
{
    public ReportMeasure Measure { get; set; }

    public ReportDimension Dimension { get; set; }

    public ReportUnit Unit { get; set; }

    /// <summary>The first moment of the unit, UTC midnight.</summary>
    public DateTime Start { get; set; }

    /// <summary>
    /// False: a coarse cell, whose <see cref="Step"/> is the start of a band of steps (<see cref="ReportSummary.Band"/>)
    /// and which counts the outcome; a report's counts come from these. True: a fine cell, one step exactly, outcome
    /// left out (<see cref="Met"/> false); a report reads these only in the band that holds a group's median.
    /// </summary>
    public bool Fine { get; set; }

    /// <summary>The agent's id ("" for unassigned), the category's id as text, or "" for <see cref="ReportDimension.None"/>.</summary>
    public string GroupKey { get; set; } = string.Empty;

    public int Step { get; set; }

    public bool Met { get; set; }

    public int Count { get; set; }

    /// <summary>The start of the unit of <paramref name="unit"/> that holds the moment <paramref name="at"/> (UTC).</summary>
    public static DateTime StartOf(ReportUnit unit, DateTime at)
    {
        var day = DateTime.SpecifyKind(at.Date, DateTimeKind.Utc);
        return unit switch
        {
            ReportUnit.Month => day.AddDays(1 - day.Day),
            ReportUnit.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            _ => day,
        };
    }

    /// <summary>The first moment after the unit that starts at <paramref name="start"/>.</summary>
    public static DateTime EndOf(ReportUnit unit, DateTime start) => unit switch
    {
        ReportUnit.Month => start.AddMonths(1),
        ReportUnit.Week => start.AddDays(7),
        _ => start.AddDays(1),
    };

    /// <summary>
    /// The largest units that tile [<paramref name="from"/>, <paramref name="to"/>), both UTC midnights: a month where one
    /// fits, else a week from a Monday, else a day (which a report reads from the cases).
    /// </summary>
    public static IEnumerable<(ReportUnit Unit, DateTime Start)> Tile(DateTime from, DateTime to)
    {
        for (var at = from; at < to;)
        {
            var unit = at.Day == 1 && at.AddMonths(1) <= to ? ReportUnit.Month
                : at.DayOfWeek == DayOfWeek.Monday && at.AddDays(7) <= to ? ReportUnit.Week
                : ReportUnit.Day;
            yield return (unit, at);
            at = EndOf(unit, at);
        }
    }
}

/// <summary>The step of working time a report's median counts in, shared by the summary and the reads of the cases.</summary>
public static partial class ReportSummary
{
    /// <summary>The step of a case without a target (or without a working time): not in any median.</summary>
    public const int NoTarget = -1;

    /// <summary>The median's tiers: below each number of working seconds, a step of so many seconds.</summary>
    private static readonly (int Below, int Seconds)[] StepTiers = [(2 * 3600, 60), (8 * 3600, 300), (int.MaxValue, 900)];

    /// <summary>The bands' tiers: below each step (in minutes), a band of so many minutes.</summary>
    private static readonly (int Below, int Width)[] BandTiers = [(120, 10), (480, 60), (int.MaxValue, 240)];

    /// <summary>
    /// The step of the median (docs/reports.md, ADR 0035): working seconds counted in whole minutes up to 2 hours, in
    /// 5 minutes up to 8 hours and in 15 minutes beyond, each rounded down, as a number of minutes. So a group has at most
    /// 120 + 72 + 4 per further working hour values whatever the number of cases. Run in SQL by the reads of the cases;
    /// the summary's rebuild writes the same tiers as SQL text (<see cref="StepSql"/>).
    /// </summary>
    public static readonly Expression<Func<int?, int?>> MedianStep = StepExpression();

    private static readonly Func<int?, int?> Step = MedianStep.Compile();

    private static Expression<Func<int?, int?>> StepExpression()
    {
        var seconds = Expression.Parameter(typeof(int?), "seconds");
        Expression Tier(int i)
        {
            var (below, width) = StepTiers[i];
            var step = Expression.Multiply(Expression.Divide(seconds, Expression.Constant(width, typeof(int?))), Expression.Constant(width / 60, typeof(int?)));
            return i == StepTiers.Length - 1 ? step
                : Expression.Condition(Expression.LessThan(seconds, Expression.Constant(below, typeof(int?))), step, Tier(i + 1));
        }

        return Expression.Lambda<Func<int?, int?>>(Tier(0), seconds);
    }

    /// <summary>
    /// The band of steps a step (in minutes) falls in, as the start of the band: 10 minutes up to 2 hours, an hour up to 8
    /// hours, 4 hours beyond (12 steps of 1, 5 and 15 minutes each). A group has at most 12 + 6 + 1 per further 4 working
    /// hours bands, so its coarse cells are few whatever the number of cases; the median's band is then read step by step.
    /// <see cref="NoTarget"/> stays itself.
    /// </summary>
    public static int Band(int step)
    {
        if (step < 0)
        {
            return step;
        }

        var width = BandWidth(step);
        return step / width * width;
    }

    /// <summary>The first step after the band that starts at <paramref name="band"/>.</summary>
    public static int BandEnd(int band) => band + BandWidth(band);

    private static int BandWidth(int step)
    {
        foreach (var (below, width) in BandTiers)
        {
            if (step < below)
            {
                return width;
            }
        }

        return BandTiers[^1].Width;
    }

    /// <summary><see cref="MedianStep"/> of the SQL expression <paramref name="seconds"/>, as SQL text.</summary>
    internal static string StepSql(string seconds) =>
        Tiers(StepTiers.Select(t => (t.Below, $"{seconds} / {t.Seconds} * {t.Seconds / 60}")), seconds, negative: null);

    /// <summary><see cref="Band"/> of the SQL expression <paramref name="step"/>, as SQL text.</summary>
    internal static string BandSql(string step) =>
        Tiers(BandTiers.Select(t => (t.Below, $"{step} / {t.Width} * {t.Width}")), step, negative: step);

    private static string Tiers(IEnumerable<(int Below, string Value)> tiers, string value, string? negative)
    {
        var list = tiers.ToList();
        return "CASE " + (negative is null ? "" : $"WHEN {value} < 0 THEN {negative} ")
            + string.Concat(list.SkipLast(1).Select(t => $"WHEN {value} < {t.Below} THEN {t.Value} "))
            + $"ELSE {list[^1].Value} END";
    }

    /// <summary>
    /// Whether a case met its target: it had one, and its working seconds were within it. Run in SQL by the reads of the
    /// cases; the summary's rebuild writes the same test as SQL text (<see cref="MetSql"/>).
    /// </summary>
    public static readonly Expression<Func<int?, int?, bool>> MetTarget =
        (seconds, targetMinutes) => targetMinutes != null && seconds != null && seconds <= targetMinutes * 60;

    private static readonly Func<int?, int?, bool> Met = MetTarget.Compile();

    /// <summary><see cref="MetTarget"/> of the SQL expressions <paramref name="seconds"/> and <paramref name="targetMinutes"/>, as a SQL condition.</summary>
    internal static string MetSql(string seconds, string targetMinutes) =>
        $"{targetMinutes} IS NOT NULL AND {seconds} IS NOT NULL AND {seconds} <= {targetMinutes} * 60";

    /// <summary>A case's step and outcome for one measure, as the summary and the report's reads of the cases count them.</summary>
    public static (int Step, bool Met) Outcome(int? seconds, int? targetMinutes) =>
        targetMinutes is null || seconds is null ? (NoTarget, false) : (Step(seconds)!.Value, Met(seconds, targetMinutes));
}
