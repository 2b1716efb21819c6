using System.Security.Claims;
using CaseCrm.Data.Identity;
using Microsoft.AspNetCore.Authorization;

namespace CaseCrm.Web.Infrastructure;

/// <summary>The named authorization policies; controllers and views ask for them, never for role names.</summary>
public static class Policies
{
    /// <summary>Supervisors and administrators: associate and remove children, reopen, assign others, change others' comments and files.</summary>
    public const string ManageCases = "ManageCases";

    /// <summary>Administrators: users, categories and settings.</summary>
    public const string Administer = "Administer";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(ManageCases, p => p.RequireRole(Roles.Supervisor, Roles.Administrator));
        options.AddPolicy(Administer, p => p.RequireRole(Roles.Administrator));
    }
}

/// <summary>The signed-in user of this request: the one place controllers and views read who they act for.</summary>
public sealed class CurrentUser(IHttpContextAccessor http, IAuthorizationService authorization)
{
    private bool? _canManageCases;
    private TimeZoneInfo? _zone;

    public ClaimsPrincipal Principal => http.HttpContext?.User ?? new ClaimsPrincipal();

    /// <summary>The user's id; null for an anonymous request.</summary>
    public string? IdOrNull => Principal.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The user's id, on pages that require a signed-in user.</summary>
    public string Id => IdOrNull ?? throw new InvalidOperationException("The request has no signed-in user.");

    /// <summary>The user's time zone (a preference; the server's when none is chosen or it is unknown here).</summary>
    public TimeZoneInfo TimeZone => _zone ??= Principal.FindFirstValue(AppClaimsFactory.TimeZoneClaim) is { } id
        && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Local;

    /// <summary>A stored (UTC) time as the user reads it, to the minute.</summary>
    public DateTime ToLocal(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZone);
        return new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified);
    }

    /// <summary>A wall-clock time the user entered, in UTC. A time skipped by a daylight-saving change is read an hour later.</summary>
    public DateTime ToUtc(DateTime local) => ToUtc(TimeZone, local);

    /// <summary>A wall-clock time of <paramref name="zone"/> in UTC; a time skipped by a daylight-saving change is read an hour later.</summary>
    public static DateTime ToUtc(TimeZoneInfo zone, DateTime local)
    {
        var wall = DateTime.SpecifyKind(new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0), DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            wall = wall.AddHours(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(wall, zone);
    }

    /// <summary>Whether the <see cref="Policies.ManageCases"/> policy allows this user; asked once per request.</summary>
    public async Task<bool> CanManageCasesAsync() =>
        _canManageCases ??= (await authorization.AuthorizeAsync(Principal, Policies.ManageCases)).Succeeded;
}
