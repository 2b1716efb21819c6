namespace CaseCrm.Domain.Cases;

/// <summary>A comment in a case's timeline: plain text, line breaks kept.</summary>
public class CaseComment
{
    /// <summary>How long an author may still edit or delete their own comment; supervisors always may.</summary>
    public static readonly TimeSpan AuthorEditWindow = TimeSpan.FromMinutes(15);

    public int Id { get; set; }
    public int CaseId { get; set; }
    public string AuthorId { get; set; } = string.Empty;
    public string Body { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
    public DateTime? EditedAt { get; set; }

    /// <summary>True when <paramref name="userId"/> may edit or delete this comment at <paramref name="now"/>.</summary>
    public bool CanBeChangedBy(string userId, bool isSupervisor, DateTime now) =>
        MayChange(AuthorId, CreatedAt, userId, isSupervisor, now);

    /// <summary>The same rule from a read model's values (pages use it to show or hide the commands).</summary>
    public static bool MayChange(string authorId, DateTime createdAtUtc, string? userId, bool isSupervisor, DateTime nowUtc) =>
        isSupervisor || (userId == authorId && nowUtc - createdAtUtc <= AuthorEditWindow);
}
