using System.Collections.Concurrent;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.Text;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CaseCrm.Web.Features.Contacts;

public sealed record ContactRow(int Id, string? FirstName, string? LastName, string? Email, string? Phone, int? AccountId, string? AccountName)
{
    public string FullName => Contact.FormatName(FirstName, LastName);

    /// <summary>"Apellidos, Nombre": the list sorts by last name, then first name, so it shows them in that order.</summary>
    public string ListName => string.IsNullOrWhiteSpace(LastName) || string.IsNullOrWhiteSpace(FirstName) ? FullName : $"{LastName}, {FirstName}";
}

public sealed record ContactHeader(
    int Id, string? FirstName, string? LastName, string? Email, string? Phone, string? Mobile, string? JobTitle,
    int? AccountId, string? AccountName, string? OwnerName, DateTime CreatedAt, DateTime UpdatedAt)
{
    public string FullName => Contact.FormatName(FirstName, LastName);
}

public sealed record ContactCaseRow(int Id, string Title, CaseStatus Status, string CategoryName, CasePriority? Priority, string? AssigneeName, DateTime CreatedAt, int? ParentId)
{
    public string Number => CaseNumber.Format(Id);
}

/// <summary>The reads of the contact pages: projections into what each view shows, never tracked entities.</summary>
public sealed class ContactQueries(CrmDbContext db)
{
    public static readonly IReadOnlyList<string> SortKeys = ["name", "email", "phone", "account"];

    public async Task<Page<ContactRow>> ListAsync(string? search, SortOrder sort, int page, int size, CancellationToken ct)
    {
        var words = SearchText.SearchWords(search);
        var query = db.Contacts.AsNoTracking();
        if (words.Count > 0 && sort.Key == "name")
        {
            // The page in name order comes from the search index alone (ADR 0009): its (Term, SortName, ContactId)
            // entries, grouped (a contact may match twice) and sorted; only the page's contacts are then read.
            // GROUP BY rather than DISTINCT: SQLite's plan then sorts the index entries once instead of twice.
            // The count reads the same entries, up to the cap, in the same statement.
            var number = Paging.Clamp(page, size);
            var keys = db.ContactSearchTermsMatching(words).GroupBy(t => new { t.SortName, t.ContactId }).Select(g => g.Key);
            var pageIds = (sort.Descending
                    ? keys.OrderByDescending(k => k.SortName).ThenByDescending(k => k.ContactId)
                    : keys.OrderBy(k => k.SortName).ThenBy(k => k.ContactId))
                .Skip(Paging.Skip(number, size)).Take(size + 1).Select(k => k.ContactId);
            return await Paging.CountedPageAsync(Rows(Sorted(query.Where(c => pageIds.Contains(c.Id)), sort)), keys, number, size, ct);
        }

        query = Matching(words);
        return await Rows(Sorted(query, sort)).ToCountedPageAsync(query, page, size, ct);
    }

    /// <summary>
    /// The list's search in name order, by keyset (the API's cursor): up to <paramref name="limit"/> contacts after the
    /// (SortName, Id) of <paramref name="after"/>, each with its key. With words, the page's contacts come from the search
    /// index in name order, as the list's do (ADR 0009): walking the contacts by name and keeping those that match read a
    /// quarter of a million contacts for a surname at 1,000,000 (1.1 s on PostgreSQL).
    /// </summary>
    public async Task<IReadOnlyList<(ContactRow Row, string SortName)>> AfterAsync(string? search, (string SortName, int Id)? after, int limit, CancellationToken ct)
    {
        var words = SearchText.SearchWords(search);
        IQueryable<Contact> query;
        if (words.Count > 0)
        {
            var terms = db.ContactSearchTermsMatching(words);
            if (after is var (termSortName, termId))
            {
                terms = terms.Where(t => t.SortName.CompareTo(termSortName) > 0 || (t.SortName == termSortName && t.ContactId > termId));
            }

            var pageIds = terms.GroupBy(t => new { t.SortName, t.ContactId }).Select(g => g.Key)
                .OrderBy(k => k.SortName).ThenBy(k => k.ContactId).Take(limit).Select(k => k.ContactId);
            query = db.Contacts.AsNoTracking().Where(c => pageIds.Contains(c.Id));
        }
        else
        {
            query = db.Contacts.AsNoTracking();
            if (after is var (sortName, id))
            {
                query = query.Where(c => c.SortName.CompareTo(sortName) > 0 || (c.SortName == sortName && c.Id > id));
            }
        }

        var rows = await query.OrderBy(c => c.SortName).ThenBy(c => c.Id).Take(limit)
            .Select(c => new { Row = new ContactRow(c.Id, c.FirstName, c.LastName, c.Email, c.Phone, c.AccountId, c.Account!.Name), c.SortName })
            .ToListAsync(ct);
        return [.. rows.Select(r => (r.Row, r.SortName))];
    }

