using System.Linq.Expressions;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.Domain.Text;
using CaseCrm.Web.Infrastructure;
using CaseCrm.Web.Features.Accounts;
using CaseCrm.Web.Features.CaseFamily;
using CaseCrm.Web.Features.CaseWork;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

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

    /// <summary>"atrisk" or "breached": the cases whose pending service-level target is at risk or overdue now.</summary>
    public string? Sla { get; set; }

    /// <summary>A <see cref="BacklogAge"/> key: cases created within that bucket's days ago.</summary>
    public string? Age { get; set; }

    public string? Q { get; set; }
    public string? Sort { get; set; }
    public string? Dir { get; set; }
    public int Page { get; set; } = 1;

    /// <summary>Rows a page: 25, 50 or 100 (<see cref="Paging.Sizes"/>).</summary>
    public int? Size { get; set; }

    public string EffectiveView => View is MineView or AllView ? View : ActiveView;
}

public sealed record CaseRow(
    int Id, string Title, CaseStatus Status, CasePriority? Priority, string CategoryName, int ContactId, string ContactName,
    string? AssigneeName, DateTime UpdatedAt, int? ParentId, int ChildCount, DateTime? DueAt, DateTime? AtRiskAt)
{
    public string Number => CaseNumber.Format(Id);

    /// <summary>The state of the case's pending target ("Vence"); None when it has no due time running.</summary>
    public ServiceLevelState DueState(DateTime now) => DueAt is { } due ? ServiceLevelStates.Running(due, AtRiskAt, now) : ServiceLevelState.None;
}

/// <summary>
/// Where a keyset page of the case list starts: the sort's values of the last row shown and its id
/// (<see cref="CaseQueries.AfterAsync"/>). <see cref="At"/> is the last change, or the due time for "due".
/// </summary>
public sealed record CaseListKey(int Id, DateTime? At = null, CaseStatus? Status = null, string? Title = null, CasePriority? Priority = null)
{
    /// <summary>The key of <paramref name="row"/> in the sort <paramref name="sortKey"/> (one of <see cref="CaseQueries.KeysetSortKeys"/>).</summary>
    public static CaseListKey Of(CaseRow row, string sortKey) => sortKey switch
    {
        "number" => new(row.Id),
        // The stored search title is the title folded so (Case.SearchTitle).
        "title" => new(row.Id, Title: SearchText.Fold(row.Title, Domain.Limits.CaseTitle)),
        "status" => new(row.Id, row.UpdatedAt, row.Status),
        "priority" => new(row.Id, row.UpdatedAt, Priority: row.Priority),
        // Case.DueSort: the due time, or after every due time when there is none.
        "due" => new(row.Id, row.DueAt ?? Case.NoDueTime),
        _ => new(row.Id, row.UpdatedAt),
    };
}

public sealed record CaseDetails(
    int Id, string Title, CaseStatus Status, CasePriority? Priority, CaseOrigin? Origin, string Description, string? Resolution,
    int ContactId, string ContactName, int? AccountId, string? AccountName, int CategoryId, string CategoryName,
    string? AssignedToId, string? AssigneeName, int? ParentId, string? ParentTitle, int ChildCount,
    string CreatedByName, DateTime CreatedAt, string UpdatedByName, DateTime UpdatedAt, int Version, CaseClock Clock,
    int? MergedIntoId, IReadOnlyList<int> MergedFromIds)
{
    public string Number => CaseNumber.Format(Id);
    public bool IsActive => Status.IsActive();
    public bool IsMerged => MergedIntoId is not null;
}

/// <summary>What the case page shows of the service-level clock (the stored columns of Case.ServiceLevel.cs).</summary>
public sealed record CaseClock(
    CaseStatus Status, bool Running, int SpentSeconds, int AtRiskPercent,
    int? FirstResponseTargetMinutes, DateTime? FirstRespondedAt, int? FirstResponseSeconds, DateTime? FirstResponseDueAt, DateTime? FirstResponseAtRiskAt,
    int? ResolutionTargetMinutes, DateTime? ResolvedAt, int? ResolutionSeconds, DateTime? ResolutionDueAt, DateTime? ResolutionAtRiskAt)
{
    public bool HasTargets => FirstResponseTargetMinutes is not null || ResolutionTargetMinutes is not null;

    public bool CaseIsActive => Status.IsActive();

    public ServiceLevelState FirstResponse(DateTime now) => ServiceLevelStates.Of(
        FirstResponseTargetMinutes, FirstRespondedAt is not null, FirstResponseSeconds, FirstResponseDueAt, FirstResponseAtRiskAt,
        CaseIsActive, SpentSeconds, AtRiskPercent, now);

    public ServiceLevelState Resolution(DateTime now) => ServiceLevelStates.Of(
        ResolutionTargetMinutes, ResolvedAt is not null, ResolutionSeconds, ResolutionDueAt, ResolutionAtRiskAt,
        CaseIsActive, SpentSeconds, AtRiskPercent, now);

    /// <summary>Working minutes of a target left while the clock stands (On hold); null while it runs.</summary>
    public int? MinutesLeftWhilePaused(int? targetMinutes) =>
        targetMinutes is { } target && !Running && CaseIsActive ? ((target * 60) - SpentSeconds) / 60 : null;
}

