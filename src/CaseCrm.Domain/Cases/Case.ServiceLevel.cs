using CaseCrm.Domain.ServiceLevels;
using NodaTime;

namespace CaseCrm.Domain.Cases;

/// <summary>
/// The service-level clock of a case (docs/service-levels.md, ADR 0022). One counter of working time serves both targets,
/// because both count from the case's creation and both pause in On hold: <see cref="ClockSpentSeconds"/> is the working
/// time banked before <see cref="ClockRunningSince"/>, which is null while the clock stands (On hold, closed, no policy).
/// Due times are stored so that lists sort and filter by them without a calendar; they are recomputed by
/// <see cref="FollowServiceLevel"/> whenever the status, priority or category changes.
/// </summary>
public partial class Case
{
    /// <summary>The policy whose targets the case was given (a copy: editing the policy later does not move them).</summary>
    public int? ServicePolicyId { get; private set; }

    /// <summary>The calendar the clock counts in.</summary>
    public int? ServiceCalendarId { get; private set; }

    public int? FirstResponseTargetMinutes { get; private set; }
    public int? ResolutionTargetMinutes { get; private set; }

    /// <summary>A target is at risk when less than this share of it is left.</summary>
    public int AtRiskPercent { get; private set; } = ServicePolicy.DefaultAtRiskPercent;

    public DateTime? ClockRunningSince { get; private set; }
    public int ClockSpentSeconds { get; private set; }

    public DateTime? FirstResponseDueAt { get; private set; }
    public DateTime? FirstResponseAtRiskAt { get; private set; }
    public DateTime? ResolutionDueAt { get; private set; }
    public DateTime? ResolutionAtRiskAt { get; private set; }

    /// <summary>The earliest due time still pending, for the list's "Vence" column; null when the clock stands.</summary>
    public DateTime? DueAt { get; private set; }

    /// <summary>
    /// <see cref="DueAt"/>, or <see cref="NoDueTime"/> when there is none: the list's "Vence" sort reads an index of this
    /// column in order, with the cases that are not due last (SQLite and SQL Server would sort NULLs first).
    /// </summary>
    public DateTime DueSort { get; private set; } = NoDueTime;

    /// <summary>The sort value of a case that is not due: after every real due time.</summary>
    public static readonly DateTime NoDueTime = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>When the pending target of <see cref="DueAt"/> becomes at risk.</summary>
    public DateTime? AtRiskAt { get; private set; }

    /// <summary>The first email sent to the customer or outgoing call logged.</summary>
    public DateTime? FirstRespondedAt { get; private set; }

    /// <summary>Working time spent when the first response came (compared with the first-response target).</summary>
    public int? FirstResponseSeconds { get; private set; }

    /// <summary>When the case was last resolved (kept when it is then closed); null while active or when cancelled without a resolution.</summary>
    public DateTime? ResolvedAt { get; private set; }

    /// <summary>Working time spent when the case was resolved (compared with the resolution target).</summary>
    public int? ResolutionSeconds { get; private set; }

    /// <summary>The service-level notifications already given for the current targets.</summary>
    public ServiceNotices NoticesGiven { get; private set; }

    /// <summary>The next moment a service-level notification falls due; the background check reads this (indexed) column.</summary>
    public DateTime? NextNoticeAt { get; private set; }

    /// <summary>
    /// Records the first response to the customer at <paramref name="at"/> (never before the case was opened); later ones
    /// change nothing. The clock reads it on the next <see cref="FollowServiceLevel"/>, which the save runs.
    /// </summary>
    public void RecordFirstResponse(DateTime at)
    {
        FirstRespondedAt ??= at < CreatedAt ? CreatedAt : at;
    }

    /// <summary>
    /// Brings the clock up to date at <paramref name="now"/>: banks the working time spent since it last ran, records the
    /// first response and the resolution, chooses the policy of the case's priority and category again (keeping the time
    /// spent), runs the clock while the case is active and not On hold, and computes the due times.
    /// </summary>
    public void FollowServiceLevel(ServiceLevelBook book, DateTime now)
    {
        var schedule = ServiceCalendarId is { } calendarId ? book.Schedule(calendarId) : null;
        if (FirstRespondedAt is { } respondedAt && FirstResponseSeconds is null && FirstResponseTargetMinutes is not null)
        {
            FirstResponseSeconds = ClockSpentSeconds + Spent(schedule, ClockRunningSince, respondedAt);
        }

        ClockSpentSeconds += Spent(schedule, ClockRunningSince, now);
        ClockRunningSince = null;

        if (Status == CaseStatus.Resolved && ResolvedAt is null)
        {
            ResolvedAt = now;
            ResolutionSeconds = ResolutionTargetMinutes is null ? null : ClockSpentSeconds;
        }
        else if (Status.IsActive() && ResolvedAt is not null)
        {
            // Reopened: the resolution clock goes on from the time already spent. Closing a resolved case keeps its resolution.
            ResolvedAt = null;
            ResolutionSeconds = null;
        }

        if (Status.IsActive())
        {
            ChoosePolicy(book.PolicyFor(Priority, CategoryId));
            if (Status != CaseStatus.OnHold && ServicePolicyId is not null)
            {
                ClockRunningSince = now;
            }
        }

        ComputeDueTimes(ServiceCalendarId is { } chosen ? book.Schedule(chosen) : null);
    }

