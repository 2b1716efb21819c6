using CaseCrm.Data;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Accounts;
using CaseCrm.Web.Features.CaseFamily;
using CaseCrm.Web.Features.Contacts;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.Activities;

/// <summary>Servicio → Actividades: which of the owner's activities a list shows.</summary>
public enum ActivityView
{
    Overdue,
    Today,
    Upcoming,
    All,
}

public sealed record ActivityRow(
    int Id, ActivityType Type, string Subject, ActivityStatus Status, ActivityPriority Priority, DateTime? ScheduledAt, string OwnerId, string OwnerName,
    RegardingType? RegardingType, int? CaseId, int? ContactId, int? AccountId, string? RegardingName, DateTime CreatedAt);

/// <summary>
/// Where a page of an activity list ends (the API's cursor): the time the list is sorted by (<see cref="Activity.ScheduledAt"/>
/// in a view of open activities, <see cref="Activity.CreatedAt"/> newest first otherwise) and the id.
/// </summary>
public sealed record ActivityKey(DateTime At, int Id);

/// <summary>A record "Referente a" can name, as the look-up offers it.</summary>
public sealed record RegardingOption(RegardingType Type, int Id, string Label);

/// <summary>The reads of the activity pages: projections, never tracked entities.</summary>
public sealed class ActivityQueries(CrmDbContext db, CaseFamilyQueries family, ContactQueries contacts, AccountLookup accounts)
{
    public const int PageSize = 50;

    /// <summary>
    /// An owner's activities in a view: overdue (open, due before now), today (open, due today), upcoming (open, due after
    /// today) or all (any status, newest first). Served by the (OwnerId, Status, ScheduledAt) index, all by (OwnerId, CreatedAt).
    /// </summary>
    public async Task<Page<ActivityRow>> ListAsync(string ownerId, ActivityView view, DateTime nowUtc, TimeZoneInfo zone, int page, CancellationToken ct)
    {
        var (query, order) = Filtered(ownerId, view, nowUtc, zone);
        return await PageAsync(query, order, page, ct);
    }

    /// <summary>Every activity of the list's view in its order, read as it is written out ("Exportar CSV"): one statement, not tracked.</summary>
    public IAsyncEnumerable<ActivityRow> ExportAsync(string ownerId, ActivityView view, DateTime nowUtc, TimeZoneInfo zone)
    {
        var (query, order) = Filtered(ownerId, view, nowUtc, zone);
        return Rows(order(query)).AsAsyncEnumerable();
    }

