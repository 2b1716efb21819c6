namespace CaseCrm.Domain.Email;

public enum EmailDirection
{
    Incoming = 1,
    Outgoing = 2,
}

/// <summary>Where an outgoing email is: in the outbox, delivered to the SMTP server, or given up (with the reason).</summary>
public enum DeliveryState
{
    Queued = 1,
    Sent = 2,
    Failed = 3,
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

    /// <summary>The Message-IDs an outgoing message names in <c>References</c>, oldest first, separated by spaces.</summary>
    public string? References { get; set; }

    /// <summary>Who wrote an outgoing message (the system's mail user for an acknowledgement); null for incoming mail.</summary>
    public string? AuthorId { get; set; }

    /// <summary>An outgoing message's place in the outbox; null for incoming mail.</summary>
    public DeliveryState? State { get; set; }
    public int SendAttempts { get; set; }

    /// <summary>When the sender may try a queued message (again).</summary>
    public DateTime? NextAttemptAt { get; set; }

    /// <summary>The instance sending the message now, and until when its claim holds (a crashed sender's claim expires).</summary>
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }

    /// <summary>The SMTP server's last refusal or the connection's failure, in its words.</summary>
    public string? LastError { get; set; }

    /// <summary>Case attachments the message carries (outgoing) or brought (incoming).</summary>
    public List<EmailAttachment> Attachments { get; } = [];

    /// <summary>A reply to write into the outbox: queued now, sent by the background sender.</summary>
    public static EmailMessage Queue(int caseId, int mailboxId, string messageId, MailboxAddressText from, OutgoingMail mail, string authorId, DateTime now) => new()
    {
        CaseId = caseId, MailboxId = mailboxId, Direction = EmailDirection.Outgoing, MessageId = messageId, InReplyTo = mail.InReplyTo,
        References = mail.References, FromAddress = from.Address, FromName = from.Name, To = mail.To, Cc = mail.Cc, Subject = mail.Subject,
        TextBody = mail.Body, AuthorId = authorId, State = DeliveryState.Queued, NextAttemptAt = now, SentAt = now, CreatedAt = now,
    };
}

/// <summary>An address with its display name, as the mailbox sends from it.</summary>
public sealed record MailboxAddressText(string Address, string? Name);

/// <summary>What an outgoing message says and to whom; the threading headers come from the case's last message.</summary>
public sealed record OutgoingMail(string To, string? Cc, string Subject, string Body, string? InReplyTo, string? References);

/// <summary>A case attachment that an email carries or brought.</summary>
public sealed class EmailAttachment
{
    public int EmailMessageId { get; set; }
    public int CaseAttachmentId { get; set; }
}