    /// <summary>
    /// The service-level notifications due at <paramref name="now"/> and not given yet, marked as given; the next moment one
    /// falls due is moved on. Called by the background check, which notifies the assignee.
    /// </summary>
    public IReadOnlyList<(ServiceTarget Target, ServiceNotices Notice)> TakeDueNotices(DateTime now)
    {
        var due = PendingNotices().Where(n => n.At <= now && !NoticesGiven.HasFlag(n.Notice)).Select(n => (n.Target, n.Notice)).ToList();
        foreach (var (_, notice) in due)
        {
            NoticesGiven |= notice;
        }

        NextNoticeAt = NextNotice();
        return due;
    }

    /// <summary>The state of the first-response target at <paramref name="now"/>.</summary>
    public ServiceLevelState FirstResponseState(DateTime now) => ServiceLevelStates.Of(
        FirstResponseTargetMinutes, FirstRespondedAt is not null, FirstResponseSeconds, FirstResponseDueAt, FirstResponseAtRiskAt,
        Status.IsActive(), ClockSpentSeconds, AtRiskPercent, now);

    /// <summary>The state of the resolution target at <paramref name="now"/>.</summary>
    public ServiceLevelState ResolutionState(DateTime now) => ServiceLevelStates.Of(
        ResolutionTargetMinutes, ResolvedAt is not null, ResolutionSeconds, ResolutionDueAt, ResolutionAtRiskAt,
        Status.IsActive(), ClockSpentSeconds, AtRiskPercent, now);

    /// <summary>Working time left of a target while the clock stands (On hold); negative when it is overdue.</summary>
    public int? SecondsLeftWhilePaused(int? targetMinutes) =>
        targetMinutes is { } target && ClockRunningSince is null ? target * 60 - ClockSpentSeconds : null;

    private void ChoosePolicy(ServicePolicy? policy)
    {
        if (policy?.Id == ServicePolicyId)
        {
            return;
        }

        ServicePolicyId = policy?.Id;
        ServiceCalendarId = policy?.CalendarId;
        ResolutionTargetMinutes = policy?.ResolutionMinutes;
        AtRiskPercent = policy?.AtRiskPercent ?? ServicePolicy.DefaultAtRiskPercent;
        NoticesGiven &= ~(ServiceNotices.ResolutionAtRisk | ServiceNotices.ResolutionBreached);
        if (FirstRespondedAt is null)
        {
            FirstResponseTargetMinutes = policy?.FirstResponseMinutes;
            NoticesGiven &= ~(ServiceNotices.FirstResponseAtRisk | ServiceNotices.FirstResponseBreached);
        }
    }

    private void ComputeDueTimes(WorkingSchedule? schedule)
    {
        (FirstResponseDueAt, FirstResponseAtRiskAt, ResolutionDueAt, ResolutionAtRiskAt) = (null, null, null, null);
        if (ClockRunningSince is { } since && schedule is not null)
        {
            if (FirstRespondedAt is null && FirstResponseTargetMinutes is { } firstResponse)
            {
                (FirstResponseDueAt, FirstResponseAtRiskAt) = DueTimes(schedule, since, firstResponse);
            }

            if (ResolutionTargetMinutes is { } resolution)
            {
                (ResolutionDueAt, ResolutionAtRiskAt) = DueTimes(schedule, since, resolution);
            }
        }

        DueAt = Earliest(FirstResponseDueAt, ResolutionDueAt);
        DueSort = DueAt ?? NoDueTime;
        AtRiskAt = Earliest(FirstResponseAtRiskAt, ResolutionAtRiskAt);
        NextNoticeAt = NextNotice();
    }

    private (DateTime Due, DateTime AtRisk) DueTimes(WorkingSchedule schedule, DateTime since, int targetMinutes)
    {
        var start = Instant.FromDateTimeUtc(DateTime.SpecifyKind(since, DateTimeKind.Utc));
        var left = targetMinutes * 60L - ClockSpentSeconds;
        var riskLeft = targetMinutes * 60L * AtRiskPercent / 100;
        return (At(schedule.Add(start, Duration.FromSeconds(left))), At(schedule.Add(start, Duration.FromSeconds(left - riskLeft))));
    }

    private IEnumerable<(DateTime At, ServiceTarget Target, ServiceNotices Notice)> PendingNotices()
    {
        if (FirstResponseDueAt is { } firstDue && FirstResponseAtRiskAt is { } firstRisk)
        {
            yield return (firstRisk, ServiceTarget.FirstResponse, ServiceNotices.FirstResponseAtRisk);
            yield return (firstDue, ServiceTarget.FirstResponse, ServiceNotices.FirstResponseBreached);
        }

        if (ResolutionDueAt is { } resolutionDue && ResolutionAtRiskAt is { } resolutionRisk)
        {
            yield return (resolutionRisk, ServiceTarget.Resolution, ServiceNotices.ResolutionAtRisk);
            yield return (resolutionDue, ServiceTarget.Resolution, ServiceNotices.ResolutionBreached);
        }
    }

    private DateTime? NextNotice() =>
        PendingNotices().Where(n => !NoticesGiven.HasFlag(n.Notice)).Select(n => (DateTime?)n.At).Min();

    private static int Spent(WorkingSchedule? schedule, DateTime? from, DateTime to) =>
        schedule is null || from is not { } start || to <= start
            ? 0
            : (int)schedule.Between(Instant.FromDateTimeUtc(DateTime.SpecifyKind(start, DateTimeKind.Utc)),
                Instant.FromDateTimeUtc(DateTime.SpecifyKind(to, DateTimeKind.Utc))).TotalSeconds;

    private static DateTime At(Instant instant) => instant.ToDateTimeUtc();

    private static DateTime? Earliest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