public sealed record ContactRef(int Id, string Name, int? AccountId);

public sealed record OpenCaseRef(int Id, string Title, int CategoryId, string CategoryName)
{
    public string Number => CaseNumber.Format(Id);
}

/// <summary>
/// One branch of the case list's bounded read (CaseQueries.Bounded): the matching cases of one status and, when
/// <paramref name="ByPriority"/>, one priority (null: none) — one range of the list's indexes, in the sort's order.
/// </summary>
internal sealed record CaseBranch(CaseStatus Status, bool ByPriority, CasePriority? Priority)
{
    public IQueryable<Case> Of(IQueryable<Case> query)
    {
        var status = Status;
        query = query.Where(c => c.Status == status);
        if (!ByPriority)
        {
            return query;
        }

        if (Priority is { } value)
        {
            return query.Where(c => c.Priority == value);
        }

        return query.Where(c => c.Priority == null);
    }

    /// <summary>
    /// Where this branch stands against a keyset page's last row: -1 when all of it comes before (skipped), 1 when all of
    /// it comes after (read from its start), 0 when the key falls in it (read from the key on). Updated and due sorts: 0.
    /// </summary>
    public int Place(SortOrder sort, CaseListKey key, bool nullsFirstAscending)
    {
        var order = sort.Key switch
        {
            "status" => ((int)Status).CompareTo((int)(key.Status ?? default)),
            "priority" => Rank(Priority, nullsFirstAscending).CompareTo(Rank(key.Priority, nullsFirstAscending)),
            _ => 0,
        };
        return sort.Descending ? -order : order;
    }

    /// <summary>The place of a priority in an ascending sort: none first or last, as the database orders NULL.</summary>
    private static int Rank(CasePriority? priority, bool nullsFirst) => priority is { } p ? (int)p : nullsFirst ? int.MinValue : int.MaxValue;
}

