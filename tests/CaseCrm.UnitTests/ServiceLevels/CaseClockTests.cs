using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using NodaTime;
using Xunit;
using static CaseCrm.UnitTests.Cases.CaseBuilder;

namespace CaseCrm.UnitTests.ServiceLevels;

/// <summary>
/// The service-level clock of a case (Case.ServiceLevel.cs) in an office in Madrid, weekdays 09–14 and 15–18, with
/// Christmas 2026 a holiday: Normal 4 h / 40 h, Urgent 1 h / 8 h, at risk with 20 % left.
/// </summary>
public sealed class CaseClockTests
{
    private static readonly DateTimeZone Madrid = DateTimeZoneProviders.Tzdb["Europe/Madrid"];

    private static readonly ServiceLevelBook Book = MakeBook();

    [Fact]
    public void ANewCase_IsDue_InWorkingTime_AcrossChristmasAndTheWeekend()
    {
        var item = Open(At("2026-12-24T17:00"));

        Assert.Equal(At("2026-12-28T12:00"), item.FirstResponseDueAt);
        // 40 h: 1 h on the 24th, then 8 h a day on 28, 29, 30 and 31 December (1 January is not a holiday of this
        // calendar), and the last 7 h on 1 January end at 17:00.
        Assert.Equal(At("2027-01-01T17:00"), item.ResolutionDueAt);
        Assert.Equal(item.FirstResponseDueAt, item.DueAt);
        // At risk with 20 % of 4 h (48 min) left: 3 h 12 min of working time after 17:00 on the 24th.
        Assert.Equal(At("2026-12-28T11:12"), item.AtRiskAt);
        Assert.Equal(ServiceLevelState.OnTime, item.FirstResponseState(At("2026-12-28T11:11")));
        Assert.Equal(ServiceLevelState.AtRisk, item.FirstResponseState(At("2026-12-28T11:12")));
        Assert.Equal(ServiceLevelState.Breached, item.FirstResponseState(At("2026-12-28T12:00")));
    }

    [Fact]
    public void APriorityChange_ChoosesThePolicyAgain_KeepingTheTimeSpent()
    {
        var item = Open(At("2026-03-02T09:00"));

        item.Update(Fields(priority: CasePriority.Urgent), CaseStatus.InProgress, References, UserId, At("2026-03-02T09:30"));
        item.FollowServiceLevel(Book, At("2026-03-02T09:30"));

        Assert.Equal(2, item.ServicePolicyId);
        Assert.Equal(60, item.FirstResponseTargetMinutes);
        Assert.Equal(30 * 60, item.ClockSpentSeconds);
        Assert.Equal(At("2026-03-02T10:00"), item.FirstResponseDueAt);
        Assert.Equal(At("2026-03-02T18:00"), item.ResolutionDueAt);
    }

    [Fact]
    public void APriorityChange_PastTheNewTarget_IsBreachedAtOnce()
    {
        var item = Open(At("2026-03-02T09:00"));

        item.Update(Fields(priority: CasePriority.Urgent), CaseStatus.InProgress, References, UserId, At("2026-03-02T11:00"));
        item.FollowServiceLevel(Book, At("2026-03-02T11:00"));

        Assert.Equal(At("2026-03-02T11:00"), item.FirstResponseDueAt);
        Assert.Equal(ServiceLevelState.Breached, item.FirstResponseState(At("2026-03-02T11:00")));
    }

    [Fact]
    public void OnHold_StopsTheClock_AndResumingGoesOnFromTheTimeSpent()
    {
        var item = Open(At("2026-03-02T09:00"));

        Change(item, CaseStatus.OnHold, At("2026-03-02T10:00"));

        Assert.Null(item.DueAt);
        Assert.Null(item.ClockRunningSince);
        Assert.Equal(3600, item.ClockSpentSeconds);
        Assert.Equal(3 * 3600, item.SecondsLeftWhilePaused(item.FirstResponseTargetMinutes));
        Assert.Equal(ServiceLevelState.OnTime, item.FirstResponseState(At("2026-03-09T10:00")));

        Change(item, CaseStatus.InProgress, At("2026-03-03T09:00"));

        Assert.Equal(At("2026-03-03T12:00"), item.FirstResponseDueAt);
    }

