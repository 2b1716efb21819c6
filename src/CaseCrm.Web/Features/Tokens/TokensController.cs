using CaseCrm.Data;
using CaseCrm.Domain;
using CaseCrm.Domain.Access;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Tokens;

public sealed class TokenForm
{
    public string? Name { get; set; }

    /// <summary>The last day the token works (to its end, in the user's time zone).</summary>
    public DateOnly? Expires { get; set; }
}

internal sealed class TokenFormValidator : AbstractValidator<TokenForm>
{
    /// <summary>The latest last day: a year from today (so the token lives at most <see cref="PersonalAccessToken.MaxLifetime"/>).</summary>
    public const int MaxDays = 365;

    public TokenFormValidator(IStringLocalizer<SharedResource> l, CurrentUser me, TimeProvider clock)
    {
        RuleFor(f => f.Name).NotEmpty().WithMessage(_ => l["Tokens_NameRequired"])
            .MaximumLength(Limits.TokenName).WithMessage(_ => l["Validation_MaxLength", Limits.TokenName]);
        RuleFor(f => f.Expires).NotNull().WithMessage(_ => l["Tokens_ExpiresRequired"])
            .Must(d =>
            {
                var today = DateOnly.FromDateTime(me.ToLocal(clock.GetUtcNow().UtcDateTime));
                return d > today && d <= today.AddDays(MaxDays);
            }).When(f => f.Expires is not null).WithMessage(_ => l["Tokens_ExpiresRange", MaxDays]);
    }
}

public sealed record TokenRow(int Id, string Name, string Prefix, DateTime CreatedAt, DateTime ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt);

public sealed record TokensModel(IReadOnlyList<TokenRow> Tokens, TokenForm Form, string? NewSecret, DateTime Now);

/// <summary>
/// "Tokens de acceso": each user's personal access tokens for the API (ADR 0027) — made with a name and a last day, the
/// secret shown once (carried to the list in TempData, never stored), revoked at once.
/// </summary>
[Route("Account/Tokens")]
public sealed class TokensController(CrmDbContext db, CurrentUser me, IValidator<TokenForm> validator, TimeProvider clock, IStringLocalizer<SharedResource> l) : Controller
{
    /// <summary>The most tokens a user lists (and keeps usable at once).</summary>
    public const int MaxTokens = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(await ModelAsync(new TokenForm { Expires = DateOnly.FromDateTime(me.ToLocal(clock.GetUtcNow().UtcDateTime)).AddDays(90) }, TempData["TokenSecret"] as string, ct));

    [HttpPost("")]
    public async Task<IActionResult> Create(TokenForm form, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        var now = clock.GetUtcNow().UtcDateTime;
        if (result.IsValid && await db.PersonalAccessTokens.CountAsync(t => t.OwnerId == me.Id && t.RevokedAt == null && t.ExpiresAt > now, ct) >= MaxTokens)
        {
            ModelState.AddModelError(nameof(TokenForm.Name), l["Tokens_TooMany", MaxTokens]);
        }

        var expiresAt = form.Expires is { } day ? me.ToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue)) : now;
        if (ModelState.ErrorCount == 0 && !PersonalAccessToken.IsValidExpiry(expiresAt, now))
        {
            ModelState.AddModelError(nameof(TokenForm.Expires), l["Tokens_ExpiresRange", TokenFormValidator.MaxDays]);
        }

        if (ModelState.ErrorCount > 0)
        {
            return View("Index", await ModelAsync(form, null, ct));
        }

        var (token, secret) = PersonalAccessToken.Create(me.Id, form.Name!, expiresAt, now);
        db.PersonalAccessTokens.Add(token);
        await db.SaveChangesAsync(ct);
        TempData["TokenSecret"] = secret;
        TempData["Message"] = l["Tokens_Created", token.Name].Value;
        return RedirectToAction(nameof(Index));
    }

    /// <summary>Revokes one of the user's own tokens; someone else's is not found.</summary>
    [HttpPost("{id:int}/Revoke")]
    public async Task<IActionResult> Revoke(int id, CancellationToken ct)
    {
        var token = await db.PersonalAccessTokens.SingleOrDefaultAsync(t => t.Id == id && t.OwnerId == me.Id, ct);
        if (token is null)
        {
            return NotFound();
        }

        token.Revoke(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        TempData["Message"] = l["Tokens_Revoked", token.Name].Value;
        return RedirectToAction(nameof(Index));
    }

    private async Task<TokensModel> ModelAsync(TokenForm form, string? secret, CancellationToken ct)
    {
        var rows = await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.OwnerId == me.Id)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Take(MaxTokens)
            .Select(t => new TokenRow(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(ct);
        return new TokensModel(rows, form, secret, clock.GetUtcNow().UtcDateTime);
    }
}
