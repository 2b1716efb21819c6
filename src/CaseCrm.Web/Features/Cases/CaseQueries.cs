using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.Text;
using CaseCrm.Web.Infrastructure;
using CaseCrm.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.Cases;

/// <summary>The case list's query string: view, filters, sort and page.</summary>
public sealed class CaseListFilter
{
    public const string ActiveView = "active";
    public const string MineView = "mine";
    public const string AllView = "all";

    public string? View { get; set; }
    public CaseStatus? Status { get; set; }
    public int? CategoryId { get; set; }
    public CasePriority? Priority { get; set; }
    public string? Assignee { get; set; }
    public string? Q { get; set; }
    public string? Sort { get; set; }
    public string? Dir { get; set; }
    public int Page { get; set; } = 1;

    public string EffectiveView => View is MineView or AllView ? View : ActiveView;
}

public sealed record CaseRow(
    int Id, string Title, CaseStatus Status, CasePriority? Priority, string CategoryName, int ContactId, string ContactName,
    string? AssigneeName, DateTime UpdatedAt, int? ParentId, int ChildCount)
{
    public string Number => CaseNumber.Format(Id);
}

public sealed record CaseDetails(
    int Id, string Title, CaseStatus Status, CasePriority? Priority, CaseOrigin? Origin, string Description, string? Resolution,
    int ContactId, string ContactName, int? AccountId, string? AccountName, int CategoryId, string CategoryName,
    string? AssignedToId, string? AssigneeName, int? ParentId, string? ParentTitle, int ChildCount,
    string CreatedByName, DateTime CreatedAt, string UpdatedByName, DateTime UpdatedAt, int Version)
{
    public string Number => CaseNumber.Format(Id);
    public bool IsActive => Status.IsActive();
}

public sealed record ChildRow(int Id, string Title, CaseStatus Status, CasePriority? Priority, string? AssigneeName, DateTime UpdatedAt)
{
    public string Number => CaseNumber.Format(Id);
}

public sealed record ContactRef(int Id, string Name, int? AccountId);

public sealed record CategoryOption(int Id, string Name);

public sealed record OpenCaseRef(int Id, string Title, int CategoryId, string CategoryName)
{
    public string Number => CaseNumber.Format(Id);
}

public sealed record UserOption(string Id, string Name);

/// <summary>The reads of the case pages.</summary>
public sealed class CaseQueries(CrmDbContext db, AccountLookup accounts)
{
    private static readonly IReadOnlyList<CaseStatus> AllStatuses = Enum.GetValues<CaseStatus>();

    // Per request (the class is scoped): the list page reads its two look-ups in one round trip.
    private bool _listLookups;
    private IReadOnlyList<UserOption>? _activeUsers;

    public static readonly IReadOnlyList<string> SortKeys = ["number", "title", "status", "priority", "updated"];

