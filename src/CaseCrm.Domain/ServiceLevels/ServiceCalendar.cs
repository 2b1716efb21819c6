using System.Globalization;
using CaseCrm.Domain.Cases;
using NodaTime;

namespace CaseCrm.Domain.ServiceLevels;

/// <summary>One range of a calendar's working hours, as stored.</summary>
public sealed class CalendarHours
{
    public int Id { get; set; }
    public int CalendarId { get; set; }
    public IsoDayOfWeek Day { get; set; }
    public TimeOnly Start { get; set; }

    /// <summary>00:00 means the end of the day.</summary>
    public TimeOnly End { get; set; }

    public WorkingRange ToRange() => new(Day, LocalTime.FromTimeOnly(Start), LocalTime.FromTimeOnly(End));
}

/// <summary>A day off of a calendar.</summary>
public sealed class CalendarHoliday
{
    public int Id { get; set; }
    public int CalendarId { get; set; }
    public DateOnly Date { get; set; }
    public string Name { get; set; } = string.Empty;
}

/// <summary>
/// A working calendar ("Niveles de servicio"): a time zone, ranges of working hours per weekday, holidays. Service-level
/// targets count in its working time (<see cref="Schedule"/>). Its rules refuse a time zone that is not an IANA id,
/// a range that ends before it starts, two ranges of a day that overlap, a week without working hours, and a holiday
/// entered for one year that falls in another.
/// </summary>
public sealed class ServiceCalendar
{
    public int Id { get; set; }
    public string Name { get; private set; } = string.Empty;
    public string TimeZoneId { get; private set; } = "Europe/Madrid";
    public List<CalendarHours> Hours { get; } = [];
    public List<CalendarHoliday> Holidays { get; } = [];
    public int Version { get; set; }

    /// <summary>Sets the name, the zone and the week's working hours, all or nothing.</summary>
    public void Update(string name, string timeZoneId, IReadOnlyList<WorkingRange> hours)
    {
        var refusals = new List<CaseRuleViolation>();
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId) is null)
        {
            refusals.Add(new CaseRuleViolation(CaseRuleCode.UnknownTimeZone, null, timeZoneId));
        }

        refusals.AddRange(CheckHours(hours));
        if (refusals.Count > 0)
        {
            throw new CaseRuleException(refusals);
        }

        (Name, TimeZoneId) = (name, timeZoneId);
        Hours.Clear();
        Hours.AddRange(hours.OrderBy(h => h.Day).ThenBy(h => h.Start).Select(h => new CalendarHours
        {
            Day = h.Day, Start = h.Start.ToTimeOnly(), End = h.End.ToTimeOnly(),
        }));
    }

    /// <summary>Replaces the holidays of <paramref name="year"/>: each date in that year, once.</summary>
    public void SetHolidays(int year, IReadOnlyList<(LocalDate Date, string Name)> holidays)
    {
        var refusals = holidays.Where(h => h.Date.Year != year)
            .Select(h => new CaseRuleViolation(CaseRuleCode.HolidayOutsideYear, null, Iso(h.Date), year.ToString(CultureInfo.InvariantCulture)))
            .Concat(holidays.GroupBy(h => h.Date).Where(g => g.Count() > 1)
                .Select(g => new CaseRuleViolation(CaseRuleCode.DuplicateHoliday, null, Iso(g.Key))))
            .ToList();
        if (refusals.Count > 0)
        {
            throw new CaseRuleException(refusals);
        }

        Holidays.RemoveAll(h => h.Date.Year == year);
        Holidays.AddRange(holidays.OrderBy(h => h.Date).Select(h => new CalendarHoliday { Date = h.Date.ToDateOnly(), Name = h.Name }));
    }

    /// <summary>The working time of the calendar, for the arithmetic.</summary>
    public WorkingSchedule Schedule() =>
        new(DateTimeZoneProviders.Tzdb[TimeZoneId], Hours.Select(h => h.ToRange()), Holidays.Select(h => LocalDate.FromDateOnly(h.Date)));

    /// <summary>
    /// The refusals of a week's ranges: each that ends before it starts, each pair of a day that overlaps, and a week with
    /// none. A violation about one day carries the day's number (1 = Monday) last, so the page shows it beside that day.
    /// </summary>
    public static IReadOnlyList<CaseRuleViolation> CheckHours(IReadOnlyList<WorkingRange> hours)
    {
        var refusals = new List<CaseRuleViolation>();
        foreach (var range in hours.Where(h => !h.IsValid))
        {
            refusals.Add(new CaseRuleViolation(CaseRuleCode.InvalidRange, null, Text(range), Day(range)));
        }

        var valid = hours.Where(h => h.IsValid).ToList();
        for (var i = 0; i < valid.Count; i++)
        {
            for (var j = i + 1; j < valid.Count; j++)
            {
                if (valid[i].Overlaps(valid[j]))
                {
                    refusals.Add(new CaseRuleViolation(CaseRuleCode.OverlappingRanges, null, Text(valid[i]), Text(valid[j]), Day(valid[i])));
                }
            }
        }

        if (hours.Count == 0)
        {
            refusals.Add(new CaseRuleViolation(CaseRuleCode.NoWorkingHours));
        }

        return refusals;
    }

    /// <summary>"09:00-14:00".</summary>
    public static string Text(WorkingRange range) =>
        $"{range.Start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{range.End.ToString("HH:mm", CultureInfo.InvariantCulture)}";

    private static string Day(WorkingRange range) => ((int)range.Day).ToString(CultureInfo.InvariantCulture);

    private static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// A service-level policy: for cases of a priority (optionally of one category only), the first-response and resolution
