using Microsoft.AspNetCore.Identity;

namespace CaseCrm.Data.Identity;

/// <summary>A person who signs in: agent, supervisor or administrator.</summary>
public class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;
    public bool IsActive { get; set; } = true;
}
