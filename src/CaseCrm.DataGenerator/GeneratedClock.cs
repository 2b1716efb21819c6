using Bogus;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using NodaTime;

namespace CaseCrm.DataGenerator;

/// <summary>
/// The service-level clock columns of a generated case, computed with the domain's working-time arithmetic as the app's
/// clock would have left them (Case.ServiceLevel.cs): targets copied from the policy of the case's priority and category;
/// a first response at a random working time after creation, late for about one case in six; resolved (and closed)
/// cases resolved at their last update; active cases running from their creation, On hold ones standing since their last
/// update. The notices whose moments are before the generator's fixed now count as given, so the background check does
/// not notify years of old events at once.
/// </summary>
internal sealed class GeneratedClock(ServiceLevelBook book, Randomizer random, DateTime now)
{
    /// <summary>The case columns this class fills, in the order of <see cref="Columns"/>'s values.</summary>
    public static readonly string[] Properties =
    [
        nameof(Case.ServicePolicyId), nameof(Case.ServiceCalendarId), nameof(Case.FirstResponseTargetMinutes),
        nameof(Case.ResolutionTargetMinutes), nameof(Case.AtRiskPercent), nameof(Case.ClockRunningSince), nameof(Case.ClockSpentSeconds),
        nameof(Case.FirstResponseDueAt), nameof(Case.FirstResponseAtRiskAt), nameof(Case.ResolutionDueAt), nameof(Case.ResolutionAtRiskAt),
        nameof(Case.DueAt), nameof(Case.AtRiskAt), nameof(Case.FirstRespondedAt), nameof(Case.FirstResponseSeconds), nameof(Case.ResolvedAt),
        nameof(Case.ResolutionSeconds), nameof(Case.NoticesGiven), nameof(Case.NextNoticeAt),
    ];

    private const double LateShare = 1.0 / 6;

    public object?[] Columns(CasePriority? priority, int categoryId, CaseStatus status, DateTime created, DateTime updated)
    {
        var policy = book.PolicyFor(priority, categoryId);
        var schedule = policy is null ? null : book.Schedule(policy.CalendarId);
        var resolvedAt = status is CaseStatus.Resolved or CaseStatus.Closed ? updated : (DateTime?)null;

        // New cases wait for their first answer; nine in ten of the others had one.
        DateTime? respondedAt = null;
        int? respondedSeconds = null;
        if (schedule is not null && status != CaseStatus.New && random.Double() < 0.9)
        {
            var target = policy!.FirstResponseMinutes * 60.0;
            var spent = random.Double() < LateShare ? target * random.Double(1.05, 3) : target * random.Double(0.02, 0.95);
            var at = At(schedule.Add(Instant(created), Duration.FromSeconds((long)spent)));
            respondedAt = at > updated ? updated : at;
            respondedSeconds = Seconds(schedule, created, respondedAt.Value);
        }

        DateTime? runningSince = null;
        var spentSeconds = 0;
        DateTime? firstDue = null, firstRisk = null, resolutionDue = null, resolutionRisk = null;
        if (schedule is not null && status.IsActive())
        {
            if (status == CaseStatus.OnHold)
            {
                spentSeconds = Seconds(schedule, created, updated);
            }
            else
            {
                runningSince = created;
                if (respondedAt is null)
                {
                    (firstDue, firstRisk) = DueTimes(schedule, created, policy!.FirstResponseMinutes, policy.AtRiskPercent);
                }

                (resolutionDue, resolutionRisk) = DueTimes(schedule, created, policy!.ResolutionMinutes, policy.AtRiskPercent);
            }
        }

        var notices = ServiceNotices.None;
        DateTime? nextNotice = null;
        Notice(firstRisk, ServiceNotices.FirstResponseAtRisk);
        Notice(firstDue, ServiceNotices.FirstResponseBreached);
        Notice(resolutionRisk, ServiceNotices.ResolutionAtRisk);
        Notice(resolutionDue, ServiceNotices.ResolutionBreached);

        return
        [
            policy?.Id, policy?.CalendarId, policy?.FirstResponseMinutes, policy?.ResolutionMinutes,
            policy?.AtRiskPercent ?? ServicePolicy.DefaultAtRiskPercent, runningSince, spentSeconds,
            firstDue, firstRisk, resolutionDue, resolutionRisk, Earliest(firstDue, resolutionDue), Earliest(firstRisk, resolutionRisk),
            respondedAt, respondedSeconds, resolvedAt,
            resolvedAt is { } resolved && schedule is not null ? Seconds(schedule, created, resolved) : null,
            (int)notices, nextNotice,
        ];

        void Notice(DateTime? at, ServiceNotices notice)
        {
            if (at is not { } moment)
            {
                return;
            }

            if (moment <= now)
            {
                notices |= notice;
            }
            else
            {
                nextNotice = Earliest(nextNotice, moment);
            }
        }
    }

    // The domain's formula (Case.DueTimes) for a clock that has spent nothing yet.
    private static (DateTime Due, DateTime AtRisk) DueTimes(WorkingSchedule schedule, DateTime since, int targetMinutes, int atRiskPercent)
    {
        var target = targetMinutes * 60L;
        var risk = target * atRiskPercent / 100;
        return (At(schedule.Add(Instant(since), Duration.FromSeconds(target))), At(schedule.Add(Instant(since), Duration.FromSeconds(target - risk))));
    }

    private static int Seconds(WorkingSchedule schedule, DateTime from, DateTime to) =>
        to <= from ? 0 : (int)schedule.Between(Instant(from), Instant(to)).TotalSeconds;

    private static Instant Instant(DateTime at) => NodaTime.Instant.FromDateTimeUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private static DateTime At(Instant instant) => instant.ToDateTimeUtc();

    private static DateTime? Earliest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
