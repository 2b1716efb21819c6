using CaseCrm.Domain.Cases;

namespace CaseCrm.Domain.ServiceLevels;

/// <summary>The state of one service-level target of a case.</summary>
public enum ServiceLevelState
{
    None = 0,
    OnTime = 1,
    AtRisk = 2,
    Breached = 3,
    Met = 4,
}

/// <summary>How the state of a target is read from what a case stores (its page and its list read the same columns).</summary>
public static class ServiceLevelStates
{
    /// <summary>
    /// The state of one target: met or breached once it is done; while it runs, by its stored due and at-risk times; while
    /// the clock stands (On hold), by the working time left. None without a target, or when the case closed without it.
    /// </summary>
    public static ServiceLevelState Of(
        int? targetMinutes, bool done, int? doneSeconds, DateTime? dueAt, DateTime? atRiskAt, bool caseIsActive, int spentSeconds,
        int atRiskPercent, DateTime now)
    {
        if (targetMinutes is not { } target)
        {
            return ServiceLevelState.None;
        }

        if (done)
        {
            return doneSeconds is { } seconds && seconds <= target * 60 ? ServiceLevelState.Met : ServiceLevelState.Breached;
        }

        if (dueAt is { } due)
        {
            return Running(due, atRiskAt, now);
        }

        if (!caseIsActive)
        {
            return ServiceLevelState.None;
        }

        var left = (target * 60L) - spentSeconds;
        return left <= 0 ? ServiceLevelState.Breached
            : left * 100 < target * 60L * atRiskPercent ? ServiceLevelState.AtRisk
            : ServiceLevelState.OnTime;
    }

    /// <summary>The state of a running target from its due and at-risk times (the list's "Vence" column).</summary>
    public static ServiceLevelState Running(DateTime dueAt, DateTime? atRiskAt, DateTime now) =>
        now >= dueAt ? ServiceLevelState.Breached : now >= atRiskAt ? ServiceLevelState.AtRisk : ServiceLevelState.OnTime;
}

/// <summary>The two targets of a policy.</summary>
public enum ServiceTarget
{
    FirstResponse = 1,
    Resolution = 2,
}

/// <summary>The service-level notifications a case has given for its current targets.</summary>
[Flags]
public enum ServiceNotices
{
    None = 0,
    FirstResponseAtRisk = 1,
    FirstResponseBreached = 2,
    ResolutionAtRisk = 4,
    ResolutionBreached = 8,
}

/// <summary>The policies and the working schedules of their calendars, as a case's clock reads them.</summary>
public sealed class ServiceLevelBook(IReadOnlyList<ServicePolicy> policies, Func<int, WorkingSchedule?> schedule)
{
    /// <summary>No policies: cases get no targets (their resolution time is still recorded).</summary>
    public static readonly ServiceLevelBook Empty = new([], _ => null);

    public IReadOnlyList<ServicePolicy> Policies => policies;

    public ServicePolicy? PolicyFor(CasePriority? priority, int categoryId) => ServicePolicy.Choose(policies, priority, categoryId);

    /// <summary>The schedule of a calendar; null when it was deleted (its time then counts nothing).</summary>
    public WorkingSchedule? Schedule(int calendarId) => schedule(calendarId);
}
