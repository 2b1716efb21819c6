using CaseCrm.Domain.ServiceLevels;

namespace CaseCrm.Domain.Notifications;

/// <summary>Why a user is told about a case. The numbers are stored: never renumber.</summary>
public enum NotificationKind
{
    /// <summary>The case was assigned to the user by someone else.</summary>
    Assigned = 1,

    /// <summary>The customer wrote again on a case assigned to the user.</summary>
    CustomerReplied = 2,

    /// <summary>A service-level target of the user's case is close (see <see cref="Notification.Target"/>).</summary>
    AtRisk = 3,

    /// <summary>A service-level target of the user's case was missed (see <see cref="Notification.Target"/>).</summary>
    Breached = 4,

    /// <summary>Someone wrote the user's <c>@handle</c> in a comment of the case (<see cref="Mentions"/>).</summary>
    Mentioned = 5,
}

/// <summary>
/// One line of a user's bell: something happened on a case that the user should know. Written in the transaction of the
/// change that causes it; nobody is notified of their own action (<see cref="Notifies"/>).
/// </summary>
public class Notification
{
    private Notification()
    {
    }

    /// <summary>A new, unread notification for <paramref name="userId"/>; use <see cref="Notifies"/> first.</summary>
    public Notification(string userId, NotificationKind kind, int caseId, string? actorId, DateTime now, ServiceTarget? target = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown notification kind.");
        }

        if ((kind is NotificationKind.AtRisk or NotificationKind.Breached) != target.HasValue)
        {
            throw new ArgumentException("At-risk and breached notifications name their target; the others none.", nameof(target));
        }

        UserId = userId;
        Kind = kind;
        CaseId = caseId;
        ActorId = actorId;
        CreatedAt = now;
        Target = target;
    }

    public long Id { get; private set; }

    /// <summary>Who is told.</summary>
    public string UserId { get; private set; } = string.Empty;

    public NotificationKind Kind { get; private set; }
    public int CaseId { get; private set; }

    /// <summary>Who caused it; null when nobody of the team did (the customer, the clock).</summary>
    public string? ActorId { get; private set; }

    /// <summary>Set for <see cref="NotificationKind.AtRisk"/> and <see cref="NotificationKind.Breached"/> only.</summary>
    public ServiceTarget? Target { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>When the user marked it read; null while unread.</summary>
    public DateTime? ReadAt { get; private set; }

    public bool IsRead => ReadAt.HasValue;

    /// <summary>Marks it read; reading it again keeps the first time.</summary>
    public void MarkRead(DateTime now) => ReadAt ??= now;

    /// <summary>Whether <paramref name="recipientId"/> is told of what <paramref name="actorId"/> did: never of one's own action.</summary>
    public static bool Notifies(string? recipientId, string? actorId) =>
        !string.IsNullOrEmpty(recipientId) && recipientId != actorId;
}