    /// <summary>
    /// The contacts whose phone or mobile is the number <paramref name="nationalDigits"/> (<see cref="PhoneNumber.NationalDigits"/>):
    /// its digits end with them, which is one of its search terms (ADR 0009), so one index lookup of the term. In name order.
    /// </summary>
    public async Task<IReadOnlyList<ContactRow>> ByPhoneAsync(string nationalDigits, int limit, CancellationToken ct)
    {
        var ids = db.ContactSearchTerms.AsNoTracking().Where(t => t.Term == nationalDigits).Select(t => t.ContactId);
        return await Rows(db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.SortName).ThenBy(c => c.Id).Take(limit)).ToListAsync(ct);
    }

    /// <summary>Every contact the list's search finds, in its sort, read as it is written out ("Exportar CSV").</summary>
    public IAsyncEnumerable<ContactRow> ExportAsync(string? search, SortOrder sort) =>
        Rows(Sorted(Matching(SearchText.SearchWords(search)), sort)).AsAsyncEnumerable();

    /// <summary>The contacts whose search terms start with every word (all contacts without words).</summary>
    private IQueryable<Contact> Matching(IReadOnlyList<string> words)
    {
        var query = db.Contacts.AsNoTracking();
        if (words.Count > 0)
        {
            var ids = db.ContactSearchTermsMatching(words).Select(t => t.ContactId);
            query = query.Where(c => ids.Contains(c.Id));
        }

        return query;
    }

    private static IQueryable<Contact> Sorted(IQueryable<Contact> query, SortOrder sort) => (sort.Key, sort.Descending) switch
    {
        ("email", false) => query.OrderBy(c => c.Email).ThenBy(c => c.Id),
        ("email", true) => query.OrderByDescending(c => c.Email).ThenByDescending(c => c.Id),
        ("phone", false) => query.OrderBy(c => c.Phone).ThenBy(c => c.Id),
        ("phone", true) => query.OrderByDescending(c => c.Phone).ThenByDescending(c => c.Id),
        ("account", false) => query.OrderBy(c => c.Account!.SearchName).ThenBy(c => c.Id),
        ("account", true) => query.OrderByDescending(c => c.Account!.SearchName).ThenByDescending(c => c.Id),
        (_, true) => query.OrderByDescending(c => c.SortName).ThenByDescending(c => c.Id),
        _ => query.OrderBy(c => c.SortName).ThenBy(c => c.Id),
    };

    private static IQueryable<ContactRow> Rows(IQueryable<Contact> query) =>
        query.Select(c => new ContactRow(c.Id, c.FirstName, c.LastName, c.Email, c.Phone, c.AccountId, c.Account!.Name));

    // The contact page shows the header and the count of the "Casos" badge on every tab: both come in one round trip.
    private (int ContactId, int Count)? _caseCount;

    public async Task<ContactHeader?> HeaderAsync(int id, CancellationToken ct)
    {
        var found = await CompiledQueries.For(HeaderQueries, db, CompileHeaderQuery)(db, id, ct);
        _caseCount = found is null ? null : (id, found.CaseCount);
        return found?.Header;
    }

    private sealed record HeaderAndCount(ContactHeader Header, int CaseCount);

    // The contact page is the busiest page: its two queries are compiled once (CompiledQueries).
    private static readonly ConcurrentDictionary<IModel, Func<CrmDbContext, int, CancellationToken, Task<HeaderAndCount?>>> HeaderQueries = new();
    private static readonly ConcurrentDictionary<IModel, Func<CrmDbContext, int, int, int, IAsyncEnumerable<ContactCaseRow>>> CasesQueries = new();

    private static Func<CrmDbContext, int, CancellationToken, Task<HeaderAndCount?>> CompileHeaderQuery() =>
        EF.CompileAsyncQuery((CrmDbContext db, int id, CancellationToken ct) => db.Contacts.AsNoTracking()
            .Where(c => c.Id == id)
            .Select(c => new HeaderAndCount(
                new ContactHeader(
                    c.Id, c.FirstName, c.LastName, c.Email, c.Phone, c.Mobile, c.JobTitle, c.AccountId, c.Account!.Name,
                    db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                    c.CreatedAt, c.UpdatedAt),
                // A contact's cases, counted on the (ContactId, Id) index: only as many entries as that contact has.
                db.Cases.Count(k => k.ContactId == c.Id)))
            .SingleOrDefault());

    public async Task<int> CaseCountAsync(int contactId, CancellationToken ct) =>
        _caseCount is { } known && known.ContactId == contactId
            ? known.Count
            : await db.Cases.CountAsync(c => c.ContactId == contactId, ct);

    public async Task<Page<ContactCaseRow>> CasesAsync(int contactId, int page, CancellationToken ct)
    {
        var number = Paging.Clamp(page);
        var rows = new List<ContactCaseRow>(Paging.Size + 1);
        var query = CompiledQueries.For(CasesQueries, db, CompileCasesQuery);
        await foreach (var row in query(db, contactId, Paging.Skip(number), Paging.Size + 1).WithCancellation(ct))
        {
            rows.Add(row);
        }

        return Paging.ToPage(rows, number);
    }

    private static Func<CrmDbContext, int, int, int, IAsyncEnumerable<ContactCaseRow>> CompileCasesQuery() =>
        EF.CompileAsyncQuery((CrmDbContext db, int contactId, int skip, int take) => db.Cases.AsNoTracking()
            .Where(c => c.ContactId == contactId)
            .OrderByDescending(c => c.Id)
            .Skip(skip)
            .Take(take)
            .Select(c => new ContactCaseRow(
                c.Id, c.Title, c.Status,
                db.Categories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).First(),
                c.Priority, db.Users.Where(u => u.Id == c.AssignedToId).Select(u => u.DisplayName).FirstOrDefault(), c.CreatedAt, c.ParentId)));
}
