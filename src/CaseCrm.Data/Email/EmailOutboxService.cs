using CaseCrm.Data.Cases;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Email;

/// <summary>A reply as the agent wrote it: the mailbox it goes from, the recipients, the text and the case's files it carries.</summary>
public sealed record ReplyCommand(int MailboxId, string To, string? Cc, string Subject, string Body, IReadOnlyList<int> AttachmentIds);

/// <summary>One update for every active child case's contact: the text may name the placeholders, filled per child.</summary>
public sealed record ChildrenUpdateCommand(int MailboxId, string Subject, string Body);

/// <summary>What "Responder a todos los secundarios" wrote: one message per child reached, and the children without an email.</summary>
public sealed record ChildrenUpdateResult(int Queued, IReadOnlyList<int> WithoutEmail);

/// <summary>
/// Writes outgoing mail: each message is stored in the case's timeline and queued in the outbox (the same row,
/// <see cref="DeliveryState.Queued"/>) in the transaction of the case change, so that it is sent exactly when the change
/// is committed — never lost, and sent by the background sender (<c>OutboxSender</c>), which claims each row for one
/// instance. Internal comments are never part of a message: only the text the agent writes here is sent.
/// </summary>
public sealed class EmailOutboxService(CrmDbContext db, TimeProvider clock, ILogger<EmailOutboxService> logger)
{
    private readonly CaseUnitOfWork _work = new(db, clock, logger);

    private DateTime Now => _work.Now;

    /// <summary>Queues a reply on a case ("Responder"); returns the email's id.</summary>
    public async Task<int> QueueReplyAsync(int caseId, ReplyCommand reply, string userId, CancellationToken ct = default) =>
        (await _work.RunAsync(async () =>
        {
            var item = await db.Cases.AsNoTracking().Where(c => c.Id == caseId).Select(c => new { c.Id }).SingleOrDefaultAsync(ct)
                ?? throw new NotFoundException("Case", caseId);
            var mailbox = await ActiveMailboxAsync(reply.MailboxId, ct);
            var files = reply.AttachmentIds.Distinct().ToList();
            var found = await db.CaseAttachments.Where(a => a.CaseId == item.Id && files.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
            if (found.Count != files.Count)
            {
                throw new NotFoundException("Attachment", files.Except(found).First());
            }

            if (string.IsNullOrWhiteSpace(reply.To))
            {
                throw new CaseRuleException(CaseRuleCode.NoRecipient, caseId);
            }

            var (inReplyTo, references) = await ThreadAsync(caseId, ct);
            var message = EmailMessage.Queue(caseId, mailbox.Id, NewMessageId(mailbox.Address, caseId), new MailboxAddressText(mailbox.Address, mailbox.DisplayName),
                new OutgoingMail(reply.To.Trim(), string.IsNullOrWhiteSpace(reply.Cc) ? null : reply.Cc.Trim(), OneLine(reply.Subject), reply.Body, inReplyTo, references),
                userId, Now);
            message.Attachments.AddRange(found.Select(id => new EmailAttachment { CaseAttachmentId = id }));
            db.EmailMessages.Add(message);
            _work.AddHistory([CaseHistoryEntry.Of(caseId, HistoryField.EmailQueued, null, message.Subject, userId, Now)]);
            await ServiceLevelClock.RecordFirstResponseAsync(db, [caseId], Now, ct);
            return message;
        }, ct)).Id;

    /// <summary>
    /// "Responder a todos los secundarios": one message per active child whose contact has an email, in that child's own
    /// thread, with the placeholders filled for that child; history on each child and on the parent. One transaction.
    /// </summary>
    public Task<ChildrenUpdateResult> QueueToChildrenAsync(int parentId, ChildrenUpdateCommand update, string userId, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            QuickReply.CheckPlaceholders(update.Subject, update.Body);
            if (!await db.Cases.AnyAsync(c => c.Id == parentId, ct))
            {
                throw new NotFoundException("Case", parentId);
            }

            var mailbox = await ActiveMailboxAsync(update.MailboxId, ct);
            var children = await db.Cases.AsNoTracking()
                .Where(c => c.ParentId == parentId).Where(CaseStatuses.IsActiveCase)
                .OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.Title, Contact = db.Contacts.Where(p => p.Id == c.ContactId).Select(p => new { p.FirstName, p.LastName, p.Email }).First() })
                .ToListAsync(ct);
            var reached = children.Where(c => !string.IsNullOrWhiteSpace(c.Contact.Email)).ToList();
            if (reached.Count == 0)
            {
                throw new CaseRuleException(CaseRuleCode.NoChildToWrite, parentId, CaseNumber.Format(parentId));
            }

