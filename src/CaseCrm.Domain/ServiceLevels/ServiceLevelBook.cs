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
