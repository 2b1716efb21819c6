using CaseCrm.Data;
using CaseCrm.Web.Features.Api;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Features.Accounts;

/// <summary>An account as the API lists it.</summary>
public sealed record AccountItem(int Id, string Name, string? TaxId, string? Phone, string? Email);

/// <summary>An account's details.</summary>
public sealed record AccountDetailsItem(int Id, string Name, string? TaxId, string? Phone, string? Email, string? Website, string? Address, string? OwnerName);

/// <summary>
/// An account as it is created or replaced: the fields of the account form. A field left out is empty (a PUT replaces
/// every field); the name is required.
/// </summary>
/// <param name="Name">The organisation's name.</param>
/// <param name="TaxId">CIF/NIF or another tax id.</param>
/// <param name="Phone">Teléfono.</param>
/// <param name="Email">An email address.</param>
/// <param name="Website">An http(s) address.</param>
/// <param name="Address">Dirección.</param>
public sealed record AccountBody(string? Name, string? TaxId, string? Phone, string? Email, string? Website, string? Address)
{
    public AccountForm ToForm() => new() { Name = Name, TaxId = TaxId, Phone = Phone, Email = Email, Website = Website, Address = Address };
}

/// <summary>
/// Accounts through the API, read by the account pages' queries (<see cref="AccountQueries"/>) and written as they write
/// (<see cref="AccountWrites"/>, the account form's validator): the list's search in name order by an opaque cursor, one
/// account, create and update. Every role may, as on the pages. An account has no version, so an update takes no
/// If-Match: the last one wins, as on the page.
/// </summary>
[Route("api/v1/accounts")]
public sealed class AccountsApiController(AccountQueries queries, AccountWrites writes, IValidator<AccountForm> validator) : ApiControllerBase
{
    /// <summary>The accounts the account list's search finds (every account without <paramref name="q"/>), in name order.</summary>
    /// <param name="q">As typed in the account list's search: part of the name, or a whole tax id or email.</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page; none for the first.</param>
    /// <param name="limit">Accounts per page, 1 to 100 (50 when not given).</param>
    [HttpGet("")]
    [ProducesResponseType<ListPage<AccountItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<ListPage<AccountItem>>> List(string? q, string? cursor, int? limit, CancellationToken ct)
    {
        if (ApiPaging.Size(limit) is not { } size)
        {
            return BadParameter("limit", L["Api_LimitRange", ApiPaging.MaxLimit]);
        }

        (string, int)? after = null;
        if (cursor is not null)
        {
            if (ApiCursor.Decode<Key>(cursor) is not { S: { Length: <= Domain.Limits.AccountName } searchName } key)
            {
                return BadParameter("cursor", L["Api_CursorUnknown"]);
            }

            after = (searchName, key.I);
        }

        var rows = await queries.AfterAsync(q, after, size + 1, ct);
        var page = rows.Take(size).ToList();
        var next = rows.Count > size ? ApiCursor.Encode(new Key(page[^1].SearchName, page[^1].Row.Id)) : null;
        return new ListPage<AccountItem>([.. page.Select(r => new AccountItem(r.Row.Id, r.Row.Name, r.Row.TaxId, r.Row.Phone, r.Row.Email))], next);
    }

    /// <summary>One account.</summary>
    /// <param name="id">The account's id.</param>
    [HttpGet("{id:int}")]
    [ProducesResponseType<AccountDetailsItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<AccountDetailsItem> Get(int id, CancellationToken ct)
    {
        var a = await queries.HeaderAsync(id, ct) ?? throw new NotFoundException("Account", id);
        return new AccountDetailsItem(a.Id, a.Name, a.TaxId, a.Phone, a.Email, a.Website, a.Address, a.OwnerName);
    }

    /// <summary>Creates an account, owned by the token's user, as the "Nueva cuenta" form does.</summary>
    /// <param name="body">The account's fields.</param>
    [HttpPost("")]
    [ProducesResponseType<AccountDetailsItem>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<AccountDetailsItem>> Create(AccountBody body, CancellationToken ct)
    {
        var form = body.ToForm();
        if (await InvalidAsync(validator, form, ct) is { } invalid)
        {
            return invalid;
        }

        var account = await writes.CreateAsync(form.ToDetails(), ct);
        return CreatedAtAction(nameof(Get), new { id = account.Id }, await Get(account.Id, ct));
    }

    /// <summary>Replaces an account's fields, as its "Editar" form does (a field left out becomes empty); a new name reaches its contacts' search.</summary>
    /// <param name="id">The account's id.</param>
    /// <param name="body">Every field of the account.</param>
    [HttpPut("{id:int}")]
    [ProducesResponseType<AccountDetailsItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<AccountDetailsItem>> Update(int id, AccountBody body, CancellationToken ct)
    {
        var account = await writes.FindAsync(id, ct) ?? throw new NotFoundException("Account", id);
        var form = body.ToForm();
        if (await InvalidAsync(validator, form, ct) is { } invalid)
        {
            return invalid;
        }

        await writes.UpdateAsync(account, form.ToDetails(), ct);
        return await Get(id, ct);
    }

    /// <summary>The keyset of the name order: the folded name and the id.</summary>
    private sealed record Key(string S, int I);
}
