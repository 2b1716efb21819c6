using Microsoft.AspNetCore.Identity;

namespace CaseCrm.Data.Identity;

/// <summary>A person who signs in: agent, supervisor or administrator.</summary>
public class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;
    public bool IsActive { get; set; } = true;

    /// <summary>
    /// The SHA-256 (hex) of the secret in the user's private calendar feed URL; null when there is none. The secret itself
    /// is shown once, when it is made; making a new one or revoking it ends the old URL at once.
    /// </summary>
    public string? CalendarFeedTokenHash { get; set; }

    /// <summary>The IANA time zone the user's times are shown and entered in; null for the server's.</summary>
    public string? TimeZoneId { get; set; }
    /// <summary>When the user last saw the start page ("Inicio").</summary>
    public DateTime? LastSeenAt { get; set; }

    /// <summary>When the user's previous visit ended: the start page lists the cases assigned to them since.</summary>
    public DateTime? PreviousVisitAt { get; set; }
}
