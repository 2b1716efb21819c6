using CaseCrm.Data;
using CaseCrm.Domain.Activities;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.Calendar;

/// <summary>An appointment or a task due, as the calendar and the feed show it (times UTC).</summary>
public sealed record CalendarItem(
    int Id, ActivityType Type, string Subject, ActivityStatus Status, DateTime At, DateTime? EndAt, string? Location, string OwnerName, int? CaseId);

/// <summary>The reads of the calendar and of the iCalendar feed.</summary>
public sealed class CalendarQueries(CrmDbContext db)
{
    /// <summary>The most items one calendar page or feed holds.</summary>
    public const int MaxItems = 1000;

    /// <summary>
    /// Appointments and tasks due in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), not cancelled: of one user (owned,
    /// or attended for appointments), or of everyone when <paramref name="userId"/> is null (a supervisor's team view).
    /// Served by the (OwnerId, ScheduledAt) and attendee indexes.
    /// </summary>
    public async Task<IReadOnlyList<CalendarItem>> ItemsAsync(string? userId, DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        var inRange = db.Activities.AsNoTracking()
            .Where(a => a.Type != ActivityType.Call && a.Status != ActivityStatus.Cancelled && a.ScheduledAt >= fromUtc && a.ScheduledAt < toUtc);
        // The appointments the user attends, from the attendee index (an IN list): as an EXISTS per activity, SQLite read every
        // owner's activities of the range to test each one (18,000 rows for a week at 3M activities).
        var attended = db.Set<ActivityAttendee>().Where(x => x.UserId == userId).Select(x => x.ActivityId);
        var query = userId is null
            ? inRange
            : inRange.Where(a => a.OwnerId == userId).Concat(inRange.Where(a => attended.Contains(a.Id) && a.OwnerId != userId));
        return await query
            .OrderBy(a => a.ScheduledAt)
            .Take(MaxItems)
            .Select(a => new CalendarItem(
                a.Id, a.Type, a.Subject, a.Status, a.ScheduledAt!.Value, a.EndAt, a.Location,
                db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.DisplayName).First(), a.CaseId))
            .ToListAsync(ct);
    }

    public Task<bool> HasFeedAsync(string userId, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.Id == userId && u.CalendarFeedTokenHash != null, ct);
}