/// <summary>The reads of the case pages: the list, the form, the case page and its tabs.</summary>
public sealed class CaseQueries(
    CrmDbContext db, AccountLookup accounts, ReferenceData reference, CaseFamilyQueries family, CaseWorkQueries work, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> SortKeys = ["number", "title", "status", "priority", "due", "updated"];

    public const string AtRisk = "atrisk";
    public const string Breached = "breached";

    /// <summary>
    /// A page of the list with its capped count, in one statement. The query of a list's shape (its view, which filters,
    /// the sort: <see cref="CaseListShape"/>) is compiled once and run with the request's values (ADR 0036); a search by
    /// title is built for each request (its text goes to the provider's full-text query).
    /// </summary>
    public async Task<Page<CaseRow>> ListAsync(CaseListFilter filter, SortOrder sort, string? currentUserId, CancellationToken ct)
    {
        var size = Paging.SizeOf(filter.Size);
        var number = Paging.Clamp(filter.Page, size);
        var args = ArgsOf(filter, currentUserId, Paging.Skip(number, size), size + 1);
        var compiled = CaseListShape.Of(filter, sort, args, db) is { } shape ? CaseListShape.Compiled(shape, () => PageQuery(filter, sort, args)) : null;
        var read = compiled is not null ? await compiled.ReadAsync(db, args, ct) : await PageQuery(filter, sort, args).ToListAsync(ct);
        return Paging.ToCountedPage(read, number, size);
    }

    /// <summary>The rows of the list's page, each with the capped count of its matches (<see cref="ListAsync"/>).</summary>
    private IQueryable<Counted<CaseRow>> PageQuery(CaseListFilter filter, SortOrder sort, CaseListArgs args)
    {
        var matches = Filtered(filter, args);
        return Paging.WithCount(Rows(Bounded(db, matches, Filtered(filter, args, byStatus: false), filter, sort, after: null, args)), matches);
    }

    /// <summary>The values of a request of the list that its query reads (<see cref="CaseListArgs"/>).</summary>
    private CaseListArgs ArgsOf(CaseListFilter filter, string? currentUserId, int skip, int take)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var age = BacklogAge.Find(filter.Age);
        return new CaseListArgs
        {
            UserId = currentUserId,
            CategoryId = filter.CategoryId ?? 0,
            Assignee = filter.Assignee,
            CreatedBefore = age?.CreatedBefore(now) ?? default,
            CreatedFrom = age?.CreatedFrom(now) ?? default,
            Now = now,
            Number = CaseNumber.TryParse(filter.Q) ?? 0,
            Skip = skip,
            Take = take,
        };
    }

    /// <summary>The sorts a keyset page can follow (the API's cursor): every sort of the list.</summary>
    public static readonly IReadOnlyList<string> KeysetSortKeys = ["updated", "due", "number", "status", "priority", "title"];

    /// <summary>
    /// The list's rows that follow <paramref name="after"/> (the last row of the previous page; null for the first page) in
    /// <paramref name="sort"/>, with the same view and filters as <see cref="ListAsync"/>: keyset paging, at most
    /// <paramref name="take"/> rows, no count. One statement, whichever page: it starts where the sort's index says.
    /// </summary>
    public async Task<IReadOnlyList<CaseRow>> AfterAsync(
        CaseListFilter filter, SortOrder sort, CaseListKey? after, int take, string? currentUserId, CancellationToken ct)
    {
        var args = ArgsOf(filter, currentUserId, 0, take);
        var matches = Filtered(filter, args);
        return await Rows(Bounded(db, matches, Filtered(filter, args, byStatus: false), filter, sort, after, args)).ToListAsync(ct);
    }

    /// <summary>
    /// Rows <see cref="CaseListArgs.Skip"/> to <see cref="CaseListArgs.Reach"/> of <paramref name="matches"/> in
    /// <paramref name="sort"/> (after <paramref name="after"/>, for a keyset page), read so that the index entries read stay
    /// within a constant times that many whatever the data's distribution (ADR 0031): the list's indexes lead with the
    /// category and/or assignee, then Status and Priority, then the sort column; a filter that leaves the status or the
    /// priority open is read as one branch per value (UNION ALL), each the first rows of one index range in the sort's
    /// order, merged by the outer ORDER BY … LIMIT. Rows and order are those of <see cref="Sorted"/> on the whole set.
    /// <paramref name="matches"/> must be <paramref name="filter"/>'s cases (the start page's "my open cases" are Mis casos),
    /// and <paramref name="anyStatus"/> the same without the condition on the status: each branch says its own (a
    /// redundant <c>Status IN (…)</c> beside it made PostgreSQL walk another index in a test).
    /// </summary>
    public static IQueryable<Case> Bounded(CrmDbContext db, IQueryable<Case> matches, IQueryable<Case> anyStatus, CaseListFilter filter, SortOrder sort, CaseListKey? after, CaseListArgs args)
    {
        var branches = Branches(filter, sort, keyset: after is not null);
        // The cases without a priority come first in an ascending sort on SQLite and SQL Server, last on PostgreSQL.
        var nullsFirst = db.Database.IsNpgsql() == sort.Descending;
        if (branches is { Count: 1 } && after is null)
        {
            // One index range holds the page (status and priority fixed, or the priority sort of one status).
            return BranchSorted(matches, filter, sort).Skip(args.Skip).Take(args.Take);
        }

        if (branches is null)
        {
            if (WalksSortIndex(filter, sort))
            {
                matches = matches.Where(c => c.Id != 0);
            }

            if (after is not null)
            {
                matches = sort.Key == "priority" ? AfterPriority(matches, sort.Descending, after, nullsFirst) : After(matches, sort, after);
            }

            return Sorted(matches, sort).Skip(args.Skip).Take(args.Take);
        }

        IQueryable<Case>? union = null;
        foreach (var branch in branches)
        {
            var place = after is null ? 0 : branch.Place(sort, after, nullsFirstAscending: !db.Database.IsNpgsql());
            if (place < 0)
            {
                // The whole branch comes before the keyset's last row: nothing of it is on this page.
                continue;
            }

            var part = branch.Of(anyStatus);
            if (place == 0 && after is not null)
            {
                part = WithinValue(part, sort, after);
            }

            part = BranchSorted(part, filter, sort).Take(args.Reach);
            union = union is null ? part : union.Concat(part);
        }

        if (union is null)
        {
            return Sorted(matches, sort).Take(0);
        }

        // The branches merge their keys only (Id and the sort's columns, from the indexes); the page's rows are then read
        // by id, so the names and the count are looked up for the page alone, not for every row of every branch.
        var page = Sorted(union, sort).Skip(args.Skip).Take(args.Take).Select(Key.Id);
        return Sorted(db.Cases.AsNoTracking().Where(c => page.Contains(c.Id)), sort);
    }

    /// <summary>
    /// A branch's order: its index's own — the category and the assignee when the filter fixes them, Status, Priority, the
    /// sort column, Id. All but the last two are one value within a branch, so this is <see cref="Sorted"/>'s order there;
    /// saying them lets PostgreSQL see that the index gives the order when one of them is NULL ("none", unassigned):
    /// <c>IS NULL</c> does not make a column constant for its planner, which would otherwise walk another index.
    /// </summary>
    private static IQueryable<Case> BranchSorted(IQueryable<Case> query, CaseListFilter filter, SortOrder sort)
    {
        var desc = sort.Descending;
        IOrderedQueryable<Case>? ordered = null;
        if (filter.CategoryId is not null)
        {
            ordered = Then(query, ordered, Key.Category, desc);
        }

        if (filter.EffectiveView == CaseListFilter.MineView || !string.IsNullOrEmpty(filter.Assignee))
        {
            ordered = Then(query, ordered, Key.Assignee, desc);
        }

        ordered = Then(query, Then(query, ordered, Key.Status, desc), Key.Priority, desc);
        ordered = Then(query, ordered, sort.Key == "due" ? Key.Due : Key.Updated, desc);
        return Then(query, ordered, Key.Id, desc);
    }

    private static IOrderedQueryable<Case> Then<TKey>(IQueryable<Case> query, IOrderedQueryable<Case>? ordered, Expression<Func<Case, TKey>> key, bool descending) =>
        ordered is null
            ? descending ? query.OrderByDescending(key) : query.OrderBy(key)
            : descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key);

    private static readonly IReadOnlyList<CaseStatus> AllStatuses = Enum.GetValues<CaseStatus>();

    /// <summary><c>Status IN (1, 2, …)</c> of every status, as constants (like <see cref="CaseStatuses.IsActiveCase"/>).</summary>
    private static readonly Expression<Func<Case, bool>> AnyStatus = CaseStatuses.In(AllStatuses);

    /// <summary>The priorities a case can have, "none" (null) included.</summary>
    private static readonly IReadOnlyList<CasePriority?> AllPriorities = [null, .. Enum.GetValues<CasePriority>().Select(p => (CasePriority?)p)];

    /// <summary>
    /// The branches of <see cref="Bounded"/> for this filter and sort (one when a single index range holds the page: the
    /// status and the priority fixed, or the priority sort of one status), or null for the title and number sorts, which
    /// are not split (their indexes lead with the title or the id: docs/performance.md), and for the unfiltered "all" view
    /// by last change or due time (one index walk).
    /// </summary>
    private static List<CaseBranch>? Branches(CaseListFilter filter, SortOrder sort, bool keyset)
    {
        if (sort.Key is not ("updated" or "due" or "status" or "priority"))
        {
            return null;
        }

        if (WalksSortIndex(filter, sort))
        {
            return null;
        }

        var openStatus = filter.Status is null && filter.EffectiveView == CaseListFilter.AllView;

        IReadOnlyList<CaseStatus> statuses = filter.Status is { } status ? [status] : openStatus ? AllStatuses : CaseStatuses.Active;
        // The priority sort reads each status's range in (Priority, sort) order already; a keyset page splits it too, to
        // start each priority where the key says.
        var splitPriority = filter.Priority is null && (sort.Key != "priority" || keyset);
        IReadOnlyList<CasePriority?> priorities = filter.Priority is { } priority ? [priority] : splitPriority ? AllPriorities : [];
        var branches = priorities.Count == 0
            ? statuses.Select(s => new CaseBranch(s, false, null)).ToList()
            : statuses.SelectMany(s => priorities.Select(p => new CaseBranch(s, true, p))).ToList();
        return branches;
    }

    /// <summary>
    /// The "all" view without a filter, by last change or due time: one walk of (UpdatedAt, Id) or (DueSort, Id), where every
    /// entry is a row of the list; thirty branches would read thirty times the page and cost PostgreSQL their planning
    /// (ADR 0033). Those two indexes are partial, <c>"Id" &lt;&gt; 0</c> (true of every case): only a query that says so can
    /// use them, so a branch of a filtered list is never read by walking them and skipping the other cases.
    /// </summary>
    private static bool WalksSortIndex(CaseListFilter filter, SortOrder sort) =>
        filter.EffectiveView == CaseListFilter.AllView && filter.Status is null && filter.Priority is null && filter.CategoryId is null
        && string.IsNullOrEmpty(filter.Assignee) && sort.Key is ("updated" or "due");

    /// <summary>The cases of one branch's value that come after <paramref name="key"/>: beyond it in (sort column, Id).</summary>
    private static IQueryable<Case> WithinValue(IQueryable<Case> query, SortOrder sort, CaseListKey key) =>
        After(query, new SortOrder(sort.Key == "due" ? "due" : "updated", sort.Descending), key);

    /// <summary>
    /// The cases that come after <paramref name="key"/> in <paramref name="sort"/> (the order of <see cref="Sorted"/>, its id
    /// as the tie-break). The last change and due time are bounded on their own as well (<c>UpdatedAt &lt;= at AND …</c>),
    /// so that the databases start the index range at the key instead of filtering from its start.
    /// </summary>
    private static IQueryable<Case> After(IQueryable<Case> query, SortOrder sort, CaseListKey key)
    {
        var id = key.Id;
        var at = DateTime.SpecifyKind(key.At ?? default, DateTimeKind.Utc);
        var status = key.Status ?? default;
        var title = key.Title ?? string.Empty;
        return (sort.Key, sort.Descending) switch
        {
            ("number", false) => query.Where(c => c.Id > id),
            ("number", true) => query.Where(c => c.Id < id),
            ("title", false) => query.Where(c => c.SearchTitle.CompareTo(title) > 0 || (c.SearchTitle == title && c.Id > id)),
            ("title", true) => query.Where(c => c.SearchTitle.CompareTo(title) < 0 || (c.SearchTitle == title && c.Id < id)),
            ("status", false) => query.Where(c => c.Status > status || (c.Status == status && (c.UpdatedAt > at || (c.UpdatedAt == at && c.Id > id)))),
            ("status", true) => query.Where(c => c.Status < status || (c.Status == status && (c.UpdatedAt < at || (c.UpdatedAt == at && c.Id < id)))),
            ("due", false) => query.Where(c => c.DueSort >= at && (c.DueSort > at || c.Id > id)),
            ("due", true) => query.Where(c => c.DueSort <= at && (c.DueSort < at || c.Id < id)),
            ("updated", false) => query.Where(c => c.UpdatedAt >= at && (c.UpdatedAt > at || c.Id > id)),
            ("updated", true) => query.Where(c => c.UpdatedAt <= at && (c.UpdatedAt < at || c.Id < id)),
            _ => throw new ArgumentException($"The sort {sort.Key} is not paged by a keyset.", nameof(sort)),
        };
    }

    /// <summary>
    /// The cases after <paramref name="key"/> in the priority sort: the block of cases without a priority (first or last,
    /// as the database orders NULL), the others by priority, and within one priority (or none) by last change and id.
    /// </summary>
    private static IQueryable<Case> AfterPriority(IQueryable<Case> query, bool descending, CaseListKey key, bool nullsFirst)
    {
        var id = key.Id;
        var at = DateTime.SpecifyKind(key.At ?? default, DateTimeKind.Utc);
        var p = key.Priority;
        return (p is null, nullsFirst, descending) switch
        {
            // After a case without a priority: the rest of that block, then (when it comes first) every case with one.
            (true, true, false) => query.Where(c => (c.Priority == null && (c.UpdatedAt > at || (c.UpdatedAt == at && c.Id > id))) || c.Priority != null),
            (true, true, true) => query.Where(c => (c.Priority == null && (c.UpdatedAt < at || (c.UpdatedAt == at && c.Id < id))) || c.Priority != null),
            (true, false, false) => query.Where(c => c.Priority == null && (c.UpdatedAt > at || (c.UpdatedAt == at && c.Id > id))),
            (true, false, true) => query.Where(c => c.Priority == null && (c.UpdatedAt < at || (c.UpdatedAt == at && c.Id < id))),
            // After a case with a priority: the later priorities, the rest of its own, then (when it comes last) the block without.
            (false, true, false) => query.Where(c => c.Priority > p || (c.Priority == p && (c.UpdatedAt > at || (c.UpdatedAt == at && c.Id > id)))),
            (false, true, true) => query.Where(c => c.Priority < p || (c.Priority == p && (c.UpdatedAt < at || (c.UpdatedAt == at && c.Id < id)))),
            (false, false, false) => query.Where(c => c.Priority > p || (c.Priority == p && (c.UpdatedAt > at || (c.UpdatedAt == at && c.Id > id))) || c.Priority == null),
            (false, false, true) => query.Where(c => c.Priority < p || (c.Priority == p && (c.UpdatedAt < at || (c.UpdatedAt == at && c.Id < id))) || c.Priority == null),
        };
    }

    /// <summary>Every row of the list with its filters and sort, read as it is written out ("Exportar CSV"): one statement, not tracked.</summary>
    public IAsyncEnumerable<CaseRow> ExportAsync(CaseListFilter filter, SortOrder sort, string? currentUserId) =>
        Rows(Sorted(Filtered(filter, ArgsOf(filter, currentUserId, 0, 0)), sort)).AsAsyncEnumerable();

    /// <summary>
    /// The cases of the list's view and filters: the one place both the list and its export take them from. Without
    /// <paramref name="byStatus"/>, every status (the branches of <see cref="Bounded"/> add theirs).
    /// </summary>
    private IQueryable<Case> Filtered(CaseListFilter filter, CaseListArgs args, bool byStatus = true)
    {
        var query = db.Cases.AsNoTracking();
        if (filter.EffectiveView == CaseListFilter.MineView)
        {
            query = query.Where(c => c.AssignedToId == args.UserId);
        }

        if (!byStatus)
        {
            // The statuses are said by each branch of a bounded read (Bounded).
        }
        else if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }
        else if (filter.EffectiveView != CaseListFilter.AllView)
        {
            query = query.Where(CaseStatuses.IsActiveCase);
        }
        else if (filter.CategoryId is not null || filter.Priority is not null || !string.IsNullOrEmpty(filter.Assignee))
        {
            // Always true, but as constants it makes the filter a set of ranges of the list's indexes (Status follows the
            // category and assignee, leads before the priority): the count reads the matching entries, not the index.
            query = query.Where(AnyStatus);
        }

        if (filter.CategoryId is not null)
        {
            query = query.Where(c => c.CategoryId == args.CategoryId);
        }

        if (filter.Priority is { } priority)
        {
            query = query.Where(c => c.Priority == priority);
        }

        if (!string.IsNullOrEmpty(filter.Assignee) && filter.EffectiveView != CaseListFilter.MineView)
        {
            query = filter.Assignee == "none" ? query.Where(c => c.AssignedToId == null) : query.Where(c => c.AssignedToId == args.Assignee);
        }

        if (BacklogAge.Find(filter.Age) is { } age)
        {
            query = query.Where(c => c.CreatedAt < args.CreatedBefore);
            if (age.ToDays is not null)
            {
                query = query.Where(c => c.CreatedAt >= args.CreatedFrom);
            }
        }

        // Service levels: ranges of the due-time index (at risk: due later, at-risk moment passed; breached: due passed).
        if (filter.Sla is AtRisk or Breached)
        {
            query = filter.Sla == AtRisk
                ? query.Where(c => c.DueAt > args.Now && c.AtRiskAt <= args.Now)
                : query.Where(c => c.DueAt <= args.Now);
        }

        if (CaseNumber.TryParse(filter.Q) is not null)
        {
            query = query.Where(c => c.Id == args.Number);
        }
        else if (SearchText.Fold(filter.Q) is { Length: > 0 } text)
        {
            query = db.WhereTitleContains(query, text);
        }

        return query;
    }

    private static IOrderedQueryable<Case> Sorted(IQueryable<Case> query, SortOrder sort) =>
        (sort.Key, sort.Descending) switch
        {
            ("number", false) => query.OrderBy(Key.Id),
            ("number", true) => query.OrderByDescending(Key.Id),
            ("title", false) => query.OrderBy(Key.Title).ThenBy(Key.Id),
            ("title", true) => query.OrderByDescending(Key.Title).ThenByDescending(Key.Id),
            // Within a status or priority, by last change: the order of the (…, Status, Priority, UpdatedAt, Id) indexes.
            ("status", false) => query.OrderBy(Key.Status).ThenBy(Key.Updated).ThenBy(Key.Id),
            ("status", true) => query.OrderByDescending(Key.Status).ThenByDescending(Key.Updated).ThenByDescending(Key.Id),
            ("priority", false) => query.OrderBy(Key.Priority).ThenBy(Key.Updated).ThenBy(Key.Id),
            ("priority", true) => query.OrderByDescending(Key.Priority).ThenByDescending(Key.Updated).ThenByDescending(Key.Id),
            // Soonest due first, the cases without a running due time last (DueSort, indexed).
            ("due", false) => query.OrderBy(Key.Due).ThenBy(Key.Id),
            ("due", true) => query.OrderByDescending(Key.Due).ThenByDescending(Key.Id),
            ("updated", false) => query.OrderBy(Key.Updated).ThenBy(Key.Id),
            _ => query.OrderByDescending(Key.Updated).ThenByDescending(Key.Id),
        };

    /// <summary>
    /// The lists' sort keys, each tree built once: a lambda written in place is built anew on every call, looking its
    /// property up by reflection (<see cref="RowOf"/>).
    /// </summary>
    private static class Key
    {
        public static readonly Expression<Func<Case, int>> Id = c => c.Id;
        public static readonly Expression<Func<Case, string>> Title = c => c.SearchTitle;
        public static readonly Expression<Func<Case, int>> Category = c => c.CategoryId;
        public static readonly Expression<Func<Case, string?>> Assignee = c => c.AssignedToId;
        public static readonly Expression<Func<Case, CaseStatus>> Status = c => c.Status;
        public static readonly Expression<Func<Case, CasePriority?>> Priority = c => c.Priority;
        public static readonly Expression<Func<Case, DateTime>> Due = c => c.DueSort;
        public static readonly Expression<Func<Case, DateTime>> Updated = c => c.UpdatedAt;
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
                c.Version,
                new CaseClock(
                    c.Status, c.ClockRunningSince != null, c.ClockSpentSeconds, c.AtRiskPercent,
                    c.FirstResponseTargetMinutes, c.FirstRespondedAt, c.FirstResponseSeconds, c.FirstResponseDueAt, c.FirstResponseAtRiskAt,
                    c.ResolutionTargetMinutes, c.ResolvedAt, c.ResolutionSeconds, c.ResolutionDueAt, c.ResolutionAtRiskAt),
                c.MergedIntoId,
                db.Cases.Where(m => m.MergedIntoId == c.Id).OrderBy(m => m.Id).Select(m => m.Id).ToList()));

    /// <summary>The case that <paramref name="userId"/> created with the submission key <paramref name="key"/> (the API's Idempotency-Key), if any.</summary>
    public async Task<int?> SubmittedAsync(string userId, Guid key, CancellationToken ct) =>
        await db.Cases.AsNoTracking()
            .Where(c => c.CreatedById == userId && c.SubmissionKey == key)
            .Select(c => (int?)c.Id)
            .SingleOrDefaultAsync(ct);

    public async Task<ContactRef?> ContactAsync(int contactId, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking()
            .Where(c => c.Id == contactId)
            .Select(c => new { c.Id, c.FirstName, c.LastName, c.AccountId })
            .SingleOrDefaultAsync(ct);
        return contact is null ? null : new ContactRef(contact.Id, Contact.FormatName(contact.FirstName, contact.LastName), contact.AccountId);
    }

    /// <summary>The active categories, plus the case's own when it has been deactivated since.</summary>
    public Task<IReadOnlyList<CategoryOption>> CategoriesAsync(int? keep, CancellationToken ct) => reference.CategoriesAsync(keep, ct);

    /// <summary>The contact's active cases, so that the form can warn about a likely duplicate (at most 50).</summary>
    public async Task<IReadOnlyList<OpenCaseRef>> OpenCasesAsync(int contactId, int? exceptId, CancellationToken ct) =>
        await db.Cases.AsNoTracking()
            .Where(c => c.ContactId == contactId && c.Id != exceptId)
            .Where(CaseStatuses.IsActiveCase)
            .OrderByDescending(c => c.Id)
            .Take(50)
            .Select(c => new OpenCaseRef(c.Id, c.Title, c.CategoryId, db.Categories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).First()))
            .ToListAsync(ct);

    public Task<IReadOnlyList<UserOption>> ActiveUsersAsync(CancellationToken ct) => reference.ActiveUsersAsync(ct);

    /// <summary>Everything the case form shows besides the values: the choices of each select and the duplicate warning.</summary>
    public async Task<CaseFormModel> FormAsync(
        CaseDetails? existing, ContactRef contact, CaseForm form, string? returnUrl, CaseDetails? saved, CancellationToken ct, int? parentId = null)
    {
        // A closed case keeps its status here: closing and reopening have their own commands.
        var statuses = existing is null ? Case.StatusesForNew : Case.StatusesForEdit(existing.Status);
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

    /// <summary>The cases selected in the list, in the order of their numbers.</summary>
    public async Task<IReadOnlyList<CaseRow>> SelectedAsync(IReadOnlyCollection<int> ids, CancellationToken ct) =>
        await Rows(db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id)).ToListAsync(ct);

    /// <summary>The list's row of each case: the names (category, contact, assignee) as scalar subqueries of the same statement.</summary>
    private IQueryable<CaseRow> Rows(IQueryable<Case> cases) =>
        cases.Select(Expression.Lambda<Func<Case, CaseRow>>(
            ReplacingExpressionVisitor.Replace(RowOf.Parameters[0], Expression.Constant(db), RowOf.Body), RowOf.Parameters[1]));

    /// <summary>
    /// A list row, its tree built once: a lambda written in place is built anew on every call, and each of its property
    /// reads looks the property up by reflection (a copy of the type's property list each: 6 % of the case list's
    /// allocation). <see cref="Rows"/> puts the request's context in.
    /// </summary>
    private static readonly Expression<Func<CrmDbContext, Case, CaseRow>> RowOf = (db, c) => new CaseRow(
        c.Id, c.Title, c.Status, c.Priority,
        db.Categories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).First(),
        c.ContactId,
        db.Contacts.Where(p => p.Id == c.ContactId).Select(p => (p.FirstName ?? "") + " " + (p.LastName ?? "")).First(),
        db.Users.Where(u => u.Id == c.AssignedToId).Select(u => u.DisplayName).FirstOrDefault(),
        c.UpdatedAt, c.ParentId, c.ChildCount, c.DueAt, c.AtRiskAt);

    /// <summary>Everything the case page shows for the chosen tab; null when the case does not exist.</summary>
    public async Task<CaseDetailsModel?> DetailsPageAsync(int id, string? tab, bool add, string? find, bool canManage, CancellationToken ct, string? commentDraft = null, TimelineKind? show = null, TimelineCursor? before = null)
    {
        var item = await DetailsAsync(id, ct);
        if (item is null)
        {
            return null;
        }

        var settings = await reference.ParentChildSettingsAsync(ct);
        var refusals = CaseFamilyRules.CheckCanTakeChildren(item.Id, item.ParentId, item.Status, item.ChildCount, 1, settings.MaxChildren);
        switch (tab)
        {
            case CaseDetailsModel.RelationsTab:
                return new CaseDetailsModel(item, CaseDetailsModel.RelationsTab, refusals)
                {
                    Children = item.ChildCount > 0 ? await family.ChildrenAsync(id, ct) : [],
                    Lookup = add && refusals.Count == 0 && canManage ? await family.LookupAsync(id, find, settings.LookupsIncludeChildren, ct) : null,
                    LookupText = find,
                };
            case CaseDetailsModel.HistoryTab:
                var history = await work.HistoryAsync(id, ct);
                return new CaseDetailsModel(item, CaseDetailsModel.HistoryTab, refusals)
                {
                    History = history,
                    HistoryNames = await work.HistoryNamesAsync(history, ct),
                };
            default:
                var timeline = await work.TimelineAsync(id, show is { } kind && Enum.IsDefined(kind) ? kind : null, ct, before);
                return new CaseDetailsModel(item, CaseDetailsModel.DetailsTab, refusals)
                {
                    Timeline = timeline.Entries,
                    TimelineOlder = timeline.Older,
                    TimelineBefore = before,
                    TimelineFilter = show is { } shown && Enum.IsDefined(shown) ? shown : null,
                    Attachments = await work.AttachmentsAsync(id, ct),
                    Assignees = canManage ? await ActiveUsersAsync(ct) : [],
                    CommentDraft = commentDraft,
                };
        }
    }
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
    /// <summary>The "Actividad" timeline: comments and activities, newest first; <see cref="TimelineFilter"/> keeps one kind.</summary>
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];

    /// <summary>Where the next, older page of the timeline starts; null on its last page.</summary>
    public TimelineCursor? TimelineOlder { get; init; }

    /// <summary>Where this page of the timeline starts; null on the newest.</summary>
    public TimelineCursor? TimelineBefore { get; init; }
    public TimelineKind? TimelineFilter { get; init; }
    public IReadOnlyList<AttachmentRow> Attachments { get; init; } = [];
    public IReadOnlyList<UserOption> Assignees { get; init; } = [];
    public IReadOnlyList<HistoryRow> History { get; init; } = [];
    public HistoryNames? HistoryNames { get; init; }
    public string? CommentDraft { get; init; }

    public bool CanHaveChildren => ChildRefusals.Count == 0;
}
