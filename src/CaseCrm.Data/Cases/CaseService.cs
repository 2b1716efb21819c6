using System.Collections.Concurrent;
using System.Globalization;
using CaseCrm.Data.Activities;
using CaseCrm.Data.Notifications;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Cases;

/// <summary>A case that a closure closed along with its parent, or that blocks it.</summary>
public sealed record ChildSummary(int Id, string Number, string Title, CaseStatus Status);

/// <summary>
/// Every operation that changes cases: each loads the cases it needs inside one transaction (<see cref="CaseUnitOfWork"/>),
/// lets <see cref="Case"/> apply its rules, and saves — or writes nothing. Every case an operation reads to decide is also
/// written (its <see cref="Case.Version"/> raised), so a concurrent operation on any of them fails its version check and
/// is retried from a fresh read, where the rules see the other's result (docs/decisions/0003).
/// </summary>
public sealed partial class CaseService(CrmDbContext db, TimeProvider clock, ILogger<CaseService> logger)
{
    public const int MaxAttempts = CaseUnitOfWork.MaxAttempts;

    private readonly CaseUnitOfWork _work = new(db, clock, logger);

    /// <summary>How many times this instance retried an operation after a concurrent change.</summary>
    public int Retries => _work.Retries;

    private DateTime Now => _work.Now;

    /// <summary>
    /// Adds a case to a contact. The account defaults to the contact's when none is given. A repeated
    /// <paramref name="submissionKey"/> of the same user returns the case the first submission created.
    /// </summary>
    public Task<Case> AddToContactAsync(
        int contactId, CaseFields fields, CaseStatus status, string userId, Guid? submissionKey = null, CancellationToken ct = default) =>
        OnceAsync(userId, submissionKey, () => _work.RunAsync(async () =>
        {
            // The contact and the references in one round trip; without an account of its own the case takes the contact's.
            var contact = await CompiledQueries.For(ContactForCaseQueries, db, CompileContactForCaseQuery)(
                db, contactId, fields.CategoryId, fields.AccountId, ct) ?? throw new NotFoundException("Contact", contactId);
            var created = new Case(
                contact.Id, fields with { AccountId = fields.AccountId ?? contact.AccountId }, status, contact.References, userId, Now, submissionKey);
            db.Cases.Add(created);
            return created;
        }, ct), ct);

    private sealed record ContactForCase(int Id, int? AccountId, CaseReferences References);

    // Creating a case is the busiest write: its one query is compiled once (CompiledQueries).
    private static readonly ConcurrentDictionary<IModel, Func<CrmDbContext, int, int, int?, CancellationToken, Task<ContactForCase?>>> ContactForCaseQueries = new();

    private static Func<CrmDbContext, int, int, int?, CancellationToken, Task<ContactForCase?>> CompileContactForCaseQuery() =>
        EF.CompileAsyncQuery((CrmDbContext db, int contactId, int categoryId, int? accountId, CancellationToken ct) => db.Contacts.AsNoTracking()
            .Where(c => c.Id == contactId)
            .Select(c => new ContactForCase(
                c.Id,
                c.AccountId,
                new CaseReferences(
                    db.Categories.Any(k => k.Id == categoryId && k.IsActive),
                    accountId == null || db.Accounts.Any(a => a.Id == accountId))))
            .SingleOrDefault());

    /// <summary>Creates a case as a child of <paramref name="parentId"/> (see <see cref="Case.CreateChildOf"/>); once per submission key.</summary>
    public Task<Case> CreateChildAsync(
        int parentId, CaseFields fields, CaseStatus status, string userId, Guid? submissionKey = null, CancellationToken ct = default) =>
        OnceAsync(userId, submissionKey, () => _work.RunAsync(async () =>
        {
            var settings = await SettingsAsync(ct);
            var parent = await FindAsync(parentId, ct);
            var completed = ParentChildSettings.Inherit(fields, parent, InheritedFields.Required);
            var child = Case.CreateChildOf(parent, fields, status, settings, await ReferencesAsync(completed, ct), userId, Now, submissionKey);
            db.Cases.Add(child);
            return child;
        }, ct), ct);

