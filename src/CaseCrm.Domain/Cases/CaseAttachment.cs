namespace CaseCrm.Domain.Cases;

/// <summary>A file attached to a case. The bytes live in <see cref="AttachmentContent"/> so that lists never load them.</summary>
public class CaseAttachment
{
    private CaseAttachment()
    {
    }

    /// <summary>
    /// A file that <see cref="AttachmentRules.CheckAsync"/> accepted, whose bytes the store writes separately, streamed
    /// (<see cref="Content"/> stays empty); its name is made safe here.
    /// </summary>
    public CaseAttachment(int caseId, string? fileName, long size, string uploadedById, DateTime now)
    {
        CaseId = caseId;
        FileName = AttachmentRules.SafeFileName(fileName);
        Size = size;
        UploadedById = uploadedById;
        UploadedAt = now;
    }

    /// <summary>A small file held in memory, stored with its bytes (tests and the demo seed).</summary>
    public CaseAttachment(int caseId, string? fileName, byte[] data, string uploadedById, DateTime now)
        : this(caseId, fileName, data.Length, uploadedById, now) => Content = new AttachmentContent(data);

    public int Id { get; private set; }
    public int CaseId { get; private set; }
    public string FileName { get; private set; } = string.Empty;
    public long Size { get; private set; }
    public string UploadedById { get; private set; } = string.Empty;
    public DateTime UploadedAt { get; private set; }
    public AttachmentContent? Content { get; private set; }

    /// <summary>
    /// Throws unless <paramref name="userId"/> may delete this file; a file an email of the case carries
    /// (<paramref name="inEmail"/>) stays, since the email is the record of what was sent or received.
    /// </summary>
    public void CheckMayDelete(string userId, bool isSupervisor, bool inEmail)
    {
        if (!MayDelete(UploadedById, userId, isSupervisor))
        {
            throw new CaseRuleException(CaseRuleCode.AttachmentNotDeletable, CaseId);
        }

        if (inEmail)
        {
            throw new CaseRuleException(CaseRuleCode.AttachmentInEmail, CaseId, FileName);
        }
    }

    /// <summary>
    /// The uploader or a supervisor, and not a file of an email; also from a read model's values (pages use it to show or
    /// hide the command).
    /// </summary>
    public static bool MayDelete(string uploadedById, string? userId, bool isSupervisor, bool inEmail = false) =>
        (isSupervisor || userId == uploadedById) && !inEmail;
}

/// <summary>The bytes of an attachment, stored in the database so that every instance serves every file.</summary>
public class AttachmentContent
{
    private AttachmentContent()
    {
    }

    public AttachmentContent(byte[] data) => Data = data;

    public int AttachmentId { get; private set; }
    public byte[] Data { get; private set; } = [];
}
