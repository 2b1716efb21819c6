using NodaTime;

namespace CaseCrm.Domain.ServiceLevels;

/// <summary>
/// Working hours on one weekday, in the calendar's local time: from <see cref="Start"/> up to <see cref="End"/>
/// (excluded); an <see cref="End"/> of midnight means the end of the day.
/// </summary>
public sealed record WorkingRange(IsoDayOfWeek Day, LocalTime Start, LocalTime End)
{
    public bool EndsAtMidnight => End == LocalTime.Midnight;

    /// <summary>Whether the range has a length: it ends after it starts (or at midnight).</summary>
    public bool IsValid => Start.TickOfDay < EndTick;

    /// <summary>Whether the range and <paramref name="other"/> share any moment of the same weekday.</summary>
    public bool Overlaps(WorkingRange other) =>
        Day == other.Day && Start.TickOfDay < other.EndTick && other.Start.TickOfDay < EndTick;

    private long EndTick => EndsAtMidnight ? NodaConstants.TicksPerDay : End.TickOfDay;
}

/// <summary>
/// The working time of a calendar (ADR 0020): a time zone, ranges per weekday, holidays. An instant is working time when
/// its local wall-clock time, on a date that is not a holiday, falls within one of that weekday's ranges — so a range is
/// shorter on the night clocks go forward and longer on the night they go back, exactly as a clock on the office wall
/// counts it. <see cref="Add"/> finds when a target of working time ends; <see cref="Between"/> measures it.
/// </summary>
public sealed class WorkingSchedule
{
    // A calendar with no working time in ten years is refused when it is saved; this bound only stops a loop.
    private const int MaxDays = 3_660;

    private readonly DateTimeZone _zone;
    private readonly ILookup<IsoDayOfWeek, WorkingRange> _ranges;
    private readonly HashSet<LocalDate> _holidays;

    public WorkingSchedule(DateTimeZone zone, IEnumerable<WorkingRange> ranges, IEnumerable<LocalDate> holidays)
    {
        _zone = zone;
        _ranges = ranges.OrderBy(r => r.Start).ToLookup(r => r.Day);
        _holidays = [.. holidays];
    }

    public DateTimeZone Zone => _zone;

    /// <summary>The instant at which <paramref name="target"/> of working time counted from <paramref name="start"/> is spent.</summary>
    public Instant Add(Instant start, Duration target)
    {
        if (target <= Duration.Zero)
        {
            return start;
        }

        var remaining = target;
        var date = start.InZone(_zone).Date;
        for (var day = 0; day < MaxDays; day++, date = date.PlusDays(1))
        {
            foreach (var (from, to) in WorkingIntervals(date))
            {
                if (to <= start)
                {
                    continue;
                }

                var begin = from > start ? from : start;
                var available = to - begin;
                if (remaining <= available)
                {
                    return begin + remaining;
                }

                remaining -= available;
            }
        }

        throw new InvalidOperationException("The calendar has no working time in ten years.");
    }

    /// <summary>The working time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public Duration Between(Instant from, Instant to)
    {
        var total = Duration.Zero;
        if (to <= from)
        {
            return total;
        }

        var last = to.InZone(_zone).Date;
        for (var date = from.InZone(_zone).Date; date <= last; date = date.PlusDays(1))
        {
            foreach (var (start, end) in WorkingIntervals(date))
            {
                var begin = start > from ? start : from;
                var finish = end < to ? end : to;
                if (finish > begin)
                {
                    total += finish - begin;
                }
            }
        }

        return total;
    }

    /// <summary>Whether <paramref name="at"/> is working time (the end of a range counts as its last moment).</summary>
    public bool IsWorkingOrEndOfRange(Instant at) =>
        WorkingIntervals(at.InZone(_zone).Date).Concat(WorkingIntervals(at.InZone(_zone).Date.PlusDays(-1)))
            .Any(i => i.Start <= at && at <= i.End);

    /// <summary>
    /// The working intervals of a local date, as instants, in order: each range cut at the zone's offset changes and
    /// mapped through the offset in force, so local times that do not exist count nothing and repeated ones count twice.
    /// </summary>
    public IEnumerable<(Instant Start, Instant End)> WorkingIntervals(LocalDate date)
    {
        if (_holidays.Contains(date) || !_ranges.Contains(date.DayOfWeek))
        {
            yield break;
        }

        var dayStart = _zone.AtStartOfDay(date).ToInstant();
        var dayEnd = _zone.AtStartOfDay(date.PlusDays(1)).ToInstant();
        var midnight = date.AtMidnight();
        foreach (var range in _ranges[date.DayOfWeek])
        {
            var localStart = midnight + range.Start.ToPeriodSinceMidnight();
            var localEnd = range.EndsAtMidnight ? date.PlusDays(1).AtMidnight() : midnight + range.End.ToPeriodSinceMidnight();
            foreach (var zone in _zone.GetZoneIntervals(dayStart, dayEnd))
            {
                var segmentStart = zone.HasStart && zone.Start > dayStart ? zone.Start : dayStart;
                var segmentEnd = zone.HasEnd && zone.End < dayEnd ? zone.End : dayEnd;
                var start = Max(new OffsetDateTime(localStart, zone.WallOffset).ToInstant(), segmentStart);
                var end = Min(new OffsetDateTime(localEnd, zone.WallOffset).ToInstant(), segmentEnd);
                if (end > start)
                {
                    yield return (start, end);
                }
            }
        }
    }

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;
}

internal static class LocalTimeExtensions
{
    public static Period ToPeriodSinceMidnight(this LocalTime time) => Period.FromTicks(time.TickOfDay);
}
