using CaseCrm.Domain.Email;
using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.CaseWork;

/// <summary>The reads of working a case: comments, attachments and the history.</summary>
public sealed class CaseWorkQueries(CrmDbContext db)
{
    /// <summary>
    /// One page of the case's timeline ("Actividad"): its comments and the activities regarding it, newest first, in one
    /// statement (a union of index ranges); <paramref name="kind"/> keeps one kind only; <paramref name="before"/> starts
    /// after an entry of an earlier page ("Ver anteriores", keyset on time, kind and id); <paramref name="size"/> entries a
    /// page (the API's comments choose it).
    /// </summary>
    public async Task<TimelinePage> TimelineAsync(int caseId, TimelineKind? kind, CancellationToken ct, TimelineCursor? before = null, int size = TimelinePageSize)
    {
        // Anonymous shapes, which EF can unite in SQL (a record's constructor is a client projection).
        var comments = db.CaseComments.AsNoTracking()
            .Where(c => c.CaseId == caseId && (kind == null || kind == TimelineKind.Comment))
            .Select(c => new
            {
                Kind = TimelineKind.Comment, c.Id, At = c.CreatedAt, UserId = c.AuthorId, Text = c.Body, c.EditedAt,
                Type = (ActivityType?)null, Status = (ActivityStatus?)null, ScheduledAt = (DateTime?)null,
                Direction = (EmailDirection?)null, From = (string?)null, To = (string?)null, Body = (string?)null, Html = (string?)null, Refused = (string?)null,
                State = (DeliveryState?)null, Error = (string?)null, NextAttempt = (DateTime?)null, Cc = (string?)null,
            });
        var activities = db.Activities.AsNoTracking()
            .Where(a => a.CaseId == caseId && (kind == null || kind == TimelineKind.Activity))
            .Select(a => new
            {
                Kind = TimelineKind.Activity, a.Id, At = a.CreatedAt, UserId = a.OwnerId, Text = a.Subject, EditedAt = (DateTime?)null,
                Type = (ActivityType?)a.Type, Status = (ActivityStatus?)a.Status, a.ScheduledAt,
                Direction = (EmailDirection?)null, From = (string?)null, To = (string?)null, Body = (string?)null, Html = (string?)null, Refused = (string?)null,
                State = (DeliveryState?)null, Error = (string?)null, NextAttempt = (DateTime?)null, Cc = (string?)null,
            });
        var emails = db.EmailMessages.AsNoTracking()
            .Where(e => e.CaseId == caseId && (kind == null || kind == TimelineKind.Email))
            .Select(e => new
            {
                Kind = TimelineKind.Email, e.Id, At = e.CreatedAt, UserId = e.AuthorId!, Text = e.Subject, EditedAt = (DateTime?)null,
                Type = (ActivityType?)null, Status = (ActivityStatus?)null, ScheduledAt = (DateTime?)null,
                Direction = (EmailDirection?)e.Direction, From = (string?)((e.FromName ?? "") + " <" + e.FromAddress + ">"), To = (string?)e.To,
                Body = (string?)e.TextBody, Html = e.HtmlBody, Refused = e.RefusedAttachments,
                e.State, Error = e.LastError, NextAttempt = e.NextAttemptAt, e.Cc,
            });
        var entries = comments.Concat(activities).Concat(emails);
        if (before is { } b)
        {
            entries = entries.Where(e => e.At < b.At || (e.At == b.At && ((int)e.Kind < (int)b.Kind || ((int)e.Kind == (int)b.Kind && e.Id < b.Id))));
        }

        var rows = await entries
            .OrderByDescending(e => e.At)
            .ThenByDescending(e => e.Kind)
            .ThenByDescending(e => e.Id)
            .Take(size + 1)
            .Select(e => new { Entry = e, UserName = db.Users.Where(u => u.Id == e.UserId).Select(u => u.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        var page = rows.Take(size).Select(r => new TimelineEntry(
            r.Entry.Kind, r.Entry.Id, r.Entry.At, r.Entry.UserId, r.UserName ?? string.Empty, r.Entry.Text, r.Entry.EditedAt, r.Entry.Type, r.Entry.Status, r.Entry.ScheduledAt)
        {
            Email = r.Entry.Direction is { } direction ? new TimelineEmail(direction, r.Entry.From!, r.Entry.To!, r.Entry.Body ?? string.Empty, r.Entry.Html, r.Entry.Refused)
            {
                Cc = r.Entry.Cc, State = r.Entry.State, Error = r.Entry.Error, NextAttemptAt = r.Entry.NextAttempt,
            }
            : null,
        }).ToList();
        return new TimelinePage(page, rows.Count > size ? TimelineCursor.After(page[^1]) : null);
    }

    /// <summary>The most entries one page of the case page's timeline shows.</summary>
    public const int TimelinePageSize = 50;

    public async Task<IReadOnlyList<AttachmentRow>> AttachmentsAsync(int caseId, CancellationToken ct) =>
        await db.CaseAttachments.AsNoTracking()
            .Where(a => a.CaseId == caseId)
            .OrderByDescending(a => a.Id)
            .Select(a => new AttachmentRow(a.Id, a.FileName, a.Size, a.UploadedById, db.Users.Where(u => u.Id == a.UploadedById).Select(u => u.DisplayName).First(), a.UploadedAt)
            {
                EmailIds = db.EmailAttachments.Where(l => l.CaseAttachmentId == a.Id).Select(l => l.EmailMessageId).ToList(),
            })
            .ToListAsync(ct);

    public async Task<IReadOnlyList<HistoryRow>> HistoryAsync(int caseId, CancellationToken ct) =>
        await db.CaseHistory.AsNoTracking()
            .Where(h => h.CaseId == caseId)
            .OrderByDescending(h => h.Id)
            .Take(500)
            .Select(h => new HistoryRow(h.Id, db.Users.Where(u => u.Id == h.UserId).Select(u => u.DisplayName).First(), h.At, h.Field, h.OldValue, h.NewValue))
            .ToListAsync(ct);

    /// <summary>The names the history's raw values refer to (categories, accounts, users), read in one query for the whole page.</summary>
    public async Task<HistoryNames> HistoryNamesAsync(IReadOnlyList<HistoryRow> rows, CancellationToken ct)
    {
        IEnumerable<string> Values(HistoryField field) =>
            rows.Where(r => r.Field == field).SelectMany(r => new[] { r.OldValue, r.NewValue }).OfType<string>();
        var categoryIds = Values(HistoryField.Category).Select(int.Parse).Distinct().ToList();
        var accountIds = Values(HistoryField.Account).Select(int.Parse).Distinct().ToList();
        var userIds = Values(HistoryField.AssignedTo).Distinct().ToList();
        if (categoryIds.Count + accountIds.Count + userIds.Count == 0)
        {
            return new HistoryNames(new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>());
        }

        var names = await db.Categories.AsNoTracking().Where(c => categoryIds.Contains(c.Id))
            .Select(c => new { Kind = HistoryField.Category, Key = c.Id.ToString(), c.Name })
            .Concat(db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
                .Select(a => new { Kind = HistoryField.Account, Key = a.Id.ToString(), a.Name }))
            .Concat(db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
                .Select(u => new { Kind = HistoryField.AssignedTo, Key = u.Id, Name = u.DisplayName }))
            .ToListAsync(ct);
        Dictionary<string, string> Of(HistoryField kind) => names.Where(n => n.Kind == kind).ToDictionary(n => n.Key, n => n.Name);
        return new HistoryNames(Of(HistoryField.Category), Of(HistoryField.Account), Of(HistoryField.AssignedTo));
    }

    public Task<bool> CaseExistsAsync(int caseId, CancellationToken ct) => db.Cases.AnyAsync(c => c.Id == caseId, ct);

    public async Task<string?> CommentBodyAsync(int caseId, int commentId, CancellationToken ct) =>
        await db.CaseComments.AsNoTracking().Where(c => c.Id == commentId && c.CaseId == caseId).Select(c => c.Body).SingleOrDefaultAsync(ct);

    /// <summary>An attachment's name and size, for the download's headers.</summary>
    public async Task<(string FileName, long Size)?> AttachmentAsync(int caseId, int attachmentId, CancellationToken ct)
    {
        var file = await db.CaseAttachments.AsNoTracking()
            .Where(a => a.Id == attachmentId && a.CaseId == caseId)
            .Select(a => new { a.FileName, a.Size })
            .SingleOrDefaultAsync(ct);
        return file is null ? null : (file.FileName, file.Size);
    }

    /// <summary>Copies an attachment's bytes to <paramref name="destination"/>, in pieces; false (nothing written) when it is gone.</summary>
    public Task<bool> CopyContentAsync(int attachmentId, Stream destination, CancellationToken ct) =>
        AttachmentContentStore.CopyToAsync(db, attachmentId, destination, ct);
}

/// <summary>What a timeline entry is.</summary>
public enum TimelineKind
{
    Comment = 1,
    Activity = 2,
    Email = 3,
}

/// <summary>One entry of a case's timeline: a comment (its text) or an activity (its subject, type, status and time).</summary>
public sealed record TimelineEntry(
    TimelineKind Kind, int Id, DateTime At, string UserId, string UserName, string Text, DateTime? EditedAt,
    ActivityType? ActivityType, ActivityStatus? ActivityStatus, DateTime? ScheduledAt)
{
    /// <summary>An email's sender, recipients and bodies (the HTML already sanitized); null for the other kinds.</summary>
    public TimelineEmail? Email { get; init; }
}

public sealed record TimelineEmail(EmailDirection Direction, string From, string To, string TextBody, string? HtmlBody, string? RefusedAttachments)
{
    public string? Cc { get; init; }

    /// <summary>An outgoing message's place in the outbox (null for incoming mail), its last failure and next attempt.</summary>
    public DeliveryState? State { get; init; }
    public string? Error { get; init; }
    public DateTime? NextAttemptAt { get; init; }
}

public sealed record AttachmentRow(int Id, string FileName, long Size, string UploadedById, string UploaderName, DateTime UploadedAt)
{
    /// <summary>The emails that carry or brought the file (read in the attachments' statement); such a file is not deleted.</summary>
    public IReadOnlyList<int> EmailIds { get; init; } = [];
}

public sealed record HistoryRow(long Id, string UserName, DateTime At, HistoryField Field, string? OldValue, string? NewValue);

/// <summary>Names for the ids that history values hold (categories, accounts, users).</summary>
public sealed record HistoryNames(IReadOnlyDictionary<string, string> Categories, IReadOnlyDictionary<string, string> Accounts, IReadOnlyDictionary<string, string> Users);

