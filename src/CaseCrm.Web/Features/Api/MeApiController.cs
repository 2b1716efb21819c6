using System.Security.Claims;
using CaseCrm.Data.Identity;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CaseCrm.Web.Features.Api;

/// <summary>
/// What every API controller is: JSON under /api/v1, a personal access token as the only credential (never the sign-in
/// cookie, so no antiforgery token either), rate-limited per token.
/// </summary>
[ApiController]
[Authorize(AuthenticationSchemes = TokenAuthenticationHandler.SchemeName)]
[EnableRateLimiting(ApiAuthentication.RateLimitPolicy)]
[IgnoreAntiforgeryToken]
[ApiProblems]
public abstract class ApiControllerBase : ControllerBase;

/// <summary>Who the token acts as.</summary>
public sealed record MeResponse(string Id, string Name, string Email, string Role);

[Route("api/v1/me")]
public sealed class MeApiController(CurrentUser me) : ApiControllerBase
{
    /// <summary>The user the token acts as, with their role (Agent, Supervisor or Administrator).</summary>
    [HttpGet("")]
    public MeResponse Get() => new(
        me.Id,
        me.Principal.FindFirstValue(AppClaimsFactory.DisplayNameClaim) ?? "",
        me.Principal.FindFirstValue(ClaimTypes.Email) ?? me.Principal.Identity?.Name ?? "",
        new[] { Roles.Administrator, Roles.Supervisor, Roles.Agent }.FirstOrDefault(me.Principal.IsInRole) ?? "");
}
