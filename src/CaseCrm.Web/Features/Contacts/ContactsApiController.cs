using CaseCrm.Data;
using CaseCrm.Domain.Text;
using CaseCrm.Web.Features.Api;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Features.Contacts;

/// <summary>A contact as the API shows it.</summary>
public sealed record ContactItem(int Id, string Name, string? FirstName, string? LastName, string? Email, string? Phone, int? AccountId, string? AccountName);

/// <summary>A contact's details.</summary>
public sealed record ContactDetailsItem(
    int Id, string Name, string? FirstName, string? LastName, string? Email, string? Phone, string? Mobile, string? JobTitle,
    int? AccountId, string? AccountName, string? OwnerName, DateTime CreatedAt, DateTime UpdatedAt, int CaseCount);

/// <summary>
/// A contact as it is created or replaced: the fields of the contact form. A field left out is empty (a PUT replaces
/// every field). A first or a last name is required.
/// </summary>
/// <param name="FirstName">Nombre.</param>
/// <param name="LastName">Apellidos.</param>
/// <param name="Email">An email address.</param>
/// <param name="Phone">Teléfono, as written ("+34 600 11 22 33").</param>
/// <param name="Mobile">Móvil.</param>
/// <param name="JobTitle">Cargo.</param>
/// <param name="AccountId">The account the contact works for (GET /api/v1/accounts), if any.</param>
public sealed record ContactBody(
    string? FirstName, string? LastName, string? Email, string? Phone, string? Mobile, string? JobTitle, int? AccountId)
{
    public ContactForm ToForm() => new()
    {
        FirstName = FirstName, LastName = LastName, Email = Email, Phone = Phone, Mobile = Mobile, JobTitle = JobTitle, AccountId = AccountId,
    };
}

/// <summary>
/// Contacts through the API, read by the same queries as the contact pages (<see cref="ContactQueries"/>) and written as
/// they write (<see cref="ContactWrites"/>, the contact form's validator): the list's search in name order by an opaque
/// cursor, one contact, "find by phone" for a caller id, create and update. Every role may, as on the pages. A contact
/// has no version, so an update takes no If-Match: the last one wins, as on the page.
/// </summary>
[Route("api/v1/contacts")]
public sealed class ContactsApiController(ContactQueries queries, ContactWrites writes, IValidator<ContactForm> validator) : ApiControllerBase
{
    // Kept for code written against the first slice; the API's page size is ApiPaging's.
    public const int MaxLimit = ApiPaging.MaxLimit;
    public const int DefaultLimit = ApiPaging.DefaultLimit;

