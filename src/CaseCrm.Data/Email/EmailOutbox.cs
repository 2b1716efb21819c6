using CaseCrm.Domain.Email;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Data.Email;

/// <summary>A queued message as the sender needs it: the row, the mailbox it goes from, and the files it carries.</summary>
public sealed record OutboxItem(EmailMessage Message, Mailbox Mailbox, IReadOnlyList<OutboxFile> Files);

public sealed record OutboxFile(int AttachmentId, string FileName, long Size);

/// <summary>
/// The outbox's rows for the background sender: each due message is claimed by one instance with one conditional UPDATE
/// (queued, due, and unclaimed or its claim expired), then marked sent or failed by the instance that holds the claim. A
/// sender that crashes with a claim leaves the message queued; the claim expires and another instance sends it.
/// </summary>
public sealed class EmailOutbox(CrmDbContext db)
{
    /// <summary>Claims up to <paramref name="max"/> due messages for <paramref name="instance"/> until <paramref name="until"/>.</summary>
    public async Task<IReadOnlyList<int>> ClaimDueAsync(string instance, DateTime now, DateTime until, int max, CancellationToken ct)
    {
        var due = await db.EmailMessages.AsNoTracking()
            .Where(e => e.State == DeliveryState.Queued && e.NextAttemptAt <= now)
            .Where(e => e.ClaimedUntil == null || e.ClaimedUntil < now)
            .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id)
            .Select(e => e.Id)
            .Take(max)
            .ToListAsync(ct);
        var claimed = new List<int>();
        foreach (var id in due)
        {
            var taken = await db.EmailMessages
                .Where(e => e.Id == id && e.State == DeliveryState.Queued && (e.ClaimedUntil == null || e.ClaimedUntil < now))
                .ExecuteUpdateAsync(e => e.SetProperty(x => x.ClaimedBy, instance).SetProperty(x => x.ClaimedUntil, until), ct);
            if (taken == 1)
            {
                claimed.Add(id);
            }
        }

        return claimed;
    }

    public async Task<OutboxItem?> LoadAsync(int id, CancellationToken ct)
    {
        var message = await db.EmailMessages.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (message is null)
        {
            return null;
        }

        var mailbox = await db.Mailboxes.AsNoTracking().SingleAsync(m => m.Id == message.MailboxId, ct);
        var files = await db.EmailAttachments.AsNoTracking().Where(a => a.EmailMessageId == id)
            .Join(db.CaseAttachments, l => l.CaseAttachmentId, a => a.Id, (l, a) => new OutboxFile(a.Id, a.FileName, a.Size))
            .ToListAsync(ct);
        return new OutboxItem(message, mailbox, files);
    }

    /// <summary>The SMTP server took the message; false when this instance no longer held the claim.</summary>
    public async Task<bool> MarkSentAsync(int id, string instance, DateTime now, CancellationToken ct) =>
        await db.EmailMessages.Where(e => e.Id == id && e.ClaimedBy == instance && e.State == DeliveryState.Queued)
            .ExecuteUpdateAsync(e => e
                .SetProperty(x => x.State, DeliveryState.Sent).SetProperty(x => x.SentAt, now).SetProperty(x => x.NextAttemptAt, (DateTime?)null)
                .SetProperty(x => x.SendAttempts, x => x.SendAttempts + 1).SetProperty(x => x.LastError, (string?)null)
                .SetProperty(x => x.ClaimedBy, (string?)null).SetProperty(x => x.ClaimedUntil, (DateTime?)null), CancellationToken.None) == 1;

    /// <summary>
    /// A failed attempt: the message is tried again at <paramref name="nextAttempt"/>, or given up (Error, with the reason)
    /// when that is null.
    /// </summary>
    public async Task MarkFailedAsync(int id, string instance, string error, DateTime? nextAttempt, CancellationToken ct)
    {
        var reason = error.Length <= 1_000 ? error : error[..1_000];
        var state = nextAttempt is null ? DeliveryState.Failed : DeliveryState.Queued;
        await db.EmailMessages.Where(e => e.Id == id && e.ClaimedBy == instance && e.State == DeliveryState.Queued)
            .ExecuteUpdateAsync(e => e
                .SetProperty(x => x.State, state).SetProperty(x => x.NextAttemptAt, nextAttempt).SetProperty(x => x.LastError, reason)
                .SetProperty(x => x.SendAttempts, x => x.SendAttempts + 1)
                .SetProperty(x => x.ClaimedBy, (string?)null).SetProperty(x => x.ClaimedUntil, (DateTime?)null), CancellationToken.None);
    }

    /// <summary>
    /// "Reintentar": a message given up goes back to the outbox, due now, with its attempts counted afresh. False when it
    /// was not in Error (already retried), null when the case has no such email.
    /// </summary>
    public async Task<bool?> RetryAsync(int caseId, int id, DateTime now, CancellationToken ct)
    {
        var retried = await db.EmailMessages.Where(e => e.Id == id && e.CaseId == caseId && e.State == DeliveryState.Failed)
            .ExecuteUpdateAsync(e => e
                .SetProperty(x => x.State, DeliveryState.Queued).SetProperty(x => x.NextAttemptAt, now)
                .SetProperty(x => x.SendAttempts, 0), ct);
        return retried == 1 ? true : await db.EmailMessages.AnyAsync(e => e.Id == id && e.CaseId == caseId, ct) ? false : null;
    }
}
