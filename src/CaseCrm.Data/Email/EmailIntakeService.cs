using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Data.Notifications;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.Email;
using CaseCrm.Domain.Notifications;
using CaseCrm.Domain.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Email;

/// <summary>An email as read from a mailbox, already parsed and with its HTML sanitized.</summary>
/// <param name="ThreadIds">The Message-IDs of In-Reply-To and References, nearest first, without angle brackets.</param>
public sealed record IncomingEmail(
    string MessageId,
    string? InReplyTo,
    IReadOnlyList<string> ThreadIds,
    string FromAddress,
    string? FromName,
    string To,
    string? Cc,
    string Subject,
    string TextBody,
    string? HtmlBody,
    DateTime SentAt)
{
    /// <summary>The message's attached files (not inline images), opened again on each read.</summary>
    public IReadOnlyList<UploadedFile> Attachments { get; init; } = [];
}

public enum IntakeOutcome
{
    /// <summary>The mailbox stored this Message-ID before: nothing was written.</summary>
    AlreadyStored,
    NewCase,
    Joined,
    Reopened,
    NewCaseReferring,
}

public sealed record IntakeResult(IntakeOutcome Outcome, int CaseId);

/// <summary>
/// Turns one incoming email into a case change, in one transaction: the message is stored with its case — a new one for
/// the contact whose email matches the sender (or a new contact), or the case it names by number or by a stored
/// Message-ID, reopened within the window (<see cref="EmailIntakeRules.Decide"/>). A Message-ID a mailbox stored before
/// writes nothing, so a message read twice (a restart before it was marked read, two instances) makes one case.
/// </summary>
public sealed class EmailIntakeService(CrmDbContext db, TimeProvider clock, ILogger<EmailIntakeService> logger)
{
    private readonly CaseUnitOfWork _work = new(db, clock, logger);

    private DateTime Now => _work.Now;

    public async Task<IntakeResult> ReceiveAsync(int mailboxId, int categoryId, IncomingEmail mail, int reopenDays, CancellationToken ct = default)
    {
        try
        {
            var (outcome, item, caseId) = await _work.RunAsync(() => ReceiveInTransactionAsync(mailboxId, categoryId, mail, reopenDays, ct), ct);
            return new IntakeResult(outcome, item?.Id ?? caseId);
        }
        catch (DbUpdateException ex)
        {
            // Another instance stored the same message between our check and our insert: the unique index refused ours.
            db.ChangeTracker.Clear();
            if (await StoredCaseAsync(mailboxId, mail.MessageId, ct) is not { } caseId)
            {
                throw;
            }

            logger.LogInformation(ex, "Message {MessageId} of mailbox {MailboxId} was stored by another reader", mail.MessageId, mailboxId);
            return new IntakeResult(IntakeOutcome.AlreadyStored, caseId);
        }
    }

