using CaseCrm.Data;
using CaseCrm.Web.Features.Api;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Features.Contacts;

/// <summary>A contact as the API shows it.</summary>
public sealed record ContactItem(int Id, string Name, string? FirstName, string? LastName, string? Email, string? Phone, int? AccountId, string? AccountName);

/// <summary>A contact's details.</summary>
public sealed record ContactDetailsItem(
    int Id, string Name, string? FirstName, string? LastName, string? Email, string? Phone, string? Mobile, string? JobTitle,
    int? AccountId, string? AccountName, string? OwnerName, DateTime CreatedAt, DateTime UpdatedAt, int CaseCount);

/// <summary>
/// Contacts through the API, read by the same queries as the contact pages (<see cref="ContactQueries"/>): the list's
/// search in name order by an opaque cursor, one contact, and "find by phone" for a caller id.
/// </summary>
[Route("api/v1/contacts")]
public sealed class ContactsApiController(ContactQueries queries) : ApiControllerBase
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 50;

    /// <summary>The contacts the contact list's search finds (every contact without <paramref name="q"/>), in name order.</summary>
    /// <param name="q">Words, as typed in the contact list's search (names, email, phone digits, account).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page; none for the first.</param>
    /// <param name="limit">Contacts per page, 1 to 100 (50 when not given).</param>
    [HttpGet("")]
    public async Task<ActionResult<ListPage<ContactItem>>> List(string? q, string? cursor, int? limit, CancellationToken ct)
    {
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            return BadParameter("limit", L["Api_LimitRange", MaxLimit]);
        }

        (string, int)? after = null;
        if (cursor is not null)
        {
            if (Decode(cursor) is not { } key)
            {
                return BadParameter("cursor", L["Api_CursorUnknown"]);
            }

            after = key;
        }

        var rows = await queries.AfterAsync(q, after, size + 1, ct);
        var page = rows.Take(size).ToList();
        var next = rows.Count > size ? Encode(page[^1].SortName, page[^1].Row.Id) : null;
        return new ListPage<ContactItem>([.. page.Select(r => Item(r.Row))], next);
    }

    /// <summary>The contacts whose phone or mobile matches <paramref name="number"/> (a caller id), as the contact list's search finds them.</summary>
    /// <param name="number">A phone number in any format ("+34 600 11 22 33", "600112233"): its digits are searched.</param>
    [HttpGet("by-phone")]
    public async Task<ActionResult<IReadOnlyList<ContactItem>>> ByPhone(string? number, CancellationToken ct)
    {
        var digits = Domain.Text.SearchText.Digits(number);
        if (digits.Length < 3)
        {
            return BadParameter("number", L["Api_NumberTooShort"]);
        }

        var rows = await queries.AfterAsync(digits, null, MaxLimit, ct);
        return rows.Select(r => Item(r.Row)).ToList();
    }

    /// <summary>One contact.</summary>
    [HttpGet("{id:int}")]
    public async Task<ContactDetailsItem> Get(int id, CancellationToken ct)
    {
        var c = await queries.HeaderAsync(id, ct) ?? throw new NotFoundException("Contact", id);
        return new ContactDetailsItem(
            c.Id, c.FullName, c.FirstName, c.LastName, c.Email, c.Phone, c.Mobile, c.JobTitle, c.AccountId, c.AccountName,
            c.OwnerName, c.CreatedAt, c.UpdatedAt, await queries.CaseCountAsync(id, ct));
    }

    private static ContactItem Item(ContactRow r) => new(r.Id, r.FullName, r.FirstName, r.LastName, r.Email, r.Phone, r.AccountId, r.AccountName);

    /// <summary>The keyset of the name order: the sort name and the id.</summary>
    private sealed record Key(string S, int I);

    internal static string Encode(string sortName, int id) => ApiCursor.Encode(new Key(sortName, id));

    internal static (string, int)? Decode(string cursor) =>
        ApiCursor.Decode<Key>(cursor) is { S: not null } key && key.S.Length <= Domain.Limits.SortName ? (key.S, key.I) : null;
}
