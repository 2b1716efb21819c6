using System.Security.Claims;
using CaseCrm.Data.Identity;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Features.Api;

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