    public async Task<Page<CaseRow>> ListAsync(CaseListFilter filter, SortOrder sort, string? currentUserId, CancellationToken ct)
    {
        // The list's filters show the categories and the users: read both in one round trip (CategoriesAsync).
        _listLookups = true;
        var query = db.Cases.AsNoTracking();
        if (filter.EffectiveView == CaseListFilter.MineView)
        {
            query = query.Where(c => c.AssignedToId == currentUserId);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }
        else if (filter.EffectiveView != CaseListFilter.AllView)
        {
            query = query.Where(c => c.Status <= CaseStatus.OnHold);
        }

        if (filter.CategoryId is { } categoryId)
        {
            query = query.Where(c => c.CategoryId == categoryId);
        }

        if (filter.Priority is { } priority)
        {
            query = query.Where(c => c.Priority == priority);
        }

        if (!string.IsNullOrEmpty(filter.Assignee) && filter.EffectiveView != CaseListFilter.MineView)
        {
            query = filter.Assignee == "none" ? query.Where(c => c.AssignedToId == null) : query.Where(c => c.AssignedToId == filter.Assignee);
        }

        if (CaseNumber.TryParse(filter.Q) is { } number)
        {
            query = query.Where(c => c.Id == number);
        }
        else if (SearchText.Fold(filter.Q) is { Length: > 0 } text)
        {
            query = db.WhereTitleContains(query, text);
        }

        query = (sort.Key, sort.Descending) switch
        {
            ("number", false) => query.OrderBy(c => c.Id),
            ("number", true) => query.OrderByDescending(c => c.Id),
            ("title", false) => query.OrderBy(c => c.SearchTitle).ThenBy(c => c.Id),
            ("title", true) => query.OrderByDescending(c => c.SearchTitle).ThenByDescending(c => c.Id),
            // Within a status or priority, by last change: the order of the (Status|Priority, UpdatedAt, Id) indexes.
            ("status", false) => query.OrderBy(c => c.Status).ThenBy(c => c.UpdatedAt).ThenBy(c => c.Id),
            ("status", true) => query.OrderByDescending(c => c.Status).ThenByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id),
            ("priority", false) => query.OrderBy(c => c.Priority).ThenBy(c => c.UpdatedAt).ThenBy(c => c.Id),
            ("priority", true) => query.OrderByDescending(c => c.Priority).ThenByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id),
            ("updated", false) => query.OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id),
            _ => query.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id),
        };

        return await Rows(query).ToPageAsync(filter.Page, ct);
    }

    public Task<CaseDetails?> DetailsAsync(int id, CancellationToken ct) => DetailsQuery(id).SingleOrDefaultAsync(ct);

    private IQueryable<CaseDetails> DetailsQuery(int id) =>
        db.Cases.AsNoTracking()
            .Where(c => c.Id == id)
            .Select(c => new CaseDetails(
                c.Id, c.Title, c.Status, c.Priority, c.Origin, c.Description, c.Resolution,
                c.ContactId,
                db.Contacts.Where(p => p.Id == c.ContactId).Select(p => (p.FirstName ?? "") + " " + (p.LastName ?? "")).First(),
                c.AccountId,
                db.Accounts.Where(a => a.Id == c.AccountId).Select(a => a.Name).FirstOrDefault(),
                c.CategoryId,
                db.Categories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).First(),
                c.AssignedToId,
                db.Users.Where(u => u.Id == c.AssignedToId).Select(u => u.DisplayName).FirstOrDefault(),
                c.ParentId,
                db.Cases.Where(p => p.Id == c.ParentId).Select(p => p.Title).FirstOrDefault(),
                c.ChildCount,
                db.Users.Where(u => u.Id == c.CreatedById).Select(u => u.DisplayName).First(),
                c.CreatedAt,
                db.Users.Where(u => u.Id == c.UpdatedById).Select(u => u.DisplayName).First(),
                c.UpdatedAt,
                c.Version));

    public async Task<IReadOnlyList<ChildRow>> ChildrenAsync(int parentId, CancellationToken ct) =>
        await db.Cases.AsNoTracking()
            .Where(c => c.ParentId == parentId)
            .OrderBy(c => c.Id)
            .Select(c => new ChildRow(c.Id, c.Title, c.Status, c.Priority,
                db.Users.Where(u => u.Id == c.AssignedToId).Select(u => u.DisplayName).FirstOrDefault(), c.UpdatedAt))
            .ToListAsync(ct);

    public async Task<ContactRef?> ContactAsync(int contactId, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking()
            .Where(c => c.Id == contactId)
            .Select(c => new { c.Id, c.FirstName, c.LastName, c.AccountId })
            .SingleOrDefaultAsync(ct);
        return contact is null ? null : new ContactRef(contact.Id, Contact.FormatName(contact.FirstName, contact.LastName), contact.AccountId);
    }

    /// <summary>The active categories, plus the case's own when it has been deactivated since.</summary>
    public async Task<IReadOnlyList<CategoryOption>> CategoriesAsync(int? keep, CancellationToken ct)
    {
        if (_listLookups)
        {
            // Categories and active users in one UNION ALL, sorted by the database as the two queries would be.
            var rows = await db.Categories.AsNoTracking()
                .Where(c => c.IsActive || c.Id == keep)
                .Select(c => new { Kind = 0, Key = c.Id.ToString(), Name = c.Name })
                .Concat(db.Users.AsNoTracking().Where(u => u.IsActive).Select(u => new { Kind = 1, Key = u.Id, Name = u.DisplayName }))
                .OrderBy(r => r.Kind).ThenBy(r => r.Name)
                .ToListAsync(ct);
            _activeUsers = rows.Where(r => r.Kind == 1).Select(r => new UserOption(r.Key, r.Name)).ToList();
            return rows.Where(r => r.Kind == 0)
                .Select(r => new CategoryOption(int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture), r.Name))
                .ToList();
        }

        return await db.Categories.AsNoTracking()
            .Where(c => c.IsActive || c.Id == keep)
            .OrderBy(c => c.Name)
            .Select(c => new CategoryOption(c.Id, c.Name))
            .ToListAsync(ct);
    }

    /// <summary>The contact's active cases, so that the form can warn about a likely duplicate (at most 50).</summary>
    public async Task<IReadOnlyList<OpenCaseRef>> OpenCasesAsync(int contactId, int? exceptId, CancellationToken ct) =>
        await db.Cases.AsNoTracking()
            .Where(c => c.ContactId == contactId && c.Status <= CaseStatus.OnHold && c.Id != exceptId)
            .OrderByDescending(c => c.Id)
            .Take(50)
            .Select(c => new OpenCaseRef(c.Id, c.Title, c.CategoryId, db.Categories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).First()))
            .ToListAsync(ct);

    public async Task<IReadOnlyList<UserOption>> ActiveUsersAsync(CancellationToken ct) =>
        _activeUsers ?? await db.Users.AsNoTracking()
            .Where(u => u.IsActive)
            .OrderBy(u => u.DisplayName)
            .Select(u => new UserOption(u.Id, u.DisplayName))
            .ToListAsync(ct);

    /// <summary>Everything the case form shows besides the values: the choices of each select and the duplicate warning.</summary>
    public async Task<CaseFormModel> FormAsync(
        CaseDetails? existing, ContactRef contact, CaseForm form, string? returnUrl, CaseDetails? saved, CancellationToken ct, int? parentId = null)
    {
        // A closed case keeps its status here: closing and reopening have their own commands.
        IReadOnlyList<CaseStatus> statuses = existing is null
            ? AllStatuses
            : existing.IsActive ? CaseStatuses.Active : [existing.Status];
        return new CaseFormModel(
            existing?.Id,
            contact,
            form,
            await accounts.OptionsAsync([form.AccountId, contact.AccountId, existing?.AccountId], form.AccountSearch, ct),
            await CategoriesAsync(existing?.CategoryId ?? form.CategoryId, ct),
            statuses,
            await OpenCasesAsync(contact.Id, existing?.Id ?? parentId, ct),
            returnUrl,
            saved,
            parentId);
    }

    /// <summary>
    /// "Registros de búsqueda": cases that could become children of <paramref name="parentId"/>, by number, title or
    /// contact. Closed cases and parents are never offered; child cases only when the setting includes them
    /// (they are shown, marked, but cannot be added).
    /// </summary>
    public async Task<IReadOnlyList<LookupRow>> LookupAsync(int parentId, string? text, bool includeChildren, CancellationToken ct)
    {
        var query = db.Cases.AsNoTracking()
            .Where(c => c.Id != parentId && c.Status <= CaseStatus.OnHold && c.ChildCount == 0);
        if (!includeChildren)
        {
            query = query.Where(c => c.ParentId == null);
        }

        if (CaseNumber.TryParse(text) is { } number)
        {
            query = query.Where(c => c.Id == number);
        }
        else if (SearchText.Fold(text) is { Length: > 0 } folded)
        {
            var byTitle = db.WhereTitleContains(db.Cases, folded).Select(c => c.Id);
            if (SearchText.SearchWords(text) is { Count: > 0 } words)
            {
                var byContact = db.ContactSearchTermsMatching(words).Select(t => t.ContactId);
                query = query.Where(c => byTitle.Contains(c.Id) || byContact.Contains(c.ContactId));
            }
            else
            {
                query = query.Where(c => byTitle.Contains(c.Id));
            }
        }

        return await query
            .OrderByDescending(c => c.Id)
            .Take(20)
            .Select(c => new LookupRow(c.Id, c.Title, c.Status,
                db.Contacts.Where(p => p.Id == c.ContactId).Select(p => (p.FirstName ?? "") + " " + (p.LastName ?? "")).First(),
                c.ParentId))
            .ToListAsync(ct);
    }

    /// <summary>The cases selected in the list, in the order of their numbers.</summary>
    public async Task<IReadOnlyList<CaseRow>> SelectedAsync(IReadOnlyCollection<int> ids, CancellationToken ct) =>
        await Rows(db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id)).ToListAsync(ct);

    /// <summary>The list's row of each case: the names (category, contact, assignee) as scalar subqueries of the same statement.</summary>
    private IQueryable<CaseRow> Rows(IQueryable<Case> cases) =>
        cases.Select(c => new CaseRow(
            c.Id, c.Title, c.Status, c.Priority,
            db.Categories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).First(),
            c.ContactId,
            db.Contacts.Where(p => p.Id == c.ContactId).Select(p => (p.FirstName ?? "") + " " + (p.LastName ?? "")).First(),
            db.Users.Where(u => u.Id == c.AssignedToId).Select(u => u.DisplayName).FirstOrDefault(),
            c.UpdatedAt, c.ParentId, c.ChildCount));

    /// <summary>Everything the case page shows for the chosen tab; null when the case does not exist.</summary>
    public async Task<CaseDetailsModel?> DetailsPageAsync(int id, string? tab, bool add, string? find, bool canManage, CancellationToken ct, string? commentDraft = null)
    {
        // The case and the two settings the page needs, in one round trip.
        var found = await DetailsQuery(id)
            .Select(d => new
            {
                Case = d,
                MaxChildren = db.ParentChildSettings.Where(s => s.Id == ParentChildSettings.SingletonId).Select(s => (int?)s.MaxChildren).FirstOrDefault(),
                LookupsIncludeChildren = db.ParentChildSettings.Where(s => s.Id == ParentChildSettings.SingletonId)
                    .Select(s => (bool?)s.LookupsIncludeChildren).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }

        var item = found.Case;
        var defaults = new ParentChildSettings();
        var settings = new ParentChildSettings
        {
            MaxChildren = found.MaxChildren ?? defaults.MaxChildren,
            LookupsIncludeChildren = found.LookupsIncludeChildren ?? defaults.LookupsIncludeChildren,
        };
        var refusals = CaseFamilyRules.CheckCanTakeChildren(item.Id, item.ParentId, item.Status, item.ChildCount, 1, settings.MaxChildren);
        switch (tab)
        {
            case CaseDetailsModel.RelationsTab:
                return new CaseDetailsModel(item, CaseDetailsModel.RelationsTab, refusals)
                {
                    Children = item.ChildCount > 0 ? await ChildrenAsync(id, ct) : [],
                    Lookup = add && refusals.Count == 0 && canManage ? await LookupAsync(id, find, settings.LookupsIncludeChildren, ct) : null,
                    LookupText = find,
                };
            case CaseDetailsModel.HistoryTab:
                var history = await HistoryAsync(id, ct);
                return new CaseDetailsModel(item, CaseDetailsModel.HistoryTab, refusals)
                {
                    History = history,
                    HistoryNames = await HistoryNamesAsync(history, ct),
                };
            default:
                return new CaseDetailsModel(item, CaseDetailsModel.DetailsTab, refusals)
                {
                    Comments = await CommentsAsync(id, ct),
                    Attachments = await AttachmentsAsync(id, ct),
                    Assignees = canManage ? await ActiveUsersAsync(ct) : [],
                    CommentDraft = commentDraft,
                };
        }
    }

    public async Task<IReadOnlyList<CommentRow>> CommentsAsync(int caseId, CancellationToken ct) =>
        await db.CaseComments.AsNoTracking()
            .Where(c => c.CaseId == caseId)
            .OrderByDescending(c => c.Id)
            .Take(200)
            .Select(c => new CommentRow(c.Id, c.AuthorId, db.Users.Where(u => u.Id == c.AuthorId).Select(u => u.DisplayName).First(), c.Body, c.CreatedAt, c.EditedAt))
            .ToListAsync(ct);

    public async Task<IReadOnlyList<AttachmentRow>> AttachmentsAsync(int caseId, CancellationToken ct) =>
        await db.CaseAttachments.AsNoTracking()
            .Where(a => a.CaseId == caseId)
            .OrderByDescending(a => a.Id)
            .Select(a => new AttachmentRow(a.Id, a.FileName, a.Size, a.UploadedById, db.Users.Where(u => u.Id == a.UploadedById).Select(u => u.DisplayName).First(), a.UploadedAt))
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

    public async Task<ParentChildSettings> SettingsAsync(CancellationToken ct) =>
        await db.ParentChildSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == ParentChildSettings.SingletonId, ct)
        ?? new ParentChildSettings();
}

