using System.Globalization;
using System.Text.RegularExpressions;
using CaseCrm.Domain.Cases;

namespace CaseCrm.Domain.Email;

/// <summary>What an incoming email does to the cases.</summary>
public enum IntakeAction
{
    /// <summary>Joins an active case's timeline.</summary>
    Join,

    /// <summary>Joins a case closed within the reopen window, which goes back to En curso.</summary>
    Reopen,

    /// <summary>Opens a new case that refers to an older closed one.</summary>
    NewReferring,

    /// <summary>Opens a new case.</summary>
    New,
}

/// <summary>The rules of email intake (design.md "Email"): threading, reopening, and mail that is never answered.</summary>
public static partial class EmailIntakeRules
{
    /// <summary>The case number in a subject: <c>[CAS-000123]</c>, any number of digits.</summary>
    public static int? CaseIdInSubject(string? subject)
    {
        var match = subject is null ? null : CaseTag().Match(subject);
        return match is { Success: true } && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;
    }

    /// <summary>
    /// Mail written by a machine: an auto-reply, a delivery report, a list or bulk message, or one of our own addresses.
    /// It never opens a case and never gets a reply (RFC 3834).
    /// </summary>
    public static bool IsAutomatic(Func<string, string?> header, string fromAddress, string? contentType, IEnumerable<string> ownAddresses)
    {
        var autoSubmitted = header("Auto-Submitted");
        if (autoSubmitted is not null && !autoSubmitted.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var precedence = header("Precedence")?.Trim().ToLowerInvariant();
        if (precedence is "bulk" or "list" or "junk" or "auto_reply")
        {
            return true;
        }

        if (header("X-Autoreply") is not null || header("X-Autorespond") is not null
            || (contentType?.StartsWith("multipart/report", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return true;
        }

        var local = fromAddress.Split('@')[0].ToLowerInvariant();
        return local is "mailer-daemon" or "postmaster" || string.IsNullOrEmpty(fromAddress)
            || ownAddresses.Any(a => a.Equals(fromAddress, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// What a message that names a case (by number or by a stored Message-ID) does: join it while it is active, reopen it
    /// when it was closed less than <paramref name="reopenDays"/> days ago, otherwise open a new case that refers to it.
    /// </summary>
    public static IntakeAction Decide(CaseStatus status, DateTime closedAt, DateTime now, int reopenDays) =>
        status.IsActive() ? IntakeAction.Join
        : now - closedAt < TimeSpan.FromDays(reopenDays) ? IntakeAction.Reopen
        : IntakeAction.NewReferring;

    /// <summary>The subject of a case opened from an email, within the title's length.</summary>
    public static string TitleFrom(string? subject, string fallback)
    {
        var title = string.IsNullOrWhiteSpace(subject) ? fallback : subject.Trim();
        return title.Length <= Limits.CaseTitle ? title : title[..Limits.CaseTitle];
    }

    [GeneratedRegex(@"\[CAS-0*(\d{1,9})\]", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CaseTag();
}
