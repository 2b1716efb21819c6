using Microsoft.AspNetCore.Identity;

namespace CaseCrm.Data.Identity;

/// <summary>A person who signs in: agent, supervisor or administrator.</summary>
public class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;
    public bool IsActive { get; set; } = true;

    /// <summary>When the user last saw the start page ("Inicio").</summary>
    public DateTime? LastSeenAt { get; set; }

    /// <summary>When the user's previous visit ended: the start page lists the cases assigned to them since.</summary>
    public DateTime? PreviousVisitAt { get; set; }
}
