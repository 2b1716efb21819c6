using System.Security.Claims;
using CaseCrm.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CaseCrm.Web.Infrastructure;

/// <summary>Adds the display name and the time zone to the sign-in cookie, so pages show "Ana Agente" and her times without a query.</summary>
public sealed class AppClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    public const string DisplayNameClaim = "casecrm:display_name";
    public const string TimeZoneClaim = "casecrm:time_zone";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        if (!string.IsNullOrEmpty(user.TimeZoneId))
        {
            identity.AddClaim(new Claim(TimeZoneClaim, user.TimeZoneId));
        }
        return identity;
    }
}
