using System.Text.Json;
using CaseCrm.Data;
using CaseCrm.Web.Features.Contacts;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Features.Api;

/// <summary>A contact as the API shows it.</summary>
public sealed record ContactItem(int Id, string Name, string? FirstName, string? LastName, string? Email, string? Phone, int? AccountId, string? AccountName);

/// <summary>One page of a list: its items and the cursor of the next page (null on the last).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? NextCursor);

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
            ModelState.AddModelError("limit", $"limit is from 1 to {MaxLimit}.");
            return ValidationProblem(ModelState);
        }

        (string, int)? after = null;
        if (cursor is not null)
        {
            if (Decode(cursor) is not { } key)
            {
                ModelState.AddModelError("cursor", "cursor is not one this API gave.");
                return ValidationProblem(ModelState);
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
            ModelState.AddModelError("number", "number needs at least 3 digits.");
            return ValidationProblem(ModelState);
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

    private sealed record Key(string S, int I);

    /// <summary>The keyset as opaque URL-safe base64.</summary>
    internal static string Encode(string sortName, int id) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Key(sortName, id))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static (string, int)? Decode(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            var key = JsonSerializer.Deserialize<Key>(Convert.FromBase64String(base64));
            return key is { S: not null } && key.S.Length <= Domain.Limits.SortName ? (key.S, key.I) : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
