namespace CaseCrm.Domain.Email;

/// <summary>How a connection to a mail server is secured.</summary>
public enum MailSecurity
{
    /// <summary>TLS from the first byte (IMAPS 993, SMTPS 465).</summary>
    Tls = 1,

    /// <summary>Plain, then STARTTLS before signing in (IMAP 143, submission 587).</summary>
    StartTls = 2,

    /// <summary>No encryption: only for a server on the same machine or in tests.</summary>
    None = 3,
}

/// <summary>
/// A mailbox the team receives cases in and answers from: where to read (IMAP), where to send (SMTP), who replies come
/// from, and the category of the cases it opens. Passwords are kept protected (Data Protection) by the caller and never
/// shown again. <see cref="LeaseOwner"/>/<see cref="LeaseUntil"/> let one instance at a time poll it.
/// </summary>
public sealed class Mailbox
{
    public int Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public string ImapHost { get; set; } = string.Empty;
    public int ImapPort { get; set; } = 993;
    public MailSecurity ImapSecurity { get; set; } = MailSecurity.Tls;
    public string ImapUser { get; set; } = string.Empty;
    public string? ImapPasswordProtected { get; set; }
    public string Folder { get; set; } = "INBOX";
    public string SmtpHost { get; set; } = string.Empty;
    public int SmtpPort { get; set; } = 587;
    public MailSecurity SmtpSecurity { get; set; } = MailSecurity.StartTls;
    public string SmtpUser { get; set; } = string.Empty;
    public string? SmtpPasswordProtected { get; set; }
    public string Address { get; set; } = string.Empty;
    public string DisplayName { get; set; } = string.Empty;
    public int DefaultCategoryId { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>The quick reply sent to the sender of a message that opens a case; null: no acknowledgement.</summary>
    public int? AcknowledgementId { get; set; }

    /// <summary>The instance polling the mailbox now, and until when its lease holds.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime? LastPolledAt { get; set; }

    /// <summary>The last poll's failure, in the server's words; null after a good poll.</summary>
    public string? LastError { get; set; }
    public int Version { get; set; }
}
