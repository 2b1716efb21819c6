namespace CaseCrm.Domain.Cases;

/// <summary>A comment in a case's timeline: plain text, line breaks kept.</summary>
public class CaseComment
{
    /// <summary>How long an author may still edit or delete their own comment; supervisors always may.</summary>
    public static readonly TimeSpan AuthorEditWindow = TimeSpan.FromMinutes(15);

    private CaseComment()
    {
    }

    public CaseComment(int caseId, string authorId, string body, DateTime now)
    {
        CaseId = caseId;
        AuthorId = authorId;
        Body = body.Trim();
        CreatedAt = now;
    }

    public int Id { get; private set; }
    public int CaseId { get; private set; }
    public string AuthorId { get; private set; } = string.Empty;
    public string Body { get; private set; } = string.Empty;
    public DateTime CreatedAt { get; private set; }
    public DateTime? EditedAt { get; private set; }

    /// <summary>Changes the text, when <paramref name="userId"/> may (<see cref="MayChange"/>).</summary>
    public void Edit(string body, string userId, bool isSupervisor, DateTime now)
    {
        CheckMayChange(userId, isSupervisor, now);
        Body = body.Trim();
        EditedAt = now;
    }

    /// <summary>Throws unless <paramref name="userId"/> may edit or delete this comment at <paramref name="now"/>.</summary>
    public void CheckMayChange(string userId, bool isSupervisor, DateTime now)
    {
        if (!MayChange(AuthorId, CreatedAt, userId, isSupervisor, now))
        {
            throw new CaseRuleException(CaseRuleCode.CommentNotEditable, CaseId);
        }
    }

    /// <summary>The rule, also from a read model's values (pages use it to show or hide the commands).</summary>
    public static bool MayChange(string authorId, DateTime createdAtUtc, string? userId, bool isSupervisor, DateTime nowUtc) =>
        isSupervisor || (userId == authorId && nowUtc - createdAtUtc <= AuthorEditWindow);
}
