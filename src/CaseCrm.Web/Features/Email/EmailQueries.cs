using CaseCrm.Data;
using CaseCrm.Data.Email;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.Email;

/// <summary>What the reply pages show of a case: its contact's address, the thread's last subject and mailbox, the files.</summary>
public sealed record ReplyCase(int Id, string Title, int ContactId, string ContactName, string? ContactEmail, bool IsParent, string? LastSubject, int? LastMailboxId);

public sealed record MailboxChoice(int Id, string Name, string Address);

public sealed record QuickReplyChoice(int Id, string Name);

public sealed record FileChoice(int Id, string FileName, long Size);

/// <summary>An active child case as "Responder a todos los secundarios" reaches it: through its contact's email, or not.</summary>
public sealed record ChildRecipient(int Id, string Title, string ContactName, string? Email);

/// <summary>The reads of the reply pages.</summary>
public sealed class EmailQueries(CrmDbContext db)
{
    public async Task<ReplyCase?> CaseAsync(int id, CancellationToken ct) =>
        await db.Cases.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new ReplyCase(
                c.Id, c.Title, c.ContactId,
                db.Contacts.Where(p => p.Id == c.ContactId).Select(p => ((p.FirstName ?? "") + " " + (p.LastName ?? "")).Trim()).First(),
                db.Contacts.Where(p => p.Id == c.ContactId).Select(p => p.Email).First(),
                c.ChildCount > 0,
                db.EmailMessages.Where(e => e.CaseId == c.Id).OrderByDescending(e => e.Id).Select(e => e.Subject).FirstOrDefault(),
                db.EmailMessages.Where(e => e.CaseId == c.Id).OrderByDescending(e => e.Id).Select(e => (int?)e.MailboxId).FirstOrDefault()))
            .SingleOrDefaultAsync(ct);

    public async Task<IReadOnlyList<MailboxChoice>> MailboxesAsync(CancellationToken ct) =>
        await db.Mailboxes.AsNoTracking().Where(m => m.IsActive).OrderBy(m => m.Name).Select(m => new MailboxChoice(m.Id, m.Name, m.Address)).ToListAsync(ct);

    public async Task<IReadOnlyList<QuickReplyChoice>> QuickRepliesAsync(CancellationToken ct) =>
        await db.QuickReplies.AsNoTracking().OrderBy(q => q.Name).Select(q => new QuickReplyChoice(q.Id, q.Name)).ToListAsync(ct);

    public async Task<IReadOnlyList<FileChoice>> FilesAsync(int caseId, CancellationToken ct) =>
        await db.CaseAttachments.AsNoTracking().Where(a => a.CaseId == caseId).OrderByDescending(a => a.Id)
            .Select(a => new FileChoice(a.Id, a.FileName, a.Size)).ToListAsync(ct);

    public async Task<IReadOnlyList<ChildRecipient>> ChildrenAsync(int parentId, CancellationToken ct) =>
        await db.Cases.AsNoTracking().Where(c => c.ParentId == parentId).Where(CaseStatuses.IsActiveCase).OrderBy(c => c.Id)
            .Select(c => new ChildRecipient(
                c.Id, c.Title,
                db.Contacts.Where(p => p.Id == c.ContactId).Select(p => ((p.FirstName ?? "") + " " + (p.LastName ?? "")).Trim()).First(),
                db.Contacts.Where(p => p.Id == c.ContactId).Select(p => p.Email).First()))
            .ToListAsync(ct);

    /// <summary>A quick reply's subject and body with the case's values, for the reply form.</summary>
    public async Task<(string Subject, string Body)?> RenderAsync(int quickReplyId, ReplyCase item, string agentName, CancellationToken ct)
    {
        var template = await db.QuickReplies.AsNoTracking().Where(q => q.Id == quickReplyId).Select(q => new { q.Subject, q.Body }).SingleOrDefaultAsync(ct);
        if (template is null)
        {
            return null;
        }

        var values = new PlaceholderValues(item.ContactName, item.Id, item.Title, agentName);
        return (QuickReply.Render(template.Subject, values), QuickReply.Render(template.Body, values));
    }

    /// <summary>A quick reply's raw text (placeholders kept), for the message to the children, filled per child when queued.</summary>
    public async Task<(string Subject, string Body)?> TemplateAsync(int quickReplyId, CancellationToken ct) =>
        await db.QuickReplies.AsNoTracking().Where(q => q.Id == quickReplyId).Select(q => new { q.Subject, q.Body }).SingleOrDefaultAsync(ct) is { } t
            ? (t.Subject, t.Body)
            : null;

}
