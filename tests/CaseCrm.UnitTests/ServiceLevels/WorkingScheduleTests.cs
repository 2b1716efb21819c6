using CaseCrm.Domain.ServiceLevels;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Text;
using Xunit;

namespace CaseCrm.UnitTests.ServiceLevels;

/// <summary>
/// The working-time arithmetic, by examples across weekends, holidays, several ranges a day and both daylight-saving
/// changes of Europe/Madrid in 2026 (29 March, 02:00 → 03:00; 25 October, 03:00 → 02:00), and by properties over random
/// starts in 2026–2027: adding then measuring gives the target back, a due time is never outside working hours, and
/// every measure agrees with a count minute by minute of the wall clock.
/// </summary>
public sealed class WorkingScheduleTests
{
    private static readonly DateTimeZone Madrid = DateTimeZoneProviders.Tzdb["Europe/Madrid"];

    // Each schedule's definition, kept for the brute force.
    private static readonly Dictionary<WorkingSchedule, (WorkingRange[] Ranges, LocalDate[] Holidays)> Definitions = [];

    /// <summary>An office in Madrid: weekdays 09–14 and 15–18, Saturday 10–13, four holidays of 2026.</summary>
    public static readonly WorkingSchedule Office = Define(
        Madrid,
        [
            .. WeekDays.SelectMany(d => new[] { Range(d, 9, 0, 14, 0), Range(d, 15, 0, 18, 0) }),
            Range(IsoDayOfWeek.Saturday, 10, 0, 13, 0),
        ],
        [new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 6), new LocalDate(2026, 4, 3), new LocalDate(2026, 12, 25)]);

    /// <summary>A night desk in Madrid whose ranges start and end inside the hours that the clock skips or repeats.</summary>
    public static readonly WorkingSchedule NightDesk = Define(
        Madrid,
        [.. AllDays.SelectMany(d => new[] { Range(d, 0, 30, 1, 30), Range(d, 1, 45, 2, 45), Range(d, 2, 50, 4, 0), Range(d, 22, 0, 0, 0) })],
        []);

    /// <summary>Bogotá, no daylight saving: weekdays 08–17, Colombia's 2026 Independence Day off.</summary>
    public static readonly WorkingSchedule Bogota = Define(
        DateTimeZoneProviders.Tzdb["America/Bogota"], [.. WeekDays.Select(d => Range(d, 8, 0, 17, 0))], [new LocalDate(2026, 7, 20)]);

    /// <summary>Around the clock in Madrid: every instant counts, the skipped hour does not exist.</summary>
    public static readonly WorkingSchedule AroundTheClock = Define(Madrid, [.. AllDays.Select(d => Range(d, 0, 0, 0, 0))], []);

    private static readonly WorkingSchedule[] Schedules = [Office, NightDesk, Bogota, AroundTheClock];

    private static IsoDayOfWeek[] WeekDays => [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];

    private static IsoDayOfWeek[] AllDays => [.. WeekDays, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];

    [Theory]
    [InlineData("2026-03-06T17:00", 120, "2026-03-07T11:00")] // Friday 17:00 + 2 h: one hour on Friday, one on Saturday from 10:00
    [InlineData("2026-03-07T12:30", 60, "2026-03-09T09:30")] // Saturday 12:30 + 1 h: half an hour on Saturday, Sunday off
    [InlineData("2026-03-09T13:30", 60, "2026-03-09T15:30")] // across the lunch break
    [InlineData("2026-03-09T07:00", 30, "2026-03-09T09:30")] // before opening
    [InlineData("2026-04-02T17:30", 60, "2026-04-04T10:30")] // Thursday before Good Friday (a holiday) → Saturday
    [InlineData("2026-12-24T17:00", 480, "2026-12-28T13:00")] // Thursday 1 h, Christmas off, Saturday 3 h, Monday 09–13 4 h
    public void Add_CountsOnlyWorkingHours(string start, int minutes, string expected) =>
        Assert.Equal(Local(expected), Office.Add(Local(start), Duration.FromMinutes(minutes)));

    [Fact]
    public void TheNightTheClockGoesForward_TheSkippedHourCountsNothing()
    {
        var day = new LocalDate(2026, 3, 29);

        var minutes = NightDesk.WorkingIntervals(day).Select(i => (i.End - i.Start).TotalMinutes).ToList();

        // 00:30–01:30 = 60; 01:45–02:45 keeps only 01:45–02:00 = 15; 02:50–04:00 keeps only 03:00–04:00 = 60; 22–24 = 120.
        Assert.Equal([60d, 15d, 60d, 120d], minutes);
        Assert.Equal(Duration.FromHours(23), AroundTheClock.Between(Madrid.AtStartOfDay(day).ToInstant(), Madrid.AtStartOfDay(day.PlusDays(1)).ToInstant()));
    }

    [Fact]
    public void TheNightTheClockGoesBack_TheRepeatedHourCountsTwice()
    {
        var day = new LocalDate(2026, 10, 25);

        var minutes = NightDesk.WorkingIntervals(day).Sum(i => (i.End - i.Start).TotalMinutes);

        // 00:30–01:30 = 60; 01:45–02:45 = 60 in summer time + 02:00–02:45 again in winter time = 105;
        // 02:50–04:00 = 02:50–03:00 in summer time (10) + 02:50–04:00 in winter time (70) = 80; 22–24 = 120.
        Assert.Equal(60 + 105 + 80 + 120, minutes);
        Assert.Equal(Duration.FromHours(25), AroundTheClock.Between(Madrid.AtStartOfDay(day).ToInstant(), Madrid.AtStartOfDay(day.PlusDays(1)).ToInstant()));
    }

    [Fact]
    public void AnInstantInTheRepeatedHour_IsFollowedByTheRestOfIt()
    {
        // 25 Oct 2026 02:30 summer time (00:30 UTC) + 60 working minutes on the night desk: 02:30–02:45 summer (15),
        // then 02:00–02:45 winter (45) — due at 02:45 winter time, 01:45 UTC.
        var start = Instant.FromUtc(2026, 10, 25, 0, 30);

        Assert.Equal(Instant.FromUtc(2026, 10, 25, 1, 45), NightDesk.Add(start, Duration.FromMinutes(60)));
    }

    [Fact]
    public void ATargetOfZero_IsDueAtTheStart() =>
        Assert.Equal(Local("2026-03-08T20:00"), Office.Add(Local("2026-03-08T20:00"), Duration.Zero));

    [Property(MaxTest = 300)]
    public bool AddingThenMeasuring_GivesTheTargetBack(PositiveInt minutesIntoTwoYears, PositiveInt targetMinutes, NonNegativeInt which)
    {
        var schedule = Schedules[which.Get % Schedules.Length];
        var start = Start(minutesIntoTwoYears.Get);
        var target = Duration.FromMinutes(targetMinutes.Get % 6_000);

        return schedule.Between(start, schedule.Add(start, target)) == target;
    }

    [Property(MaxTest = 300)]
    public bool ADueTime_IsNeverOutsideWorkingHours(PositiveInt minutesIntoTwoYears, PositiveInt targetMinutes, NonNegativeInt which)
    {
        var schedule = Schedules[which.Get % Schedules.Length];
        var due = schedule.Add(Start(minutesIntoTwoYears.Get), Duration.FromMinutes(1 + (targetMinutes.Get % 6_000)));

        return schedule.IsWorkingOrEndOfRange(due);
    }

    [Property(MaxTest = 300)]
    public bool AddingMore_IsNeverDueEarlier(PositiveInt minutesIntoTwoYears, PositiveInt first, PositiveInt second, NonNegativeInt which)
    {
        var schedule = Schedules[which.Get % Schedules.Length];
        var start = Start(minutesIntoTwoYears.Get);
        var (less, more) = (Math.Min(first.Get, second.Get) % 6_000, Math.Max(first.Get, second.Get) % 6_000);

        return less > more || schedule.Add(start, Duration.FromMinutes(less)) <= schedule.Add(start, Duration.FromMinutes(more));
    }

    [Property(MaxTest = 150)]
    public bool Measuring_AgreesWithACountMinuteByMinute(PositiveInt minutesIntoTwoYears, PositiveInt lengthMinutes, NonNegativeInt which)
    {
        var schedule = Schedules[which.Get % Schedules.Length];
        var from = Start(minutesIntoTwoYears.Get);
        var to = from + Duration.FromMinutes(lengthMinutes.Get % (8 * 24 * 60));

        return schedule.Between(from, to) == Duration.FromMinutes(CountMinutes(schedule, from, to));
    }

    [Fact]
    public void Measuring_AgreesWithACountMinuteByMinute_AcrossBothChangesOfTheClock()
    {
        foreach (var schedule in Schedules)
        {
            foreach (var (from, to) in new[] { ("2026-03-27T00:00", "2026-03-31T00:00"), ("2026-10-23T00:00", "2026-10-27T00:00") })
            {
                Assert.Equal(Duration.FromMinutes(CountMinutes(schedule, Local(from), Local(to))), schedule.Between(Local(from), Local(to)));
            }
        }
    }

    /// <summary>
    /// The brute force, written apart from the schedule: each minute whose wall-clock time, on a date that is not a
    /// holiday, is inside a range of its weekday.
    /// </summary>
    private static long CountMinutes(WorkingSchedule schedule, Instant from, Instant to)
    {
        var (ranges, holidays) = Definitions[schedule];
        long count = 0;
        for (var minute = from; minute < to; minute += Duration.FromMinutes(1))
        {
            var local = minute.InZone(schedule.Zone).LocalDateTime;
            var time = local.TimeOfDay.TickOfDay;
            if (!holidays.Contains(local.Date)
                && ranges.Any(r => r.Day == local.DayOfWeek && r.Start.TickOfDay <= time && (r.End == LocalTime.Midnight || time < r.End.TickOfDay)))
            {
                count++;
            }
        }

        return count;
    }

    // A start minute within 2026–2027, in UTC, on the minute.
    private static Instant Start(int minutes) => Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromMinutes(minutes % (2 * 365 * 24 * 60));

    private static Instant Local(string text) =>
        Madrid.AtStrictly(LocalDateTimePattern.GeneralIso.Parse(text + ":00").Value).ToInstant();

    private static WorkingSchedule Define(DateTimeZone zone, WorkingRange[] ranges, LocalDate[] holidays)
    {
        var schedule = new WorkingSchedule(zone, ranges, holidays);
        Definitions[schedule] = (ranges, holidays);
        return schedule;
    }

    private static WorkingRange Range(IsoDayOfWeek day, int startHour, int startMinute, int endHour, int endMinute) =>
        new(day, new LocalTime(startHour, startMinute), new LocalTime(endHour, endMinute));
}