public sealed record LookupRow(int Id, string Title, CaseStatus Status, string ContactName, int? ParentId)
{
    public string Number => CaseNumber.Format(Id);
}

/// <summary>The case page: its fields, the command bar's state and the content of the chosen tab.</summary>
public sealed record CaseDetailsModel(
    CaseDetails Case,
    string Tab,
    IReadOnlyList<CaseRuleViolation> ChildRefusals)
{
    public const string DetailsTab = "details";
    public const string RelationsTab = "relations";
    public const string HistoryTab = "history";

    public IReadOnlyList<ChildRow> Children { get; init; } = [];
    public IReadOnlyList<LookupRow>? Lookup { get; init; }
    public string? LookupText { get; init; }
    public IReadOnlyList<CommentRow> Comments { get; init; } = [];
    public IReadOnlyList<AttachmentRow> Attachments { get; init; } = [];
    public IReadOnlyList<UserOption> Assignees { get; init; } = [];
    public IReadOnlyList<HistoryRow> History { get; init; } = [];
    public HistoryNames? HistoryNames { get; init; }
    public string? CommentDraft { get; init; }

    public bool CanHaveChildren => ChildRefusals.Count == 0;
}

public sealed record CommentRow(int Id, string AuthorId, string AuthorName, string Body, DateTime CreatedAt, DateTime? EditedAt);

public sealed record AttachmentRow(int Id, string FileName, long Size, string UploadedById, string UploaderName, DateTime UploadedAt);

public sealed record HistoryRow(long Id, string UserName, DateTime At, HistoryField Field, string? OldValue, string? NewValue);

/// <summary>Names for the ids that history values hold (categories, accounts, users).</summary>
public sealed record HistoryNames(IReadOnlyDictionary<string, string> Categories, IReadOnlyDictionary<string, string> Accounts, IReadOnlyDictionary<string, string> Users);

