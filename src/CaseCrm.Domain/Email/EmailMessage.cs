namespace CaseCrm.Domain.Email;

public enum EmailDirection
{
    Incoming = 1,
    Outgoing = 2,
}

/// <summary>
/// An email of a case's timeline: the public part of the case (comments stay internal). An incoming one is stored once
/// per mailbox and Message-ID (a unique index), whatever the number of instances or restarts.
/// </summary>
public sealed class EmailMessage
{
    public int Id { get; set; }
    public int CaseId { get; set; }

    /// <summary>Set when the email opens a new case, so that both are inserted in one save.</summary>
    public Cases.Case? Case { get; set; }
    public int MailboxId { get; set; }
    public EmailDirection Direction { get; set; }

    /// <summary>The Message-ID without angle brackets (one is made for a message that has none).</summary>
    public string MessageId { get; set; } = string.Empty;
    public string? InReplyTo { get; set; }
    public string FromAddress { get; set; } = string.Empty;
    public string? FromName { get; set; }
    public string To { get; set; } = string.Empty;
    public string? Cc { get; set; }
    public string Subject { get; set; } = string.Empty;
    public string TextBody { get; set; } = string.Empty;

    /// <summary>The HTML body after sanitizing; null when the message had none.</summary>
    public string? HtmlBody { get; set; }

    /// <summary>Attachments that the upload rules refused, by name and reason (they are not stored).</summary>
    public string? RefusedAttachments { get; set; }

    /// <summary>
    /// The message's attachments are still to be stored: set with the message, cleared in the transaction that stores
    /// them. A crash in between leaves the message unread, and the next read stores them then (once).
    /// </summary>
    public bool AttachmentsPending { get; set; }
    public DateTime SentAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
