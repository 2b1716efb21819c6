using CaseCrm.Domain.ServiceLevels;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Data.Notifications;

/// <summary>
/// Writes the bell's notifications. Each is added to the caller's context and saved with the change that causes it,
/// in its transaction (the case operations' <see cref="Cases.CaseUnitOfWork"/>, the email intake); nobody is told of
/// their own action (<see cref="Notification.Notifies"/>).
/// </summary>
public static class Notify
{
    /// <summary>
    /// Adds a notification for <paramref name="userId"/> to <paramref name="db"/> (saved with its next save), unless
    /// <paramref name="actorId"/> is that user. Returns whether one was added. The at-risk and breached ones name
    /// their <paramref name="target"/>.
    /// </summary>
    public static bool Add(
        CrmDbContext db, string? userId, NotificationKind kind, int caseId, string? actorId, DateTime now, ServiceTarget? target = null)
    {
        if (!Notification.Notifies(userId, actorId))
        {
            return false;
        }

        db.Notifications.Add(new Notification(userId!, kind, caseId, actorId, now, target));
        return true;
    }

    /// <summary>
    /// "Asignado": for every tracked case whose assignee is about to change to someone, tells the new assignee, unless
    /// they assigned it themselves. Called by the unit of work before it saves, so every way of assigning is covered.
    /// </summary>
    internal static void CaptureAssignments(CrmDbContext db, DateTime now)
    {
        foreach (var entry in db.ChangeTracker.Entries<Case>().Where(e => e.State == EntityState.Modified).ToList())
        {
            var assignee = entry.Entity.AssignedToId;
            if (assignee is not null && (string?)entry.Property(nameof(Case.AssignedToId)).OriginalValue != assignee)
            {
                Add(db, assignee, NotificationKind.Assigned, entry.Entity.Id, entry.Entity.UpdatedById, now);
            }
        }
    }

    /// <summary>
    /// "Te mencionaron": tells each active user that <paramref name="handles"/> name (<see cref="Mentions.Resolve"/>)
    /// that <paramref name="authorId"/> mentioned them on the case. Reads the active users only when there is a handle.
    /// </summary>
    public static async Task MentionAsync(
        CrmDbContext db, int caseId, IReadOnlyCollection<string> handles, string authorId, DateTime now, CancellationToken ct)
    {
        if (handles.Count == 0)
        {
            return;
        }

        var users = await db.Users.AsNoTracking()
            .Where(u => u.IsActive && u.UserName != null)
            .Select(u => new { u.Id, UserName = u.UserName! })
            .ToListAsync(ct);
        foreach (var userId in Mentions.Resolve(handles, users.Select(u => (u.Id, u.UserName))))
        {
            Add(db, userId, NotificationKind.Mentioned, caseId, authorId, now);
        }
    }
}