    /// <summary>
    /// Stores the attachments of a stored message, once: each file the upload rules accept (type, size, the case's total;
    /// the hourly quota is an agent's and does not apply to mail) becomes an attachment of the case; each refused one is
    /// named on the message with the reason. Nothing to do when they were stored already.
    /// </summary>
    public Task<int> StoreAttachmentsAsync(int mailboxId, IncomingEmail mail, AttachmentLimits limits, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var id = Cut(mail.MessageId, Limits.MessageId);
            var message = await db.EmailMessages.SingleOrDefaultAsync(e => e.MailboxId == mailboxId && e.MessageId == id && e.AttachmentsPending, ct);
            if (message is null)
            {
                return 0;
            }

            message.AttachmentsPending = false;
            var caseBytes = await db.CaseAttachments.Where(a => a.CaseId == message.CaseId).SumAsync(a => (long?)a.Size, ct) ?? 0;
            var accepted = new List<(CaseAttachment Row, UploadedFile File)>();
            var refused = new List<string>();
            foreach (var file in mail.Attachments.Take(limits.MaxFilesPerUpload))
            {
                var refusals = await AttachmentRules.CheckAsync(message.CaseId, [file], limits, new AttachmentUsage(caseBytes, 0), ct);
                if (refusals.Count > 0)
                {
                    refused.Add($"{file.Name}: {string.Join(" ", refusals.Select(r => r.Message))}");
                    continue;
                }

                caseBytes += file.Length;
                accepted.Add((new CaseAttachment(message.CaseId, file.Name, file.Length, SystemUsers.MailId, Now), file));
            }

            var tooMany = new CaseRuleViolation(CaseRuleCode.TooManyFiles, message.CaseId, limits.MaxFilesPerUpload.ToString(System.Globalization.CultureInfo.CurrentCulture));
            refused.AddRange(mail.Attachments.Skip(limits.MaxFilesPerUpload).Select(f => $"{f.Name}: {tooMany.Message}"));
            message.RefusedAttachments = refused.Count == 0 ? null : Cut(string.Join("\n", refused), Limits.HistoryValue);
            db.CaseAttachments.AddRange(accepted.Select(a => a.Row));
            db.CaseHistory.AddRange(accepted.Select(a => CaseHistoryEntry.Of(message.CaseId, HistoryField.AttachmentAdded, null, a.Row.FileName, SystemUsers.MailId, Now)));
            await db.SaveChangesAsync(ct);
            foreach (var (row, file) in accepted)
            {
                await using var content = file.Open();
                await AttachmentContentStore.WriteAsync(db, row.Id, file.Length, content, ct);
            }

            // The message names the files it brought, in the timeline (saved with the operation).
            message.Attachments.AddRange(accepted.Select(a => new EmailAttachment { CaseAttachmentId = a.Row.Id }));

            return accepted.Count;
        }, ct);

    // A new case has its id only after the save, so it is returned as the entity.
    private async Task<(IntakeOutcome Outcome, Case? Created, int CaseId)> ReceiveInTransactionAsync(int mailboxId, int categoryId, IncomingEmail mail, int reopenDays, CancellationToken ct)
    {
        if (await StoredCaseAsync(mailboxId, mail.MessageId, ct) is { } storedIn)
        {
            return (IntakeOutcome.AlreadyStored, null, storedIn);
        }

        var message = new EmailMessage
        {
            MailboxId = mailboxId, Direction = EmailDirection.Incoming, MessageId = Cut(mail.MessageId, Limits.MessageId),
            InReplyTo = mail.InReplyTo is null ? null : Cut(mail.InReplyTo, Limits.MessageId), FromAddress = Cut(mail.FromAddress, Limits.Email),
            FromName = mail.FromName is null ? null : Cut(mail.FromName, Limits.UserDisplayName), To = Cut(mail.To, Limits.EmailRecipients),
            Cc = mail.Cc is null ? null : Cut(mail.Cc, Limits.EmailRecipients), Subject = Cut(mail.Subject, Limits.EmailSubject),
            TextBody = Cut(mail.TextBody, Limits.EmailBody), HtmlBody = mail.HtmlBody is null ? null : Cut(mail.HtmlBody, Limits.EmailBody),
            SentAt = mail.SentAt, CreatedAt = Now, AttachmentsPending = mail.Attachments.Count > 0,
        };

        var named = await NamedCaseAsync(mail, ct);
        var action = named is null ? IntakeAction.New : EmailIntakeRules.Decide(named.Status, named.UpdatedAt, Now, reopenDays);
        switch (action)
        {
            case IntakeAction.Join:
                message.CaseId = named!.Id;
                db.EmailMessages.Add(message);
                _work.AddHistory([CaseHistoryEntry.Of(named.Id, HistoryField.EmailReceived, null, message.Subject, SystemUsers.MailId, Now)]);
                CustomerReplied(named);
                return (IntakeOutcome.Joined, null, named.Id);
            case IntakeAction.Reopen:
                var parent = named!.ParentId is { } parentId ? await db.Cases.SingleAsync(c => c.Id == parentId, ct) : null;
                named.Reopen(parent, SystemUsers.MailId, Now);
                message.CaseId = named.Id;
                db.EmailMessages.Add(message);
                _work.AddHistory([CaseHistoryEntry.Of(named.Id, HistoryField.EmailReceived, null, message.Subject, SystemUsers.MailId, Now)]);
                CustomerReplied(named);
                return (IntakeOutcome.Reopened, null, named.Id);
        }

        var contact = await ContactForAsync(mail, ct);
        var description = named is null
            ? mail.TextBody
            : $"{CaseNumber.Format(named.Id)}\n\n{mail.TextBody}";
        var fields = new CaseFields(
            EmailIntakeRules.TitleFrom(mail.Subject, mail.FromAddress), contact.AccountId, categoryId, null,
            Cut(string.IsNullOrWhiteSpace(description) ? mail.Subject : description, Limits.CaseDescription), null, CaseOrigin.Email);
        var created = new Case(contact.Id, fields, CaseStatus.New, new CaseReferences(
            await db.Categories.AnyAsync(c => c.Id == categoryId && c.IsActive, ct), true), SystemUsers.MailId, Now);
        db.Cases.Add(created);
        message.Case = created;
        // Added last: the new contact was saved above, without the message.
        db.EmailMessages.Add(message);
        // The acknowledgement names the case's number, which the save gives: queued after it, in the same transaction.
        _work.AfterSave(() => EmailOutboxService.QueueAcknowledgementAsync(
            db, mailboxId, created, EmailOutboxService.ContactName(contact.FirstName, contact.LastName), message, Now, ct));
        return (named is null ? IntakeOutcome.NewCase : IntakeOutcome.NewCaseReferring, created, 0);
    }

    // "El cliente respondió": the assignee of a case the message joins or reopens is told, in the same transaction.
    private void CustomerReplied(Case named) =>
        Notify.Add(db, named.AssignedToId, NotificationKind.CustomerReplied, named.Id, null, Now);

    // The case a message names: [CAS-n] in the subject first, then the nearest stored Message-ID it answers; a merged
    // case's mail goes to the case it was merged into.
    private async Task<Case?> NamedCaseAsync(IncomingEmail mail, CancellationToken ct)
    {
        var named = await NamedCaseAsIsAsync(mail, ct);
        for (var hops = 0; named?.MergedIntoId is { } into && hops < Case.MaxMergedCases; hops++)
        {
            named = await db.Cases.SingleAsync(c => c.Id == into, ct);
        }

        return named;
    }

    private async Task<Case?> NamedCaseAsIsAsync(IncomingEmail mail, CancellationToken ct)
    {
        if (EmailIntakeRules.CaseIdInSubject(mail.Subject) is { } id && await db.Cases.SingleOrDefaultAsync(c => c.Id == id, ct) is { } byNumber)
        {
            return byNumber;
        }

        var ids = mail.ThreadIds.Where(t => t.Length <= Limits.MessageId).Take(50).ToList();
        if (ids.Count == 0)
        {
            return null;
        }

        var caseId = await db.EmailMessages.Where(e => ids.Contains(e.MessageId)).OrderByDescending(e => e.Id).Select(e => (int?)e.CaseId).FirstOrDefaultAsync(ct);
        return caseId is null ? null : await db.Cases.SingleAsync(c => c.Id == caseId, ct);
    }

    // The contact whose email is the sender's (folded, through the search terms' index), else a new one from the sender.
    private async Task<Contact> ContactForAsync(IncomingEmail mail, CancellationToken ct)
    {
        var folded = SearchText.Fold(mail.FromAddress);
        var term = SearchText.Fold(mail.FromAddress, Limits.SearchTerm);
        var candidates = await db.Contacts
            .Where(c => db.ContactSearchTerms.Any(t => t.ContactId == c.Id && t.Term == term))
            .OrderBy(c => c.Id)
            .Take(20)
            .ToListAsync(ct);
        if (candidates.FirstOrDefault(c => SearchText.Fold(c.Email) == folded) is { } known)
        {
            return known;
        }

        var (first, last) = SplitName(mail.FromName, mail.FromAddress);
        var contact = new Contact(new ContactDetails(first, last, Cut(mail.FromAddress, Limits.Email), null, null, null, null), null, null, Now);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(ct);
        return contact;
    }

    private Task<int?> StoredCaseAsync(int mailboxId, string messageId, CancellationToken ct)
    {
        var id = Cut(messageId, Limits.MessageId);
        return db.EmailMessages.AsNoTracking().Where(e => e.MailboxId == mailboxId && e.MessageId == id).Select(e => (int?)e.CaseId).FirstOrDefaultAsync(ct);
    }

    /// <summary>"Ana María López" → ("Ana María", "López"); no name → the address's local part as the last name.</summary>
    internal static (string? First, string Last) SplitName(string? name, string address)
    {
        var words = (name ?? string.Empty).Trim().Trim('"').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return (null, Cut(address.Split('@')[0], Limits.Name));
        }

        return words.Length == 1
            ? (null, Cut(words[0], Limits.Name))
            : (Cut(string.Join(' ', words[..^1]), Limits.Name), Cut(words[^1], Limits.Name));
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
