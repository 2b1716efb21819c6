using System.Data.Common;
using System.Globalization;
using System.Text;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Cases;

/// <summary>A case that a closure closed along with its parent, or that blocks it.</summary>
public sealed record ChildSummary(int Id, string Number, string Title, CaseStatus Status);

/// <summary>
/// Every operation that changes cases. Each one runs in its own transaction: it loads the cases it needs,
/// checks the rules (<see cref="CaseFamilyRules"/>), writes, and commits — or writes nothing.
/// Every case an operation reads to decide is also written (its <see cref="Case.Version"/> raised), so a
/// concurrent operation on any of them fails its version check and is retried from a fresh read, where the
/// rules see the other's result. See docs/decisions/0003-parent-child-rules-under-concurrency.md.
/// </summary>
public sealed class CaseService(CrmDbContext db, TimeProvider clock, ILogger<CaseService> logger)
{
    public const int MaxAttempts = 6;

    // History entries of the cases an operation writes with a set-based statement (the change tracker does not see them).
    private readonly List<CaseHistoryEntry> _setBasedHistory = [];

    /// <summary>How many times this instance retried an operation after a concurrent change.</summary>
    public int Retries { get; private set; }

    /// <summary>Adds a case to a contact. The account defaults to the contact's when none is given.</summary>
    public Task<Case> AddToContactAsync(int contactId, CaseFields fields, CaseStatus status, string userId, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            // The contact and both reference checks in one round trip (the same checks as CheckReferencesAsync: without an
            // account of its own the case takes the contact's, which exists).
            var contact = await db.Contacts.AsNoTracking()
                .Where(c => c.Id == contactId)
                .Select(c => new
                {
                    c.Id,
                    c.AccountId,
                    CategoryActive = db.Categories.Any(k => k.Id == fields.CategoryId && k.IsActive),
                    AccountExists = fields.AccountId == null || db.Accounts.Any(a => a.Id == fields.AccountId),
                })
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Contact", contactId);
            if (!contact.CategoryActive)
            {
                throw new CaseRuleException(CaseRuleCode.CategoryNotAvailable);
            }

            if (!contact.AccountExists)
            {
                throw new CaseRuleException(CaseRuleCode.AccountNotFound);
            }

            var resolved = fields with { AccountId = fields.AccountId ?? contact.AccountId };
            var created = new Case(contact.Id, resolved, status, userId, Now);
            db.Cases.Add(created);
            return created;
        }, ct);

    /// <summary>
    /// Creates a case as a child of <paramref name="parentId"/>. The contact is always the parent's; the other
    /// values are the ones given (start them from <see cref="NewChildDraftAsync"/>, which applies the inherited-fields
    /// setting), with a blank title, category or description taken from the parent.
    /// </summary>
    public Task<Case> CreateChildAsync(int parentId, CaseFields fields, CaseStatus status, string userId, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            var settings = await GetSettingsAsync(ct);
            var parent = await FindAsync(parentId, ct);
            Refuse(CaseFamilyRules.CheckCanTakeChildren(parent, 1, settings.MaxChildren));
            // The form starts from the inherited values (NewChildDraftAsync) and what comes back is the user's choice;
            // only required values left blank are taken from the parent.
            var completed = fields with
            {
                Title = string.IsNullOrWhiteSpace(fields.Title) ? parent.Title : fields.Title,
                CategoryId = fields.CategoryId == 0 ? parent.CategoryId : fields.CategoryId,
                Description = string.IsNullOrWhiteSpace(fields.Description) ? parent.Description : fields.Description,
            };
            await CheckReferencesAsync(completed, previousCategoryId: null, ct);
            var child = new Case(parent.ContactId, completed, status, userId, Now);
            parent.AddNewChild(child, userId, Now);
            db.Cases.Add(child);
            return child;
        }, ct);

    /// <summary>
    /// What the form for a new child of <paramref name="parentId"/> starts with (the inherited fields of the
    /// setting), or why that case cannot have a child now.
    /// </summary>
    public async Task<(CaseFields Prefill, int ContactId, IReadOnlyList<CaseRuleViolation> Refusals)> NewChildDraftAsync(int parentId, CancellationToken ct = default)
    {
        var settings = await GetSettingsAsync(ct);
        var parent = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == parentId, ct) ?? throw new NotFoundException("Case", parentId);
        var prefill = Inherit(new CaseFields(string.Empty, null, 0, null, string.Empty, null, null), parent, settings.InheritedFields);
        return (prefill, parent.ContactId, CaseFamilyRules.CheckCanTakeChildren(parent, 1, settings.MaxChildren));
    }

    /// <summary>Makes the given cases children of <paramref name="parentId"/>: all of them, or none.</summary>
    public Task AddChildrenAsync(int parentId, IReadOnlyCollection<int> childIds, string userId, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            var settings = await GetSettingsAsync(ct);
            var ids = childIds.Append(parentId).Distinct().ToList();
            var cases = await db.Cases.Where(c => ids.Contains(c.Id)).ToListAsync(ct);
            var missing = ids.Except(cases.Select(c => c.Id)).FirstOrDefault();
            if (missing != 0)
            {
                throw new NotFoundException("Case", missing);
            }

            var parent = cases.Single(c => c.Id == parentId);
            var children = childIds.Distinct().Select(id => cases.Single(c => c.Id == id)).ToList();
            Refuse(CaseFamilyRules.CheckAddChildren(parent, children, settings.MaxChildren));
            var now = Now;
            var seenParentVersion = parent.Version;
            foreach (var child in children)
            {
                var before = child.ParentId;
                parent.AddChild(child, userId, now);
                _setBasedHistory.AddRange(ParentChange(child, before, child.ParentId, userId, now));
            }

            // The cases are written with set-based statements, not row by row: EF would send one UPDATE per child (SQLite
            // never batches), and the SQL budget says associating costs the same for 2 children or 100. Rows are locked
            // in id order (children below the parent, the parent, children above it) so that two associations of the
            // same cases in opposite directions wait for each other instead of deadlocking.
            db.ChangeTracker.Clear();
            await WriteChildrenAsync(children.Where(c => c.Id < parent.Id).Select(c => c.Id).ToList(), parent.Id, userId, now, ct);
            var parentWritten = await db.Cases
                .Where(c => c.Id == parent.Id && c.Version == seenParentVersion)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(c => c.ChildCount, parent.ChildCount)
                    .SetProperty(c => c.UpdatedById, parent.UpdatedById)
                    .SetProperty(c => c.UpdatedAt, parent.UpdatedAt)
                    .SetProperty(c => c.Version, parent.Version), ct);
            if (parentWritten != 1)
            {
                throw new DbUpdateConcurrencyException($"Case {parent.Id} changed since it was read.");
            }

            await WriteChildrenAsync(children.Where(c => c.Id > parent.Id).Select(c => c.Id).ToList(), parent.Id, userId, now, ct);
            logger.LogInformation("User {UserId} made {Children} children of case {ParentId}", userId, string.Join(",", childIds), parentId);
            return true;
        }, ct);

    /// <summary>
    /// Makes the cases <paramref name="childIds"/> children of <paramref name="parentId"/> in one statement, as
    /// <see cref="Case.AddChild"/> does (parent, who, when, <see cref="Case.Version"/> raised). The WHERE repeats what the
    /// rules read of each child (not a parent, not a child, active), so a child that a concurrent operation changed in a
    /// way that matters matches no row: the same conflict and retry as a failed version check (docs/decisions/0003).
    /// </summary>
    private async Task WriteChildrenAsync(List<int> childIds, int parentId, string userId, DateTime now, CancellationToken ct)
    {
        if (childIds.Count == 0)
        {
            return;
        }

        var written = await db.Cases
            .Where(c => childIds.Contains(c.Id) && c.ParentId == null && c.ChildCount == 0 && c.Status <= CaseStatus.OnHold)
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
        InTransactionAsync(async () =>
        {
            var parent = await FindAsync(parentId, ct);
            var child = await FindAsync(childId, ct);
            parent.RemoveChild(child, userId, Now);
            return true;
        }, ct);

    /// <summary>Saves an edit made on the version the user saw; refuses it if someone saved in between.</summary>
    public Task<Case> UpdateAsync(int caseId, int expectedVersion, CaseFields fields, CaseStatus status, string userId, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            var item = await FindAsync(caseId, ct);
            if (item.Version != expectedVersion)
            {
                throw new CaseRuleException(CaseRuleCode.StaleEdit, item.Id, item.Number);
            }

            await CheckReferencesAsync(fields, item.CategoryId, ct);
            item.Update(fields, status, userId, Now);
            return item;
        }, ct);

    /// <summary>Resolves a case, applying the closure preference when it is a parent. Returns the children closed with it.</summary>
    public Task<IReadOnlyList<ChildSummary>> ResolveAsync(int caseId, string? resolution, string userId, CancellationToken ct = default) =>
        CloseAsync(caseId, CaseStatus.Resolved, resolution, userId, ct);

    /// <summary>Cancels a case, applying the closure preference when it is a parent. Returns the children closed with it.</summary>
    public Task<IReadOnlyList<ChildSummary>> CancelAsync(int caseId, string userId, CancellationToken ct = default) =>
        CloseAsync(caseId, CaseStatus.Cancelled, null, userId, ct);

    /// <summary>The active children that closing this case would close (cascade) or that block it (default); empty otherwise.</summary>
    public async Task<IReadOnlyList<ChildSummary>> ActiveChildrenAsync(int caseId, CancellationToken ct = default) =>
        await db.Cases.AsNoTracking()
            .Where(c => c.ParentId == caseId && c.Status <= CaseStatus.OnHold)
            .OrderBy(c => c.Id)
            .Select(c => new ChildSummary(c.Id, CaseNumber.Format(c.Id), c.Title, c.Status))
            .ToListAsync(ct);

    /// <summary>Reopens a closed case (back to In progress).</summary>
    public Task ReopenAsync(int caseId, string userId, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            var item = await FindAsync(caseId, ct);
            item.Reopen(userId, Now);
            if (item.ParentId is { } parentId)
            {
                // The parent's closure decision read this child's status: make the two conflict.
                (await FindAsync(parentId, ct)).Touch(userId, Now);
            }

            return true;
        }, ct);

    /// <summary>
    /// Assigns a case to an active user, or to nobody. Agents may only take a case themselves ("Tomar caso");
    /// supervisors assign anyone.
    /// </summary>
    public Task AssignAsync(int caseId, string? assigneeId, string userId, bool isSupervisor, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            var item = await FindAsync(caseId, ct);
            if (!isSupervisor && assigneeId != userId)
            {
                throw new CaseRuleException(CaseRuleCode.AssignOnlySelf, item.Id);
            }

            if (assigneeId is not null && !await db.Users.AnyAsync(u => u.Id == assigneeId && u.IsActive, ct))
            {
                throw new CaseRuleException(CaseRuleCode.AssigneeNotAvailable, item.Id);
            }

            if (item.AssignedToId != assigneeId)
            {
                item.AssignTo(assigneeId, userId, Now);
            }

            return true;
        }, ct);

    /// <summary>Adds a comment to the case's timeline.</summary>
    public Task<CaseComment> AddCommentAsync(int caseId, string body, string userId, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            await EnsureCaseExistsAsync(caseId, ct);
            var comment = new CaseComment { CaseId = caseId, AuthorId = userId, Body = body.Trim(), CreatedAt = Now };
            db.CaseComments.Add(comment);
            return comment;
        }, ct);

    /// <summary>Changes a comment's text; the old text stays in the history.</summary>
    public Task EditCommentAsync(int caseId, int commentId, string body, string userId, bool isSupervisor, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            var comment = await FindCommentAsync(caseId, commentId, userId, isSupervisor, ct);
            db.CaseHistory.Add(CaseHistoryEntry.Of(caseId, HistoryField.CommentEdited, comment.Body, body.Trim(), userId, Now));
            comment.Body = body.Trim();
            comment.EditedAt = Now;
            return true;
        }, ct);

    /// <summary>Deletes a comment; its text stays in the history.</summary>
    public Task DeleteCommentAsync(int caseId, int commentId, string userId, bool isSupervisor, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            var comment = await FindCommentAsync(caseId, commentId, userId, isSupervisor, ct);
            db.CaseHistory.Add(CaseHistoryEntry.Of(caseId, HistoryField.CommentDeleted, comment.Body, null, userId, Now));
            db.CaseComments.Remove(comment);
            return true;
        }, ct);

    /// <summary>
    /// Attaches files: all of them or none. Names are made safe; executables, scripts, HTML and SVG are refused
    /// by extension and by content. The caller has already refused files over the size limit.
    /// </summary>
    public Task<IReadOnlyList<CaseAttachment>> AddAttachmentsAsync(
        int caseId, IReadOnlyList<(string Name, byte[] Data)> files, string userId, CancellationToken ct = default) =>
        InTransactionAsync<IReadOnlyList<CaseAttachment>>(async () =>
        {
            await EnsureCaseExistsAsync(caseId, ct);
            var refusals = new List<CaseRuleViolation>();
            var added = new List<CaseAttachment>();
            foreach (var (name, data) in files)
            {
                var safeName = AttachmentRules.SafeFileName(name);
                if (data.Length == 0)
                {
                    refusals.Add(new(CaseRuleCode.FileEmpty, caseId, safeName));
                }
                else if (AttachmentRules.IsBlocked(safeName, data))
                {
                    refusals.Add(new(CaseRuleCode.FileTypeBlocked, caseId, safeName));
                }
                else
                {
                    added.Add(new CaseAttachment
                    {
                        CaseId = caseId, FileName = safeName, Size = data.Length, UploadedById = userId, UploadedAt = Now,
                        Content = new AttachmentContent { Data = data },
                    });
                }
            }

            Refuse(refusals);
            db.CaseAttachments.AddRange(added);
            db.CaseHistory.AddRange(added.Select(a => CaseHistoryEntry.Of(caseId, HistoryField.AttachmentAdded, null, a.FileName, userId, Now)));
            return added;
        }, ct);

    /// <summary>Deletes an attachment (the uploader's own, or any for a supervisor); the history keeps its name.</summary>
    public Task DeleteAttachmentAsync(int caseId, int attachmentId, string userId, bool isSupervisor, CancellationToken ct = default) =>
        InTransactionAsync(async () =>
        {
            var attachment = await db.CaseAttachments.SingleOrDefaultAsync(a => a.Id == attachmentId && a.CaseId == caseId, ct)
                ?? throw new NotFoundException("Attachment", attachmentId);
            if (!attachment.CanBeDeletedBy(userId, isSupervisor))
            {
                throw new CaseRuleException(CaseRuleCode.AttachmentNotDeletable, caseId);
            }

            db.CaseHistory.Add(CaseHistoryEntry.Of(caseId, HistoryField.AttachmentDeleted, attachment.FileName, null, userId, Now));
            db.CaseAttachments.Remove(attachment);
            return true;
        }, ct);

    /// <summary>The parent/child settings as they are now (read at every operation, so changes apply at once).</summary>
    public async Task<ParentChildSettings> GetSettingsAsync(CancellationToken ct = default) =>
        await db.ParentChildSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == ParentChildSettings.SingletonId, ct)
        ?? new ParentChildSettings();

    private Task<IReadOnlyList<ChildSummary>> CloseAsync(int caseId, CaseStatus status, string? resolution, string userId, CancellationToken ct) =>
        InTransactionAsync<IReadOnlyList<ChildSummary>>(async () =>
        {
            var item = await FindAsync(caseId, ct);
            item.Close(status, status == CaseStatus.Resolved ? resolution : item.Resolution, userId, Now);
            if (!item.IsParent)
            {
                return [];
            }

            var settings = await GetSettingsAsync(ct);
            var activeChildren = await db.Cases.Where(c => c.ParentId == item.Id && c.Status <= CaseStatus.OnHold).ToListAsync(ct);
            if (CaseFamilyRules.CheckClosure(item, activeChildren, settings.ClosurePreference) is { } violation)
            {
                throw new CaseRuleException([violation]);
            }

            if (settings.ClosurePreference != ClosurePreference.CloseChildren)
            {
                return [];
            }

            foreach (var child in activeChildren)
            {
                child.Close(status, status == CaseStatus.Resolved ? item.Resolution : child.Resolution, userId, Now);
            }

            return activeChildren.Select(c => new ChildSummary(c.Id, c.Number, c.Title, c.Status)).ToList();
        }, ct);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<Case> FindAsync(int id, CancellationToken ct) =>
        await db.Cases.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Case", id);

    private async Task EnsureCaseExistsAsync(int caseId, CancellationToken ct)
    {
        if (!await db.Cases.AnyAsync(c => c.Id == caseId, ct))
        {
            throw new NotFoundException("Case", caseId);
        }
    }

    private async Task<CaseComment> FindCommentAsync(int caseId, int commentId, string userId, bool isSupervisor, CancellationToken ct)
    {
        var comment = await db.CaseComments.SingleOrDefaultAsync(c => c.Id == commentId && c.CaseId == caseId, ct)
            ?? throw new NotFoundException("Comment", commentId);
        return comment.CanBeChangedBy(userId, isSupervisor, Now)
            ? comment
            : throw new CaseRuleException(CaseRuleCode.CommentNotEditable, caseId);
    }

    // The case fields whose changes the history records, with the property that holds each.
    private static readonly (HistoryField Field, string Property)[] TrackedFields =
    [
        (HistoryField.Title, nameof(Case.Title)),
        (HistoryField.Account, nameof(Case.AccountId)),
        (HistoryField.Category, nameof(Case.CategoryId)),
        (HistoryField.Priority, nameof(Case.Priority)),
        (HistoryField.Status, nameof(Case.Status)),
        (HistoryField.Description, nameof(Case.Description)),
        (HistoryField.Resolution, nameof(Case.Resolution)),
        (HistoryField.Origin, nameof(Case.Origin)),
        (HistoryField.AssignedTo, nameof(Case.AssignedToId)),
    ];

    /// <summary>
    /// Reads what is about to be saved on cases in <paramref name="db"/>, and returns the history entries to write
    /// once the new cases have ids. A parent change is recorded on the child and on both parents. Also used by the
    /// demo seed, so that its cases have the history the app would have written.
    /// </summary>
    internal static List<Func<IEnumerable<CaseHistoryEntry>>> CaptureHistory(CrmDbContext db, DateTime now)
    {
        var pending = new List<Func<IEnumerable<CaseHistoryEntry>>>();
        foreach (var entry in db.ChangeTracker.Entries<Case>().ToList())
        {
            var item = entry.Entity;
            if (entry.State == EntityState.Added)
            {
                pending.Add(() => ParentChange(item, null, item.ParentId, item.CreatedById, now)
                    .Prepend(CaseHistoryEntry.Of(item.Id, HistoryField.Created, null, item.Number, item.CreatedById, now)));
                continue;
            }

            if (entry.State != EntityState.Modified)
            {
                continue;
            }

            var changes = TrackedFields
                .Select(t => (t.Field, Old: Raw(entry.Property(t.Property).OriginalValue), New: Raw(entry.Property(t.Property).CurrentValue)))
                .Where(c => c.Old != c.New)
                .ToList();
            var oldParent = (int?)entry.Property(nameof(Case.ParentId)).OriginalValue;
            pending.Add(() => changes
                .Select(c => CaseHistoryEntry.Of(item.Id, c.Field, c.Old, c.New, item.UpdatedById, now))
                .Concat(ParentChange(item, oldParent, item.ParentId, item.UpdatedById, now)));
        }

        return pending;
    }

    private static IEnumerable<CaseHistoryEntry> ParentChange(Case child, int? oldParent, int? newParent, string userId, DateTime now)
    {
        if (oldParent == newParent)
        {
            yield break;
        }

        yield return CaseHistoryEntry.Of(child.Id, HistoryField.Parent, Raw(oldParent), Raw(newParent), userId, now);
        if (oldParent is { } removedFrom)
        {
            yield return CaseHistoryEntry.Of(removedFrom, HistoryField.ChildRemoved, Raw(child.Id), null, userId, now);
        }

        if (newParent is { } addedTo)
        {
            yield return CaseHistoryEntry.Of(addedTo, HistoryField.ChildAdded, null, Raw(child.Id), userId, now);
        }
    }

    private static string? Raw(object? value) => value switch
    {
        null => null,
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private async Task CheckReferencesAsync(CaseFields fields, int? previousCategoryId, CancellationToken ct)
    {
        // A case keeps a category that was deactivated after it was filed; a new choice must be active.
        var categoryOk = fields.CategoryId == previousCategoryId
            || await db.Categories.AnyAsync(c => c.Id == fields.CategoryId && c.IsActive, ct);
        if (!categoryOk)
        {
            throw new CaseRuleException(CaseRuleCode.CategoryNotAvailable);
        }

        if (fields.AccountId is { } accountId && !await db.Accounts.AnyAsync(a => a.Id == accountId, ct))
        {
            throw new CaseRuleException(CaseRuleCode.AccountNotFound);
        }
    }

    private static CaseFields Inherit(CaseFields fields, Case parent, InheritedFields inherited)
    {
        bool Takes(InheritedFields field) => (inherited & field) == field;
        return new CaseFields(
            Takes(InheritedFields.Title) && string.IsNullOrWhiteSpace(fields.Title) ? parent.Title : fields.Title,
            Takes(InheritedFields.Account) ? fields.AccountId ?? parent.AccountId : fields.AccountId,
            Takes(InheritedFields.Category) && fields.CategoryId == 0 ? parent.CategoryId : fields.CategoryId,
            Takes(InheritedFields.Priority) ? fields.Priority ?? parent.Priority : fields.Priority,
            Takes(InheritedFields.Description) && string.IsNullOrWhiteSpace(fields.Description) ? parent.Description : fields.Description,
            fields.Resolution,
            Takes(InheritedFields.Origin) ? fields.Origin ?? parent.Origin : fields.Origin);
    }

    private static void Refuse(IReadOnlyList<CaseRuleViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw new CaseRuleException(violations);
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> and saves in one transaction. When a concurrent operation changed one of
    /// its cases first (a failed version check, a deadlock or a busy database), everything is rolled back and the
    /// operation runs again from a fresh read, up to <see cref="MaxAttempts"/> times.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<Task<T>> operation, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            _setBasedHistory.Clear();
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var result = await operation();
                var history = CaptureHistory(db, Now);
                await db.SaveChangesAsync(ct);
                // Same transaction, after the save: new cases have their ids now.
                await InsertHistoryAsync([.. history.SelectMany(entries => entries()), .. _setBasedHistory], ct);
                await transaction.CommitAsync(ct);
                return result;
            }
            catch (Exception ex) when (IsConflict(ex))
            {
                db.ChangeTracker.Clear();
                if (attempt >= MaxAttempts)
                {
                    logger.LogWarning(ex, "Operation gave up after {Attempts} concurrent conflicts", attempt);
                    throw new CaseRuleException(CaseRuleCode.ConcurrentChange);
                }

                Retries++;
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
        }
    }

    /// <summary>
    /// Writes the history entries with one multi-row INSERT: one statement however many rows, on every provider (through
    /// EF, SQLite would take one statement per row). Ids and enum values are integers written as literals; text and
    /// times are parameters. Table and column names come from the EF model.
    /// </summary>
    private async Task InsertHistoryAsync(IReadOnlyList<CaseHistoryEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(CaseHistoryEntry))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => Quote(entity.FindProperty(property)!.GetColumnName(table)!);
        var insert = $"INSERT INTO {(table.Schema is null ? "" : Quote(table.Schema) + ".")}{Quote(table.Name)} ("
            + string.Join(", ", new[]
            {
                nameof(CaseHistoryEntry.CaseId), nameof(CaseHistoryEntry.UserId), nameof(CaseHistoryEntry.At),
                nameof(CaseHistoryEntry.Field), nameof(CaseHistoryEntry.OldValue), nameof(CaseHistoryEntry.NewValue),
            }.Select(Column)) + ") VALUES ";

        var parameters = new List<object>();
        var reused = new Dictionary<object, string>();
        string Parameter(object? value)
        {
            if (value is null)
            {
                return "NULL";
            }

            if (!reused.TryGetValue(value, out var marker))
            {
                marker = "{" + parameters.Count.ToString(CultureInfo.InvariantCulture) + "}";
                parameters.Add(value);
                reused[value] = marker;
            }

            return marker;
        }

        var sql = new StringBuilder();
        // SQL Server takes at most 1,000 rows in one VALUES list: longer lists become more statements of the same command.
        foreach (var chunk in entries.Chunk(500))
        {
            sql.Append(insert);
            sql.AppendJoin(", ", chunk.Select(e => string.Create(CultureInfo.InvariantCulture,
                $"({e.CaseId}, {Parameter(e.UserId)}, {Parameter(e.At)}, {(int)e.Field}, {Parameter(e.OldValue)}, {Parameter(e.NewValue)})")));
            sql.Append(";\n");
        }

        await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, ct);
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool IsConflict(Exception ex) => ex switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: DbException { IsTransient: true } } => true,
        DbException { IsTransient: true } => true,
        InvalidOperationException { InnerException: DbException { IsTransient: true } } => true,
        // EF wraps a deadlock met while saving (two associations locking the same two cases in opposite orders).
        InvalidOperationException { InnerException: DbUpdateException { InnerException: DbException { IsTransient: true } } } => true,
        _ => false,
    };
}