    /// <summary>The activities of a view and their order: the one place both the list and its export take them from.</summary>
    private (IQueryable<Activity> Query, Func<IQueryable<Activity>, IOrderedQueryable<Activity>> Order) Filtered(
        string ownerId, ActivityView view, DateTime nowUtc, TimeZoneInfo zone)
    {
        var today = DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone).Date, DateTimeKind.Unspecified);
        var startOfDay = TimeZoneInfo.ConvertTimeToUtc(today, zone);
        var endOfDay = TimeZoneInfo.ConvertTimeToUtc(today.AddDays(1), zone);
        var query = db.Activities.AsNoTracking().Where(a => a.OwnerId == ownerId);
        return view switch
        {
            ActivityView.Overdue => (query.Where(a => a.Status == ActivityStatus.Open && a.ScheduledAt < nowUtc), BySchedule),
            ActivityView.Today => (query.Where(a => a.Status == ActivityStatus.Open && a.ScheduledAt >= startOfDay && a.ScheduledAt < endOfDay), BySchedule),
            ActivityView.Upcoming => (query.Where(a => a.Status == ActivityStatus.Open && a.ScheduledAt >= endOfDay), BySchedule),
            _ => (query, NewestFirst),
        };
    }

    /// <summary>
    /// The "Actividades" tab of a contact (its own and its cases') or of an account (its own, its contacts' and its
    /// cases'), newest first: the activities listed under it (<see cref="Activity.AroundContactId"/>,
    /// <see cref="Activity.AroundAccountId"/>), one index range in date order however many cases it has.
    /// </summary>
    public Task<Page<ActivityRow>> AroundAsync(RegardingType type, int id, int page, CancellationToken ct) =>
        PageAsync(Around(type, id), NewestFirst, page, ct);

    /// <summary>
    /// <see cref="ListAsync"/> by keyset (the API's cursor): up to <paramref name="limit"/> activities of the view after
    /// <paramref name="after"/>, in the view's order (<see cref="SortsBySchedule"/>).
    /// </summary>
    public Task<IReadOnlyList<ActivityRow>> ListAfterAsync(
        string ownerId, ActivityView view, DateTime nowUtc, TimeZoneInfo zone, ActivityKey? after, int limit, CancellationToken ct) =>
        AfterAsync(Filtered(ownerId, view, nowUtc, zone).Query, SortsBySchedule(view), after, limit, ct);

    /// <summary><see cref="AroundAsync"/> by keyset (the API's cursor), newest first.</summary>
    public Task<IReadOnlyList<ActivityRow>> AroundAfterAsync(RegardingType type, int id, ActivityKey? after, int limit, CancellationToken ct) =>
        AfterAsync(Around(type, id), bySchedule: false, after, limit, ct);

    /// <summary>Whether a view lists open activities by their time (else all of them newest first).</summary>
    public static bool SortsBySchedule(ActivityView view) => view != ActivityView.All;

    /// <summary>The key of <paramref name="row"/> in a list sorted by schedule or newest first.</summary>
    public static ActivityKey KeyOf(ActivityRow row, bool bySchedule) => new(bySchedule ? row.ScheduledAt!.Value : row.CreatedAt, row.Id);

    private IQueryable<Activity> Around(RegardingType type, int id)
    {
        var all = db.Activities.AsNoTracking();
        return type switch
        {
            RegardingType.Contact => all.Where(a => a.AroundContactId == id),
            RegardingType.Account => all.Where(a => a.AroundAccountId == id),
            _ => all.Where(a => a.CaseId == id),
        };
    }

    // As PageAsync, from a key instead of a page number: the rows after it in the list's order, on the same indexes.
    private async Task<IReadOnlyList<ActivityRow>> AfterAsync(IQueryable<Activity> query, bool bySchedule, ActivityKey? after, int limit, CancellationToken ct)
    {
        if (after is { } key)
        {
            var at = DateTime.SpecifyKind(key.At, DateTimeKind.Utc);
            query = bySchedule
                ? query.Where(a => a.ScheduledAt > at || (a.ScheduledAt == at && a.Id > key.Id))
                : query.Where(a => a.CreatedAt < at || (a.CreatedAt == at && a.Id < key.Id));
        }

        Func<IQueryable<Activity>, IOrderedQueryable<Activity>> order = bySchedule ? BySchedule : NewestFirst;
        var ids = order(query).Take(limit).Select(a => a.Id);
        return await Rows(order(db.Activities.AsNoTracking().Where(a => ids.Contains(a.Id)))).ToListAsync(ct);
    }

    /// <summary>How many open activities regard these cases (the close form's warning).</summary>
    public Task<int> OpenCountAsync(IReadOnlyList<int> caseIds, CancellationToken ct) =>
        db.Activities.CountAsync(a => a.CaseId != null && caseIds.Contains(a.CaseId.Value) && a.Status == ActivityStatus.Open, ct);

    public Task<Activity?> FindAsync(int id, CancellationToken ct) =>
        db.Activities.AsNoTracking().Include(a => a.Attendees).SingleOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>How "Referente a" reads for a record, and the phone a call to it would use; null when it does not exist.</summary>
    public async Task<(string Label, string? Phone)?> RegardingAsync(RegardingType type, int id, CancellationToken ct)
    {
        var found = type switch
        {
            RegardingType.Case => await db.Cases.AsNoTracking().Where(c => c.Id == id)
                .Select(c => new { Label = c.Title, Phone = db.Contacts.Where(p => p.Id == c.ContactId).Select(p => p.Phone ?? p.Mobile).FirstOrDefault() })
                .SingleOrDefaultAsync(ct),
            RegardingType.Contact => await db.Contacts.AsNoTracking().Where(c => c.Id == id)
                .Select(c => new { Label = (c.FirstName ?? "") + " " + (c.LastName ?? ""), Phone = c.Phone ?? c.Mobile })
                .SingleOrDefaultAsync(ct),
            _ => await db.Accounts.AsNoTracking().Where(a => a.Id == id).Select(a => new { Label = a.Name, Phone = a.Phone }).SingleOrDefaultAsync(ct),
        };
        return found is null ? null : (Label(type, id, found.Label.Trim()), found.Phone);
    }

    /// <summary>
    /// The "Referente a" look-up: cases by the one case look-up (child cases only with the setting), contacts by the
    /// contact search, accounts by name.
    /// </summary>
    public async Task<IReadOnlyList<RegardingOption>> LookupAsync(RegardingType type, string? text, bool includeChildren, CancellationToken ct)
    {
        switch (type)
        {
            case RegardingType.Case:
                return [.. (await family.RegardingLookupAsync(text, includeChildren, ct)).Select(c => new RegardingOption(type, c.Id, Label(type, c.Id, c.Title)))];
            case RegardingType.Contact:
                return [.. (await contacts.ListAsync(text, new SortOrder("name", false), 1, Paging.Size, ct)).Items.Select(c => new RegardingOption(type, c.Id, c.FullName))];
            default:
                return [.. (await accounts.SearchAsync(text ?? string.Empty, ct)).Select(a => new RegardingOption(type, a.Id, a.Name))];
        }
    }

    private static IOrderedQueryable<Activity> BySchedule(IQueryable<Activity> query) => query.OrderBy(a => a.ScheduledAt).ThenBy(a => a.Id);

    private static IOrderedQueryable<Activity> NewestFirst(IQueryable<Activity> query) => query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id);

    // One page of rows, with one more read to know whether another page follows. One statement: the page's ids are chosen
    // first (on the indexes, however many rows match), and only those rows are read and get their names — a name looked
    // up for every matching row before the sort cost seconds for a contact with 11,000 activities.
    private async Task<Page<ActivityRow>> PageAsync(
        IQueryable<Activity> query, Func<IQueryable<Activity>, IOrderedQueryable<Activity>> order, int page, CancellationToken ct)
    {
        var ids = order(query).Skip((page - 1) * PageSize).Take(PageSize + 1).Select(a => a.Id);
        var rows = await Rows(order(db.Activities.AsNoTracking().Where(a => ids.Contains(a.Id)))).ToListAsync(ct);
        return new Page<ActivityRow>([.. rows.Take(PageSize)], page, rows.Count > PageSize);
    }

    private IQueryable<ActivityRow> Rows(IQueryable<Activity> activities) =>
        activities.Select(a => new ActivityRow(
                a.Id, a.Type, a.Subject, a.Status, a.Priority, a.ScheduledAt, a.OwnerId,
                db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.DisplayName).First(),
                a.RegardingType, a.CaseId, a.ContactId, a.AccountId,
                a.CaseId != null ? db.Cases.Where(c => c.Id == a.CaseId).Select(c => c.Title).First()
                    : a.ContactId != null ? db.Contacts.Where(c => c.Id == a.ContactId).Select(c => (c.FirstName ?? "") + " " + (c.LastName ?? "")).First()
                    : a.AccountId != null ? db.Accounts.Where(c => c.Id == a.AccountId).Select(c => c.Name).First()
                    : null,
                a.CreatedAt));

    private static string Label(RegardingType type, int id, string name) =>
        type == RegardingType.Case ? $"{CaseNumber.Format(id)} {name}" : name;
}
