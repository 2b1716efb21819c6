using System.Collections.Concurrent;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CaseCrm.Web.Features.Notifications;

/// <summary>One line of the bell's list: what happened, on which case, caused by whom.</summary>
public sealed record NotificationRow(
    long Id, NotificationKind Kind, int CaseId, string CaseTitle, string? ActorName, ServiceTarget? Target, DateTime CreatedAt, DateTime? ReadAt)
{
    public string Number => CaseNumber.Format(CaseId);
    public bool IsRead => ReadAt.HasValue;
}

/// <summary>A user to mention: what to type after the @, and who it is.</summary>
public sealed record MentionSuggestion(string Handle, string Name);

/// <summary>The reads of the bell: the unread count of every page, the list, and the people a comment may mention.</summary>
public sealed class NotificationQueries(CrmDbContext db)
{
    /// <summary>How many notifications the list shows, newest first (older ones are not paged: they are old news).</summary>
    public const int Shown = 50;

    /// <summary>How many people the mention suggestions offer.</summary>
    public const int Suggested = 8;

    /// <summary>The bell's figure: one COUNT over the (UserId, ReadAt, Id) index, on every page of a signed-in user.</summary>
    public Task<int> UnreadCountAsync(string userId, CancellationToken ct = default) =>
        CompiledQueries.For(UnreadQueries, db, CompileUnreadQuery)(db, userId, ct);

    // On every page: compiled once (CompiledQueries).
    private static readonly ConcurrentDictionary<IModel, Func<CrmDbContext, string, CancellationToken, Task<int>>> UnreadQueries = new();

    private static Func<CrmDbContext, string, CancellationToken, Task<int>> CompileUnreadQuery() =>
        EF.CompileAsyncQuery((CrmDbContext db, string userId, CancellationToken ct) =>
            db.Notifications.AsNoTracking().Count(n => n.UserId == userId && n.ReadAt == null));

    /// <summary>The user's newest notifications with their case's title and the actor's name, in one statement.</summary>
    public async Task<IReadOnlyList<NotificationRow>> ListAsync(string userId, CancellationToken ct = default) =>
        await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId)
            .OrderByDescending(n => n.Id)
            .Take(Shown)
            .Select(n => new NotificationRow(
                n.Id, n.Kind, n.CaseId,
                db.Cases.Where(c => c.Id == n.CaseId).Select(c => c.Title).First(),
                db.Users.Where(u => u.Id == n.ActorId).Select(u => u.DisplayName).FirstOrDefault(),
                n.Target, n.CreatedAt, n.ReadAt))
            .ToListAsync(ct);

    /// <summary>
    /// Active people whose handle (<see cref="Mentions.HandleOf"/>) or name starts with <paramref name="prefix"/>, by
    /// name; the system users are inactive and never offered.
    /// </summary>
    public async Task<IReadOnlyList<MentionSuggestion>> MentionsAsync(string? prefix, CancellationToken ct = default)
    {
        var typed = (prefix ?? string.Empty).Trim().TrimStart('@');
        typed = typed.Length > Mentions.MaxHandle ? typed[..Mentions.MaxHandle] : typed;
        var upper = typed.ToUpperInvariant();
        // The name as typed (case-insensitive where the provider's LIKE is); the handle through the normalized user name.
        var namePattern = typed.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var users = await db.Users.AsNoTracking()
            .Where(u => u.IsActive && u.NormalizedUserName != null)
            .Where(u => u.NormalizedUserName!.StartsWith(upper) || EF.Functions.Like(u.DisplayName, namePattern, "\\"))
            .OrderBy(u => u.DisplayName)
            .Select(u => new { u.UserName, u.DisplayName })
            .Take(Suggested)
            .ToListAsync(ct);
        return [.. users.Select(u => new MentionSuggestion(Mentions.HandleOf(u.UserName!), u.DisplayName))];
    }
}
