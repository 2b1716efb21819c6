namespace CaseCrm.Domain.Cases;

/// <summary>A file attached to a case. The bytes live in <see cref="AttachmentContent"/> so that lists never load them.</summary>
public class CaseAttachment
{
    public int Id { get; set; }
    public int CaseId { get; set; }
    public string FileName { get; set; } = string.Empty;
    public long Size { get; set; }
    public string UploadedById { get; set; } = string.Empty;
    public DateTime UploadedAt { get; set; }
    public AttachmentContent? Content { get; set; }

    public bool CanBeDeletedBy(string userId, bool isSupervisor) => MayDelete(UploadedById, userId, isSupervisor);

    /// <summary>The same rule from a read model's values (pages use it to show or hide the command).</summary>
    public static bool MayDelete(string uploadedById, string? userId, bool isSupervisor) => isSupervisor || userId == uploadedById;
}

/// <summary>The bytes of an attachment, stored in the database so that every instance serves every file.</summary>
public class AttachmentContent
{
    public int AttachmentId { get; set; }
    public byte[] Data { get; set; } = [];
}