            var agent = await AgentNameAsync(userId, ct);
            var ids = reached.Select(c => c.Id).ToList();
            var threads = await db.EmailMessages.AsNoTracking().Where(e => ids.Contains(e.CaseId)).OrderBy(e => e.Id)
                .Select(e => new { e.CaseId, e.MessageId, e.Direction }).ToListAsync(ct);
            foreach (var child in reached)
            {
                var values = new PlaceholderValues(ContactName(child.Contact.FirstName, child.Contact.LastName), child.Id, child.Title, agent);
                var thread = threads.Where(t => t.CaseId == child.Id).ToList();
                var subject = EmailReplyRules.Tagged(OneLine(QuickReply.Render(update.Subject, values)), child.Id);
                var message = EmailMessage.Queue(child.Id, mailbox.Id, NewMessageId(mailbox.Address, child.Id), new MailboxAddressText(mailbox.Address, mailbox.DisplayName),
                    new OutgoingMail(child.Contact.Email!, null, subject, Cut(QuickReply.Render(update.Body, values), Limits.EmailBody),
                        thread.LastOrDefault(t => t.Direction == EmailDirection.Incoming)?.MessageId ?? thread.LastOrDefault()?.MessageId,
                        EmailReplyRules.References(thread.Select(t => t.MessageId))),
                    userId, Now);
                db.EmailMessages.Add(message);
                _work.AddHistory([CaseHistoryEntry.Of(child.Id, HistoryField.EmailQueued, null, subject, userId, Now)]);
            }

            await ServiceLevelClock.RecordFirstResponseAsync(db, ids, Now, ct);
            _work.AddHistory([CaseHistoryEntry.Of(parentId, HistoryField.ChildrenWritten, null,
                Cut($"{reached.Count}: {update.Subject}", Limits.HistoryValue), userId, Now)]);
            return new ChildrenUpdateResult(reached.Count, [.. children.Where(c => string.IsNullOrWhiteSpace(c.Contact.Email)).Select(c => c.Id)]);
        }, ct);

    /// <summary>
    /// The acknowledgement of a case opened from email, added to the intake's transaction once the case has its number:
    /// the mailbox's quick reply, to the sender, in the incoming message's thread, marked as an automatic reply when sent.
    /// </summary>
    internal static async Task QueueAcknowledgementAsync(CrmDbContext db, int mailboxId, Case created, string contactName, EmailMessage incoming, DateTime now, CancellationToken ct)
    {
        var mailbox = await db.Mailboxes.AsNoTracking().Where(m => m.Id == mailboxId)
            .Select(m => new { m.Address, m.DisplayName, Template = db.QuickReplies.Where(q => q.Id == m.AcknowledgementId).Select(q => new { q.Subject, q.Body }).FirstOrDefault() })
            .SingleAsync(ct);
        if (mailbox.Template is not { } template)
        {
            return;
        }

        var values = new PlaceholderValues(contactName, created.Id, created.Title, mailbox.DisplayName);
        var message = EmailMessage.Queue(created.Id, mailboxId, NewMessageId(mailbox.Address, created.Id), new MailboxAddressText(mailbox.Address, mailbox.DisplayName),
            new OutgoingMail(incoming.FromAddress, null, EmailReplyRules.Tagged(QuickReply.Render(template.Subject, values), created.Id),
                Cut(QuickReply.Render(template.Body, values), Limits.EmailBody), incoming.MessageId, incoming.MessageId),
            Identity.SystemUsers.MailId, now);
        db.EmailMessages.Add(message);
        db.CaseHistory.Add(CaseHistoryEntry.Of(created.Id, HistoryField.EmailQueued, null, message.Subject, Identity.SystemUsers.MailId, now));
    }

    /// <summary>The name placeholders show: "Ana López", or the last name alone.</summary>
    public static string ContactName(string? first, string? last) => $"{first} {last}".Trim();

    /// <summary>The In-Reply-To and References of a reply on the case: its last incoming message (else its last), and its thread.</summary>
    private async Task<(string? InReplyTo, string? References)> ThreadAsync(int caseId, CancellationToken ct)
    {
        var thread = await db.EmailMessages.AsNoTracking().Where(e => e.CaseId == caseId).OrderByDescending(e => e.Id).Take(20)
            .Select(e => new { e.MessageId, e.Direction }).ToListAsync(ct);
        thread.Reverse();
        var inReplyTo = thread.LastOrDefault(t => t.Direction == EmailDirection.Incoming)?.MessageId ?? thread.LastOrDefault()?.MessageId;
        return (inReplyTo, EmailReplyRules.References(thread.Select(t => t.MessageId)));
    }

    private async Task<Mailbox> ActiveMailboxAsync(int mailboxId, CancellationToken ct) =>
        await db.Mailboxes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == mailboxId && m.IsActive, ct)
            ?? throw new CaseRuleException(CaseRuleCode.MailboxNotAvailable);

    private async Task<string> AgentNameAsync(string userId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct) ?? string.Empty;

    /// <summary>A Message-ID of ours, unique per message, in the mailbox's domain: the same on every send attempt.</summary>
    private static string NewMessageId(string mailboxAddress, int caseId)
    {
        var at = mailboxAddress.LastIndexOf('@');
        var domain = at >= 0 && at < mailboxAddress.Length - 1 ? mailboxAddress[(at + 1)..] : "casecrm.invalid";
        return $"{Guid.NewGuid():N}.{CaseNumber.Format(caseId)}@{domain}";
    }

    // A subject is one header line: a line break typed or posted in it never starts another header.
    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
