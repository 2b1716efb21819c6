using CaseCrm.Domain;
using Microsoft.AspNetCore.Identity;

namespace CaseCrm.Data.Identity;

/// <summary>The one password rule of the app and of the data generator: a length, not a composition (NIST SP 800-63B).</summary>
public static class PasswordPolicy
{
    public static void Apply(PasswordOptions password)
    {
        password.RequiredLength = Limits.PasswordMin;
        password.RequireDigit = false;
        password.RequireLowercase = false;
        password.RequireUppercase = false;
        password.RequireNonAlphanumeric = false;
        password.RequiredUniqueChars = 1;
    }
}