/// targets in working minutes of a calendar.
/// </summary>
public sealed class ServicePolicy
{
    public int Id { get; set; }
    public string Name { get; private set; } = string.Empty;
    public CasePriority Priority { get; private set; }
    public int? CategoryId { get; private set; }
    public int CalendarId { get; private set; }
    public int FirstResponseMinutes { get; private set; }
    public int ResolutionMinutes { get; private set; }

    /// <summary>A target of a case is at risk when less than this share of it is left (1–99).</summary>
    public int AtRiskPercent { get; private set; } = DefaultAtRiskPercent;
    public int Version { get; set; }

    public const int DefaultAtRiskPercent = 20;

    /// <summary>Sets the policy; a target of zero or less is refused (the violation names the field last).</summary>
    public void Update(
        string name, CasePriority priority, int? categoryId, int calendarId, int firstResponseMinutes, int resolutionMinutes,
        int atRiskPercent = DefaultAtRiskPercent)
    {
        var refusals = new List<CaseRuleViolation>();
        if (atRiskPercent is < 1 or > 99)
        {
            refusals.Add(new CaseRuleViolation(CaseRuleCode.AtRiskPercentOutOfRange, null, nameof(AtRiskPercent)));
        }

        if (firstResponseMinutes <= 0)
        {
            refusals.Add(new CaseRuleViolation(CaseRuleCode.TargetNotPositive, null, nameof(FirstResponseMinutes)));
        }

        if (resolutionMinutes <= 0)
        {
            refusals.Add(new CaseRuleViolation(CaseRuleCode.TargetNotPositive, null, nameof(ResolutionMinutes)));
        }

        if (refusals.Count > 0)
        {
            throw new CaseRuleException(refusals);
        }

        (Name, Priority, CategoryId, CalendarId, FirstResponseMinutes, ResolutionMinutes, AtRiskPercent) =
            (name, priority, categoryId, calendarId, firstResponseMinutes, resolutionMinutes, atRiskPercent);
    }

    /// <summary>
    /// The policy of a case: the one of its priority and category, else the one of its priority for every category; none
    /// when neither exists. A case without a priority counts as Normal.
    /// </summary>
    public static ServicePolicy? Choose(IEnumerable<ServicePolicy> policies, CasePriority? priority, int categoryId)
    {
        var wanted = priority ?? CasePriority.Normal;
        var candidates = policies.Where(p => p.Priority == wanted).ToList();
        return candidates.FirstOrDefault(p => p.CategoryId == categoryId) ?? candidates.FirstOrDefault(p => p.CategoryId is null);
    }
}
