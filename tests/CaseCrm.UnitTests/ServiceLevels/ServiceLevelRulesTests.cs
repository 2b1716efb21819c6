using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.Web.Features.ServiceLevels;
using NodaTime;
using Xunit;

namespace CaseCrm.UnitTests.ServiceLevels;

public sealed class ServiceLevelRulesTests
{
    [Fact]
    public void ACalendar_RefusesOverlaps_BackwardRanges_AnUnknownZone_AndAnEmptyWeek_AllAtOnce()
    {
        var calendar = new ServiceCalendar();

        var refused = Assert.Throws<CaseRuleException>(() => calendar.Update("X", "Mars/Olympus", [Range(IsoDayOfWeek.Monday, 9, 14), Range(IsoDayOfWeek.Monday, 13, 15), Range(IsoDayOfWeek.Tuesday, 18, 9)]));

        Assert.Equal([CaseRuleCode.UnknownTimeZone, CaseRuleCode.InvalidRange, CaseRuleCode.OverlappingRanges], refused.Violations.Select(v => v.Code));
        Assert.Equal("2", refused.Violations[1].Args[^1]);
        Assert.Equal("1", refused.Violations[2].Args[^1]);
        Assert.Equal(CaseRuleCode.NoWorkingHours, Assert.Single(Assert.Throws<CaseRuleException>(() => calendar.Update("X", "Europe/Madrid", [])).Violations).Code);
        Assert.Empty(calendar.Hours);
    }

    [Fact]
    public void RangesThatTouch_DoNotOverlap_AndMidnightEndsTheDay()
    {
        var calendar = new ServiceCalendar();

        calendar.Update("Turnos", "Europe/Madrid", [Range(IsoDayOfWeek.Monday, 9, 14), Range(IsoDayOfWeek.Monday, 14, 0)]);

        Assert.Equal(2, calendar.Hours.Count);
        Assert.Equal(Duration.FromHours(15), calendar.Schedule().Between(Instant.FromUtc(2026, 3, 2, 0, 0), Instant.FromUtc(2026, 3, 3, 0, 0)));
    }

    [Fact]
    public void AYearsHolidays_AreReplaced_OthersKept_AndADateOfAnotherYearOrTwiceIsRefused()
    {
        var calendar = new ServiceCalendar();
        calendar.SetHolidays(2027, [(new LocalDate(2027, 1, 1), "Año Nuevo")]);
        calendar.SetHolidays(2026, [(new LocalDate(2026, 1, 1), "Año Nuevo")]);

        calendar.SetHolidays(2026, [(new LocalDate(2026, 12, 25), "Navidad")]);
        var refused = Assert.Throws<CaseRuleException>(() => calendar.SetHolidays(2026, [(new LocalDate(2027, 1, 6), "Reyes"), (new LocalDate(2026, 5, 1), "A"), (new LocalDate(2026, 5, 1), "B")]));

        Assert.Equal([new DateOnly(2026, 12, 25), new DateOnly(2027, 1, 1)], calendar.Holidays.Select(h => h.Date).Order());
        Assert.Equal([CaseRuleCode.HolidayOutsideYear, CaseRuleCode.DuplicateHoliday], refused.Violations.Select(v => v.Code));
    }

    [Fact]
    public void APolicy_RefusesATargetOfZero()
    {
        var refused = Assert.Throws<CaseRuleException>(() => new ServicePolicy().Update("P", CasePriority.High, null, 1, 0, -5));

        Assert.Equal(["FirstResponseMinutes", "ResolutionMinutes"], refused.Violations.Select(v => v.Args[0]));
    }

    [Fact]
    public void ThePolicyOfACase_IsItsPriorityAndCategorys_ElseItsPrioritys_AndNoPriorityCountsAsNormal()
    {
        var anyHigh = Policy(CasePriority.High, null);
        var highBilling = Policy(CasePriority.High, 7);
        var normal = Policy(CasePriority.Normal, null);
        ServicePolicy[] policies = [anyHigh, highBilling, normal];

        Assert.Same(highBilling, ServicePolicy.Choose(policies, CasePriority.High, 7));
        Assert.Same(anyHigh, ServicePolicy.Choose(policies, CasePriority.High, 8));
        Assert.Same(normal, ServicePolicy.Choose(policies, null, 7));
        Assert.Null(ServicePolicy.Choose(policies, CasePriority.Low, 7));
    }

    [Theory]
    [InlineData("4:00", 240)]
    [InlineData("0:30", 30)]
    [InlineData("40", 2400)]
    [InlineData(" 1:05 ", 65)]
    [InlineData("1:60", null)]
    [InlineData("cuatro", null)]
    [InlineData("-1:00", null)]
    [InlineData(null, null)]
    public void ATarget_IsReadAsHoursAndMinutes(string? text, int? minutes) =>
        Assert.Equal(minutes, ServiceLevelsController.ParseHours(text));

    private static ServicePolicy Policy(CasePriority priority, int? categoryId)
    {
        var policy = new ServicePolicy();
        policy.Update($"{priority} {categoryId}", priority, categoryId, 1, 60, 480);
        return policy;
    }

    private static WorkingRange Range(IsoDayOfWeek day, int from, int to) => new(day, new LocalTime(from, 0), new LocalTime(to, 0));
}