    [Fact]
    public void AWaitingCase_ShowsItsStateFromTheTimeLeft()
    {
        var item = Open(At("2026-03-02T09:00"));

        Change(item, CaseStatus.OnHold, At("2026-03-02T12:30"));

        Assert.Equal(ServiceLevelState.AtRisk, item.FirstResponseState(At("2026-03-20T09:00")));
        Assert.Equal(ServiceLevelState.OnTime, item.ResolutionState(At("2026-03-20T09:00")));
    }

    [Fact]
    public void TheFirstResponse_EndsItsTarget_AndTheCaseIsThenDueForResolution()
    {
        var item = Open(At("2026-03-02T09:00"));

        item.RecordFirstResponse(At("2026-03-02T11:00"));
        item.RecordFirstResponse(At("2026-03-02T12:00"));
        item.FollowServiceLevel(Book, At("2026-03-02T11:00"));

        Assert.Equal(At("2026-03-02T11:00"), item.FirstRespondedAt);
        Assert.Equal(2 * 3600, item.FirstResponseSeconds);
        Assert.Equal(ServiceLevelState.Met, item.FirstResponseState(At("2026-03-09T09:00")));
        Assert.Null(item.FirstResponseDueAt);
        Assert.Equal(item.ResolutionDueAt, item.DueAt);
    }

    [Fact]
    public void ALateFirstResponse_IsBreached_AndAnEarlierOneThanTheCaseCountsFromItsOpening()
    {
        var late = Open(At("2026-03-02T09:00"));
        late.RecordFirstResponse(At("2026-03-02T15:30"));
        late.FollowServiceLevel(Book, At("2026-03-02T15:30"));
        var early = Open(At("2026-03-02T09:00"));
        early.RecordFirstResponse(At("2026-03-01T20:00"));
        early.FollowServiceLevel(Book, At("2026-03-02T09:05"));

        Assert.Equal(ServiceLevelState.Breached, late.FirstResponseState(At("2026-03-02T15:30")));
        Assert.Equal((5 * 3600) + (30 * 60), late.FirstResponseSeconds);
        Assert.Equal(At("2026-03-02T09:00"), early.FirstRespondedAt);
        Assert.Equal(0, early.FirstResponseSeconds);
    }

    [Fact]
    public void Resolving_RecordsTheOutcome_AndReopening_GoesOnFromIt()
    {
        var item = Open(At("2026-03-02T09:00"));

        item.Resolve("Hecho.", UserId, At("2026-03-03T10:00"));
        item.FollowServiceLevel(Book, At("2026-03-03T10:00"));

        Assert.Equal(At("2026-03-03T10:00"), item.ResolvedAt);
        Assert.Equal(9 * 3600, item.ResolutionSeconds);
        Assert.Equal(ServiceLevelState.Met, item.ResolutionState(At("2026-04-01T10:00")));
        Assert.Null(item.DueAt);

        item.Reopen(null, UserId, At("2026-03-04T09:00"));
        item.FollowServiceLevel(Book, At("2026-03-04T09:00"));

        Assert.Null(item.ResolvedAt);
        Assert.Null(item.ResolutionSeconds);
        // 40 h target, 9 h spent: 31 h from Wednesday 09:00 (8 h a day) end on Friday 6 March... plus 7 h on Monday 9.
        Assert.Equal(At("2026-03-09T17:00"), item.ResolutionDueAt);
    }

    [Fact]
    public void ACancelledCase_HasNoResolution_AndItsClockStands()
    {
        var item = Open(At("2026-03-02T09:00"));

        item.Cancel(UserId, At("2026-03-02T10:00"));
        item.FollowServiceLevel(Book, At("2026-03-02T10:00"));

        Assert.Null(item.ResolvedAt);
        Assert.Null(item.DueAt);
        Assert.Null(item.NextNoticeAt);
        Assert.Equal(ServiceLevelState.None, item.ResolutionState(At("2026-04-01T10:00")));
    }