    /// <summary>
    /// Runs <paramref name="create"/>; when the user's <paramref name="submissionKey"/> already made a case (a double click,
    /// a resent form, on this instance or another), the unique index refuses the second insert and the first case is returned.
    /// The check costs nothing on the normal path: it is the insert itself.
    /// </summary>
    private async Task<Case> OnceAsync(string userId, Guid? submissionKey, Func<Task<Case>> create, CancellationToken ct)
    {
        try
        {
            return await create();
        }
        catch (DbUpdateException) when (submissionKey is not null)
        {
            db.ChangeTracker.Clear();
            return await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.CreatedById == userId && c.SubmissionKey == submissionKey, ct)
                ?? throw new InvalidOperationException("The case could not be saved, and no earlier submission of the form made one.");
        }
    }

    /// <summary>Makes the given cases children of <paramref name="parentId"/>: all of them, or none.</summary>
    public Task AddChildrenAsync(int parentId, IReadOnlyCollection<int> childIds, string userId, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var settings = await SettingsAsync(ct);
            var ids = childIds.Append(parentId).Distinct().ToList();
            var cases = await db.Cases.Where(c => ids.Contains(c.Id)).ToListAsync(ct);
            // As a nullable, so that an id 0 (never a case) is found missing too.
            if (ids.Except(cases.Select(c => c.Id)).Cast<int?>().FirstOrDefault() is { } missing)
            {
                throw new NotFoundException("Case", missing);
            }

            var parent = cases.Single(c => c.Id == parentId);
            var children = childIds.Distinct().Select(id => cases.Single(c => c.Id == id)).ToList();
            var seenParentVersion = parent.Version;
            var now = Now;
            parent.AddChildren(children, settings, userId, now);
            _work.AddHistory(children.SelectMany(child => CaseUnitOfWork.ParentChange(child, null, parentId, userId, now)));

            // Written with set-based statements, not row by row: EF would send one UPDATE per child (SQLite never batches),
            // and associating must cost the same for 2 children or 100. Rows are locked in id order (children below the
            // parent, the parent, children above it) so that two associations of the same cases in opposite directions
            // wait for each other instead of deadlocking.
            db.ChangeTracker.Clear();
            await WriteChildrenAsync(children.Where(c => c.Id < parentId).Select(c => c.Id).ToList(), parentId, userId, now, ct);
            var parentWritten = await db.Cases
                .Where(c => c.Id == parentId && c.Version == seenParentVersion)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(c => c.ChildCount, parent.ChildCount)
                    .SetProperty(c => c.UpdatedById, parent.UpdatedById)
                    .SetProperty(c => c.UpdatedAt, parent.UpdatedAt)
                    .SetProperty(c => c.Version, parent.Version), ct);
            if (parentWritten != 1)
            {
                throw new DbUpdateConcurrencyException($"Case {parentId} changed since it was read.");
            }

            await WriteChildrenAsync(children.Where(c => c.Id > parentId).Select(c => c.Id).ToList(), parentId, userId, now, ct);
            logger.LogInformation("User {UserId} made {Children} children of case {ParentId}", userId, string.Join(",", childIds), parentId);
            return true;
        }, ct);

    /// <summary>
    /// Links <paramref name="childIds"/> to <paramref name="parentId"/> in one statement, as <see cref="Case.AddChildren"/>
    /// did in memory. The WHERE is <see cref="CaseFamilyRules.CanBecomeChild"/>, the rule the domain just checked, so a
    /// child that a concurrent operation changed in a way that matters matches no row: the same conflict and retry as a
    /// failed version check (docs/decisions/0003).
    /// </summary>
    private async Task WriteChildrenAsync(List<int> childIds, int parentId, string userId, DateTime now, CancellationToken ct)
    {
        if (childIds.Count == 0)
        {
            return;
        }

        var written = await db.Cases
            .Where(c => childIds.Contains(c.Id))
            .Where(CaseFamilyRules.CanBecomeChild)
            .ExecuteUpdateAsync(set => set
                .SetProperty(c => c.ParentId, parentId)
                .SetProperty(c => c.UpdatedById, userId)
                .SetProperty(c => c.UpdatedAt, now)
                .SetProperty(c => c.Version, c => c.Version + 1), ct);
        if (written != childIds.Count)
        {
            throw new DbUpdateConcurrencyException($"{childIds.Count - written} of the children changed since they were read.");
        }
    }

    /// <summary>From the case list: of the selected cases, <paramref name="parentId"/> becomes the parent of the others.</summary>
    public Task AssociateAsync(int parentId, IReadOnlyCollection<int> selectedIds, string userId, CancellationToken ct = default)
    {
        var children = selectedIds.Where(id => id != parentId).Distinct().ToList();
        if (children.Count == 0)
        {
            throw new CaseRuleException(CaseRuleCode.NothingToAssociate);
        }

        return AddChildrenAsync(parentId, children, userId, ct);
    }

    /// <summary>Removes a child from its parent; both stay as they are otherwise.</summary>
    public Task RemoveChildAsync(int parentId, int childId, string userId, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var parent = await FindAsync(parentId, ct);
            var child = await FindAsync(childId, ct);
            parent.RemoveChild(child, userId, Now);
            return true;
        }, ct);

    /// <summary>Saves an edit made on the version the user saw; refuses it if someone saved in between.</summary>
    public Task<Case> UpdateAsync(int caseId, int expectedVersion, CaseFields fields, CaseStatus status, string userId, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var item = await FindAsync(caseId, ct);
            if (item.Version != expectedVersion)
            {
                throw new CaseRuleException(CaseRuleCode.StaleEdit, item.Id, item.Number);
            }

            var accountBefore = item.AccountId;
            item.Update(fields, status, await ReferencesAsync(fields, ct, item.CategoryId), userId, Now);
            if (item.AccountId != accountBefore)
            {
                await db.FollowCaseAccountAsync(item.Id, item.AccountId, ct);
            }

            return item;
        }, ct);

    /// <summary>Resolves a case, applying the closure preference when it is a parent. Returns the children closed with it.</summary>
    public Task<IReadOnlyList<ChildSummary>> ResolveAsync(
        int caseId, string? resolution, string userId, bool cancelOpenActivities = false, CancellationToken ct = default) =>
        CloseAsync(caseId, (item, children, preference) => item.Resolve(resolution, children, preference, userId, Now), cancelOpenActivities, userId, ct);

    /// <summary>Cancels a case, applying the closure preference when it is a parent. Returns the children closed with it.</summary>
    public Task<IReadOnlyList<ChildSummary>> CancelAsync(int caseId, string userId, bool cancelOpenActivities = false, CancellationToken ct = default) =>
        CloseAsync(caseId, (item, children, preference) => item.Cancel(children, preference, userId, Now), cancelOpenActivities, userId, ct);

    /// <summary>Reopens a closed case (back to In progress).</summary>
    public Task ReopenAsync(int caseId, string userId, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var item = await FindAsync(caseId, ct);
            var parent = item.ParentId is { } parentId ? await FindAsync(parentId, ct) : null;
            item.Reopen(parent, userId, Now);
            return true;
        }, ct);

    /// <summary>Assigns a case to an active user, or to nobody (see <see cref="Case.AssignTo"/>).</summary>
    public Task AssignAsync(int caseId, string? assigneeId, string userId, bool isSupervisor, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var item = await FindAsync(caseId, ct);
            var available = assigneeId is not null && await db.Users.AnyAsync(u => u.Id == assigneeId && u.IsActive, ct);
            item.AssignTo(assigneeId, available, userId, isSupervisor, Now);
            return true;
        }, ct);

    /// <summary>Adds a comment to the case's timeline.</summary>
    public Task<CaseComment> AddCommentAsync(int caseId, string body, string userId, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            await EnsureCaseExistsAsync(caseId, ct);
            var comment = new CaseComment(caseId, userId, body, Now);
            db.CaseComments.Add(comment);
            await Notify.MentionAsync(db, caseId, Mentions.Handles(comment.Body), userId, Now, ct);
            return comment;
        }, ct);

    /// <summary>Changes a comment's text; the old text stays in the history.</summary>
    public Task EditCommentAsync(int caseId, int commentId, string body, string userId, bool isSupervisor, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var comment = await FindCommentAsync(caseId, commentId, ct);
            var before = comment.Body;
            comment.Edit(body, userId, isSupervisor, Now);
            db.CaseHistory.Add(CaseHistoryEntry.Of(caseId, HistoryField.CommentEdited, before, comment.Body, userId, Now));
            // Only the people the edit adds: those mentioned before were told already.
            await Notify.MentionAsync(db, caseId, Mentions.Added(before, comment.Body), userId, Now, ct);
            return true;
        }, ct);

    /// <summary>Deletes a comment; its text stays in the history.</summary>
    public Task DeleteCommentAsync(int caseId, int commentId, string userId, bool isSupervisor, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var comment = await FindCommentAsync(caseId, commentId, ct);
            comment.CheckMayChange(userId, isSupervisor, Now);
            db.CaseHistory.Add(CaseHistoryEntry.Of(caseId, HistoryField.CommentDeleted, comment.Body, null, userId, Now));
            db.CaseComments.Remove(comment);
            return true;
        }, ct);

    /// <summary>
    /// Attaches files: all of them or none, as <see cref="AttachmentRules.CheckAsync"/> accepts them. The quotas are read
    /// after <see cref="LockUploadQuotasAsync"/>, so that two uploads at the same moment cannot together pass one; each
    /// file's bytes are streamed into the database (<see cref="AttachmentContentStore"/>), never held whole in memory.
    /// </summary>
    public Task<IReadOnlyList<CaseAttachment>> AddAttachmentsAsync(
        int caseId, IReadOnlyList<UploadedFile> files, string userId, AttachmentLimits? limits = null, CancellationToken ct = default) =>
        _work.RunAsync<IReadOnlyList<CaseAttachment>>(async () =>
        {
            await EnsureCaseExistsAsync(caseId, ct);
            await LockUploadQuotasAsync(caseId, userId, ct);
            var refusals = await AttachmentRules.CheckAsync(caseId, files, limits ?? new AttachmentLimits(), await AttachmentUsageAsync(caseId, userId, ct), ct);
            if (refusals.Count > 0)
            {
                throw new CaseRuleException(refusals);
            }

            var added = files.Select(f => new CaseAttachment(caseId, f.Name, f.Length, userId, Now)).ToList();
            db.CaseAttachments.AddRange(added);
            db.CaseHistory.AddRange(added.Select(a => CaseHistoryEntry.Of(caseId, HistoryField.AttachmentAdded, null, a.FileName, userId, Now)));
            await db.SaveChangesAsync(ct);
            foreach (var (attachment, file) in added.Zip(files))
            {
                await using var content = file.Open();
                await AttachmentContentStore.WriteAsync(db, attachment.Id, file.Length, content, ct);
            }

            return added;
        }, ct);

    /// <summary>
    /// What is stored already, for the quotas of <see cref="AttachmentRules.Check"/>: read inside <see cref="AddAttachmentsAsync"/>'s
    /// transaction, and by the upload action to refuse early, before it reads whole files.
    /// </summary>
    public async Task<AttachmentUsage> AttachmentUsageAsync(int caseId, string userId, CancellationToken ct = default)
    {
        var hourAgo = Now.AddHours(-1);
        return new AttachmentUsage(
            await db.CaseAttachments.Where(a => a.CaseId == caseId).SumAsync(a => (long?)a.Size, ct) ?? 0,
            await db.CaseAttachments.Where(a => a.UploadedById == userId && a.UploadedAt > hourAgo).SumAsync(a => (long?)a.Size, ct) ?? 0);
    }

    /// <summary>
    /// Makes uploads by the same user, and uploads to the same case, wait for each other until commit, so that each reads
    /// the sums the other wrote. SQLite: nothing to do, a transaction takes the database's write lock when it begins
    /// (<c>BEGIN IMMEDIATE</c>). PostgreSQL: transaction-scoped advisory locks; SQL Server: application locks owned by
    /// the transaction. Always the user's first, then the case's, so two uploads never wait for each other in a circle.
    /// </summary>
    private async Task LockUploadQuotasAsync(int caseId, string userId, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({UploadUserLock}, hashtext({userId}))", ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({UploadCaseLock}, {caseId})", ct);
        }
        else if (db.Database.IsSqlServer())
        {
            foreach (var resource in new[] { "upload-user:" + userId, "upload-case:" + caseId.ToString(CultureInfo.InvariantCulture) })
            {
                await db.Database.ExecuteSqlAsync(
                    $"EXEC sp_getapplock @Resource = {resource}, @LockMode = 'Exclusive', @LockOwner = 'Transaction'", ct);
            }
        }
    }

    // The first key of the two-key advisory locks that serialize uploads (PostgreSQL).
    private const int UploadUserLock = 14_001;
    private const int UploadCaseLock = 14_002;

    /// <summary>Deletes an attachment (the uploader's own, or any for a supervisor); the history keeps its name.</summary>
    public Task DeleteAttachmentAsync(int caseId, int attachmentId, string userId, bool isSupervisor, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var attachment = await db.CaseAttachments.SingleOrDefaultAsync(a => a.Id == attachmentId && a.CaseId == caseId, ct)
                ?? throw new NotFoundException("Attachment", attachmentId);
            attachment.CheckMayDelete(userId, isSupervisor, await db.EmailAttachments.AnyAsync(e => e.CaseAttachmentId == attachmentId, ct));
            db.CaseHistory.Add(CaseHistoryEntry.Of(caseId, HistoryField.AttachmentDeleted, attachment.FileName, null, userId, Now));
            db.CaseAttachments.Remove(attachment);
            return true;
        }, ct);

    /// <summary>
    /// Closes a case (and, by the closure preference, its active children). Their open activities are refused, unless
    /// <paramref name="cancelOpenActivities"/>: then they are cancelled in the same transaction (<see cref="Activity.CloseWithCase"/>).
    /// </summary>
    private Task<IReadOnlyList<ChildSummary>> CloseAsync(
        int caseId, Func<Case, IReadOnlyCollection<Case>, ClosurePreference, IReadOnlyList<Case>> close, bool cancelOpenActivities, string userId,
        CancellationToken ct) =>
        _work.RunAsync<IReadOnlyList<ChildSummary>>(async () =>
        {
            var item = await FindAsync(caseId, ct);
            var settings = item.IsParent ? await SettingsAsync(ct) : new ParentChildSettings();
            var activeChildren = item.IsParent
                ? await db.Cases.Where(c => c.ParentId == item.Id).Where(CaseStatuses.IsActiveCase).ToListAsync(ct)
                : [];
            var closed = close(item, activeChildren, settings.ClosurePreference);
            var closedIds = closed.Select(c => (int?)c.Id).Append(item.Id).ToList();
            var openActivities = await db.Activities.Where(a => closedIds.Contains(a.CaseId) && a.Status == ActivityStatus.Open).ToListAsync(ct);
            Activity.CloseWithCase(item.Number, openActivities, cancelOpenActivities, userId, Now);
            _work.AddHistory(openActivities.Select(a => CaseHistoryEntry.Of(a.CaseId!.Value, HistoryField.ActivityCancelled, null, a.Subject, userId, Now)));
            return closed.Select(c => new ChildSummary(c.Id, c.Number, c.Title, c.Status)).ToList();
        }, ct);

    // Read inside the operation's transaction, so a rule always applies the settings as they are now.
    private async Task<ParentChildSettings> SettingsAsync(CancellationToken ct) =>
        await db.ParentChildSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == ParentChildSettings.SingletonId, ct)
        ?? new ParentChildSettings();

    // Each reference is read only when the rule needs it: a kept category is not checked again (Case.Update).
    private async Task<CaseReferences> ReferencesAsync(CaseFields fields, CancellationToken ct, int? keptCategoryId = null) =>
        new(fields.CategoryId == keptCategoryId || await db.Categories.AnyAsync(c => c.Id == fields.CategoryId && c.IsActive, ct),
            fields.AccountId is not { } accountId || await db.Accounts.AnyAsync(a => a.Id == accountId, ct));

    private async Task<Case> FindAsync(int id, CancellationToken ct) =>
        await db.Cases.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Case", id);

    // A case that takes new comments and files: it exists and was not merged into another (merged cases are read-only).
    private async Task EnsureCaseExistsAsync(int caseId, CancellationToken ct)
    {
        var found = await db.Cases.Where(c => c.Id == caseId).Select(c => new { c.MergedIntoId }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("Case", caseId);
        if (found.MergedIntoId is { } into)
        {
            throw new CaseRuleException(CaseRuleCode.MergedReadOnly, caseId, CaseNumber.Format(caseId), CaseNumber.Format(into));
        }
    }

    private async Task<CaseComment> FindCommentAsync(int caseId, int commentId, CancellationToken ct) =>
        await db.CaseComments.SingleOrDefaultAsync(c => c.Id == commentId && c.CaseId == caseId, ct)
        ?? throw new NotFoundException("Comment", commentId);
}