    /// <summary>The contacts the contact list's search finds (every contact without <paramref name="q"/>), in name order.</summary>
    /// <param name="q">Words, as typed in the contact list's search (names, email, phone digits, account).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page; none for the first.</param>
    /// <param name="limit">Contacts per page, 1 to 100 (50 when not given).</param>
    [HttpGet("")]
    [ProducesResponseType<ListPage<ContactItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<ListPage<ContactItem>>> List(string? q, string? cursor, int? limit, CancellationToken ct)
    {
        if (ApiPaging.Size(limit) is not { } size)
        {
            return BadParameter("limit", L["Api_LimitRange", ApiPaging.MaxLimit]);
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

    /// <summary>
    /// The contacts whose phone or mobile is the number <paramref name="number"/> (a caller id), in name order, up to 100:
    /// the stored number's digits end with the number's own, without its international prefix ("+34", "0034") and
    /// leading zeros, so "+34 600 11 22 33", "0034600112233" and "600112233" all find "600 11 22 33" and "+34 600 11 22 33".
    /// </summary>
    /// <param name="number">A phone number in any format ("+34 600 11 22 33", "0034600112233", "600112233").</param>
    [HttpGet("by-phone")]
    [ProducesResponseType<IReadOnlyList<ContactItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<IReadOnlyList<ContactItem>>> ByPhone(string? number, CancellationToken ct)
    {
        var digits = PhoneNumber.NationalDigits(number);
        if (digits.Length < 3)
        {
            return BadParameter("number", L["Api_NumberTooShort"]);
        }

        var rows = await queries.ByPhoneAsync(digits, ApiPaging.MaxLimit, ct);
        return rows.Select(Item).ToList();
    }

    /// <summary>One contact.</summary>
    /// <param name="id">The contact's id.</param>
    [HttpGet("{id:int}")]
    [ProducesResponseType<ContactDetailsItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ContactDetailsItem> Get(int id, CancellationToken ct)
    {
        var c = await queries.HeaderAsync(id, ct) ?? throw new NotFoundException("Contact", id);
        return new ContactDetailsItem(
            c.Id, c.FullName, c.FirstName, c.LastName, c.Email, c.Phone, c.Mobile, c.JobTitle, c.AccountId, c.AccountName,
            c.OwnerName, ApiTime.Utc(c.CreatedAt), ApiTime.Utc(c.UpdatedAt), await queries.CaseCountAsync(id, ct));
    }

    /// <summary>Creates a contact, owned by the token's user, as the "Nuevo contacto" form does.</summary>
    /// <param name="body">The contact's fields.</param>
    [HttpPost("")]
    [ProducesResponseType<ContactDetailsItem>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<ContactDetailsItem>> Create(ContactBody body, CancellationToken ct)
    {
        var (refused, form, accountName) = await CheckAsync(body, ct);
        if (refused is not null)
        {
            return refused;
        }

        var contact = await writes.CreateAsync(form.ToDetails(), accountName, ct);
        return CreatedAtAction(nameof(Get), new { id = contact.Id }, await Get(contact.Id, ct));
    }

    /// <summary>Replaces a contact's fields, as its "Editar" form does (a field left out becomes empty).</summary>
    /// <param name="id">The contact's id.</param>
    /// <param name="body">Every field of the contact.</param>
    [HttpPut("{id:int}")]
    [ProducesResponseType<ContactDetailsItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<ContactDetailsItem>> Update(int id, ContactBody body, CancellationToken ct)
    {
        var contact = await writes.FindAsync(id, ct) ?? throw new NotFoundException("Contact", id);
        var (refused, form, accountName) = await CheckAsync(body, ct);
        if (refused is not null)
        {
            return refused;
        }

        await writes.UpdateAsync(contact, form.ToDetails(), accountName, ct);
        return await Get(id, ct);
    }

    private async Task<(bool Found, string? Name)> AccountAsync(int? accountId, CancellationToken ct)
    {
        if (accountId is not { } id)
        {
            return (true, null);
        }

        var name = await writes.AccountNameAsync(id, ct);
        return (name is not null, name);
    }

    private ActionResult AccountNotFound() => InvalidField("accountId", L["Validation_AccountNotFound"]);

    /// <summary>The body as the page's form, checked by its validator and for its account: a refusal (422), or the form and the account's name.</summary>
    private async Task<(ActionResult? Refused, ContactForm Form, string? AccountName)> CheckAsync(ContactBody body, CancellationToken ct)
    {
        var form = body.ToForm();
        if (await InvalidAsync(validator, form, ct) is { } invalid)
        {
            return (invalid, form, null);
        }

        var (found, accountName) = await AccountAsync(form.AccountId, ct);
        return (found ? null : AccountNotFound(), form, accountName);
    }

    private static ContactItem Item(ContactRow r) => new(r.Id, r.FullName, r.FirstName, r.LastName, r.Email, r.Phone, r.AccountId, r.AccountName);

    /// <summary>The keyset of the name order: the sort name and the id.</summary>
    private sealed record Key(string S, int I);

    internal static string Encode(string sortName, int id) => ApiCursor.Encode(new Key(sortName, id));

    internal static (string, int)? Decode(string cursor) =>
        ApiCursor.Decode<Key>(cursor) is { S: not null } key && key.S.Length <= Domain.Limits.SortName ? (key.S, key.I) : null;
}