    [Fact]
    public void Notices_AreGivenOnce_InOrder_AndAgainForNewTargets()
    {
        var item = Open(At("2026-03-02T09:00"));
        Assert.Equal(At("2026-03-02T12:12"), item.NextNoticeAt);

        Assert.Empty(item.TakeDueNotices(At("2026-03-02T12:11")));
        Assert.Equal([(ServiceTarget.FirstResponse, ServiceNotices.FirstResponseAtRisk)], item.TakeDueNotices(At("2026-03-02T12:12")));
        Assert.Empty(item.TakeDueNotices(At("2026-03-02T12:13")));
        Assert.Equal(At("2026-03-02T13:00"), item.NextNoticeAt);
        // A check that ran late gives every notice due since, once.
        Assert.Equal([(ServiceTarget.FirstResponse, ServiceNotices.FirstResponseBreached)], item.TakeDueNotices(At("2026-03-03T09:00")));
        Assert.Equal(ServiceNotices.FirstResponseAtRisk | ServiceNotices.FirstResponseBreached, item.NoticesGiven);

        item.Update(Fields(priority: CasePriority.Urgent), CaseStatus.InProgress, References, UserId, At("2026-03-03T09:00"));
        item.FollowServiceLevel(Book, At("2026-03-03T09:00"));

        Assert.Equal(ServiceNotices.None, item.NoticesGiven);
        Assert.Equal(At("2026-03-03T09:00"), item.NextNoticeAt);
        // A whole working day (8 h) is spent: both urgent targets are breached at once.
        Assert.Equal(
            [
                (ServiceTarget.FirstResponse, ServiceNotices.FirstResponseAtRisk), (ServiceTarget.FirstResponse, ServiceNotices.FirstResponseBreached),
                (ServiceTarget.Resolution, ServiceNotices.ResolutionAtRisk), (ServiceTarget.Resolution, ServiceNotices.ResolutionBreached),
            ],
            item.TakeDueNotices(At("2026-03-03T09:00")));
        Assert.Null(item.NextNoticeAt);
    }

    [Fact]
    public void ACaseWithoutAPolicy_HasNoTargets_ButItsResolutionIsRecorded()
    {
        var item = new Case(10, Fields(priority: CasePriority.Low), CaseStatus.New, References, UserId, At("2026-03-02T09:00"));
        item.FollowServiceLevel(Book, At("2026-03-02T09:00"));

        Assert.Null(item.ServicePolicyId);
        Assert.Null(item.DueAt);

        item.Resolve("Hecho.", UserId, At("2026-03-02T10:00"));
        item.FollowServiceLevel(Book, At("2026-03-02T10:00"));

        Assert.Equal(At("2026-03-02T10:00"), item.ResolvedAt);
        Assert.Null(item.ResolutionSeconds);
        Assert.Equal(ServiceLevelState.None, item.ResolutionState(At("2026-03-02T10:00")));
    }

    private static Case Open(DateTime at)
    {
        var item = new Case(10, Fields(priority: CasePriority.Normal), CaseStatus.New, References, UserId, at);
        item.FollowServiceLevel(Book, at);
        return item;
    }

    private static void Change(Case item, CaseStatus status, DateTime at)
    {
        item.Update(Fields(priority: item.Priority), status, References, UserId, at);
        item.FollowServiceLevel(Book, at);
    }

    /// <summary>A Madrid wall-clock time as the UTC instant the database stores.</summary>
    private static DateTime At(string local) =>
        Madrid.AtStrictly(NodaTime.Text.LocalDateTimePattern.GeneralIso.Parse(local + ":00").Value).ToInstant().ToDateTimeUtc();

    private static ServiceLevelBook MakeBook()
    {
        var office = new ServiceCalendar { Id = 7 };
        office.Update("Madrid", "Europe/Madrid",
        [
            .. new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday }
                .SelectMany(d => new[] { new WorkingRange(d, new LocalTime(9, 0), new LocalTime(14, 0)), new WorkingRange(d, new LocalTime(15, 0), new LocalTime(18, 0)) }),
        ]);
        office.SetHolidays(2026, [(new LocalDate(2026, 12, 25), "Navidad")]);
        var normal = new ServicePolicy { Id = 1 };
        normal.Update("Normal", CasePriority.Normal, null, office.Id, 4 * 60, 40 * 60);
        var urgent = new ServicePolicy { Id = 2 };
        urgent.Update("Urgente", CasePriority.Urgent, null, office.Id, 60, 8 * 60);
        var schedule = office.Schedule();
        return new ServiceLevelBook([normal, urgent], id => id == office.Id ? schedule : null);
    }
}
