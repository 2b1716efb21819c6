using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Text;
using CaseCrm.Web.Features.Contacts;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.Accounts;

public sealed record AccountRow(int Id, string Name, string? TaxId, string? Phone, string? Email);

public sealed record AccountHeader(int Id, string Name, string? TaxId, string? Phone, string? Email, string? Website, string? Address, string? OwnerName);

/// <summary>The reads of the account pages.</summary>
public sealed class AccountQueries(CrmDbContext db)
{
    public static readonly IReadOnlyList<string> SortKeys = ["name", "taxid", "phone", "email"];

    public async Task<Page<AccountRow>> ListAsync(string? search, SortOrder sort, int page, int size, CancellationToken ct)
    {
        var matches = Matching(search);
        return await Rows(Sorted(matches, sort)).ToCountedPageAsync(matches, page, size, ct);
    }

    /// <summary>
    /// The list's search in name order, by keyset (the API's cursor): up to <paramref name="limit"/> accounts after the
    /// (SearchName, Id) of <paramref name="after"/>, each with its key.
    /// </summary>
    public async Task<IReadOnlyList<(AccountRow Row, string SearchName)>> AfterAsync(string? search, (string SearchName, int Id)? after, int limit, CancellationToken ct)
    {
        var query = Matching(search);
        if (after is var (searchName, id))
        {
            query = query.Where(a => a.SearchName.CompareTo(searchName) > 0 || (a.SearchName == searchName && a.Id > id));
        }

        var rows = await query.OrderBy(a => a.SearchName).ThenBy(a => a.Id).Take(limit)
            .Select(a => new { Row = new AccountRow(a.Id, a.Name, a.TaxId, a.Phone, a.Email), a.SearchName })
            .ToListAsync(ct);
        return [.. rows.Select(r => (r.Row, r.SearchName))];
    }

    /// <summary>Every account the list's search finds, in its sort, read as it is written out ("Exportar CSV").</summary>
    public IAsyncEnumerable<AccountRow> ExportAsync(string? search, SortOrder sort) => Rows(Sorted(Matching(search), sort)).AsAsyncEnumerable();

    private IQueryable<Domain.Accounts.Account> Matching(string? search)
    {
        var query = db.Accounts.AsNoTracking();
        var folded = SearchText.Fold(search);
        if (folded.Length > 0)
        {
            query = query.Where(a => a.SearchName.Contains(folded) || a.TaxId == search!.Trim() || a.Email == search!.Trim());
        }

        return query;
    }

    private static IOrderedQueryable<Domain.Accounts.Account> Sorted(IQueryable<Domain.Accounts.Account> query, SortOrder sort) => (sort.Key, sort.Descending) switch
    {
        ("taxid", false) => query.OrderBy(a => a.TaxId).ThenBy(a => a.Id),
        ("taxid", true) => query.OrderByDescending(a => a.TaxId).ThenByDescending(a => a.Id),
        ("phone", false) => query.OrderBy(a => a.Phone).ThenBy(a => a.Id),
        ("phone", true) => query.OrderByDescending(a => a.Phone).ThenByDescending(a => a.Id),
        ("email", false) => query.OrderBy(a => a.Email).ThenBy(a => a.Id),
        ("email", true) => query.OrderByDescending(a => a.Email).ThenByDescending(a => a.Id),
        (_, true) => query.OrderByDescending(a => a.SearchName).ThenByDescending(a => a.Id),
        _ => query.OrderBy(a => a.SearchName).ThenBy(a => a.Id),
    };

    private static IQueryable<AccountRow> Rows(IQueryable<Domain.Accounts.Account> query) => query.Select(a => new AccountRow(a.Id, a.Name, a.TaxId, a.Phone, a.Email));

    public Task<AccountHeader?> HeaderAsync(int id, CancellationToken ct) =>
        db.Accounts.AsNoTracking()
            .Where(a => a.Id == id)
            .Select(a => new AccountHeader(a.Id, a.Name, a.TaxId, a.Phone, a.Email, a.Website, a.Address,
                db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.DisplayName).FirstOrDefault()))
            .SingleOrDefaultAsync(ct);

    public Task<Page<ContactRow>> ContactsAsync(int accountId, int page, CancellationToken ct) =>
        db.Contacts.AsNoTracking()
            .Where(c => c.AccountId == accountId)
            .OrderBy(c => c.SortName).ThenBy(c => c.Id)
            .Select(c => new ContactRow(c.Id, c.FirstName, c.LastName, c.Email, c.Phone, c.AccountId, null))
            .ToPageAsync(page, ct);

    public Task<Page<AccountCaseRow>> CasesAsync(int accountId, int page, CancellationToken ct) =>
        db.Cases.AsNoTracking()
            .Where(c => c.AccountId == accountId)
            .OrderByDescending(c => c.Id)
            .Select(c => new AccountCaseRow(c.Id, c.Title, c.Status, c.ContactId,
                db.Contacts.Where(p => p.Id == c.ContactId).Select(p => (p.FirstName ?? "") + " " + (p.LastName ?? "")).First(),
                db.Users.Where(u => u.Id == c.AssignedToId).Select(u => u.DisplayName).FirstOrDefault(),
                c.CreatedAt))
            .ToPageAsync(page, ct);
}

public sealed record AccountCaseRow(int Id, string Title, CaseStatus Status, int ContactId, string ContactName, string? AssigneeName, DateTime CreatedAt)
{
    public string Number => CaseNumber.Format(Id);
}
