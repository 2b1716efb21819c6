using System.Globalization;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Data.Email;
using CaseCrm.Domain.Email;
using Ganss.Xss;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CaseCrm.Web.Features.Mailboxes;

/// <summary>Settings of email intake (section <c>Email</c>).</summary>
public sealed class EmailOptions
{
    /// <summary>How often each instance looks for new mail.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an instance holds a mailbox it polls; another takes it over after this if the first stopped.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A reply to a case closed less than this many days ago reopens it; an older one opens a new case.</summary>
    public int ReopenDays { get; set; } = 7;

    /// <summary>The most messages one poll of one mailbox takes (the rest wait for the next poll).</summary>
    public int MaxMessagesPerPoll { get; set; } = 200;

    /// <summary>Off: the app does not poll (an instance that only serves pages).</summary>
    public bool Receive { get; set; } = true;

    /// <summary>The timeout of each connection to a mail server.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Off: the app does not send the outbox (the messages wait for an instance that does).</summary>
    public bool Send { get; set; } = true;

    /// <summary>How often each instance looks for due messages in the outbox.</summary>
    public TimeSpan SendInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an instance holds a message it sends; another sends it after this if the first stopped.</summary>
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most messages one round of the sender claims.</summary>
    public int SendBatch { get; set; } = 50;

    /// <summary>Attempts before a message is given up (Error, with "Reintentar").</summary>
    public int MaxSendAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; it doubles after each next one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Mailbox passwords, protected with Data Protection (the keys the cookies use); never shown again.</summary>
public sealed class MailboxSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("CaseCrm.Mailbox.Password.v1");

    public string Protect(string password) => _protector.Protect(password);

    public string Unprotect(string? protectedPassword) => protectedPassword is null ? string.Empty : _protector.Unprotect(protectedPassword);
}

/// <summary>What one poll of a mailbox did.</summary>
public sealed record PollResult(int Read, int Stored, int Automatic);

/// <summary>
/// Reads a mailbox over IMAP (MailKit): each unread message becomes a case change (<see cref="EmailIntakeService"/>),
/// and is marked read only after that change is committed — a crash in between leaves it unread, and the next read finds
/// its Message-ID stored and only marks it. Automatic mail is marked read and never stored.
/// </summary>
public sealed class MailboxReader(
    CrmDbContext db, EmailIntakeService intake, MailboxSecrets secrets, IOptions<EmailOptions> options, IOptions<AttachmentLimits> attachmentLimits,
    ILogger<MailboxReader> logger)
{
    private static readonly HtmlSanitizer Sanitizer = new();

    public async Task<PollResult> PollAsync(Mailbox mailbox, CancellationToken ct)
    {
        var settings = options.Value;
        using var imap = new ImapClient { Timeout = (int)settings.ConnectTimeout.TotalMilliseconds };
        await ConnectAsync(imap, mailbox, ct);
        var folder = await imap.GetFolderAsync(mailbox.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        var unread = (await folder.SearchAsync(SearchQuery.NotSeen, ct)).Take(settings.MaxMessagesPerPoll).ToList();
        var own = await db.Mailboxes.AsNoTracking().Select(m => m.Address).ToListAsync(ct);
        int stored = 0, automatic = 0;
        foreach (var batch in unread.Chunk(FetchBatch))
        {
            foreach (var (uid, message) in await FetchAsync(folder, batch, ct))
            {
                var (isStored, isAutomatic) = await ReceiveAsync(folder, mailbox, uid, message, own, ct);
                stored += isStored ? 1 : 0;
                automatic += isAutomatic ? 1 : 0;
            }
        }

        await imap.DisconnectAsync(true, ct);
        return new PollResult(unread.Count, stored, automatic);
    }

    // Messages are fetched whole, this many in one IMAP FETCH: a round trip per message is what a slow server makes slow.
    private const int FetchBatch = 25;

    private static async Task<IReadOnlyList<(UniqueId Uid, MimeMessage Message)>> FetchAsync(IMailFolder folder, UniqueId[] uids, CancellationToken ct)
    {
        var messages = new (UniqueId, MimeMessage)[uids.Length];
        if (folder is ImapFolder imapFolder)
        {
            // The callback's index is the message's place in the folder, not in the batch: keep them by UID, in UID order.
            var fetched = new Dictionary<UniqueId, MimeMessage>();
            await imapFolder.GetStreamsAsync(uids, async (_, _, uid, stream, token) => fetched[uid] = await MimeMessage.LoadAsync(stream, token), ct);
            return [.. uids.Where(fetched.ContainsKey).Select(uid => (uid, fetched[uid]))];
        }

        for (var i = 0; i < uids.Length; i++)
        {
            messages[i] = (uids[i], await folder.GetMessageAsync(uids[i], ct));
        }

        return messages;
    }

    // One message: ignored when automatic, else stored with its case; marked read only after the commit.
    private async Task<(bool Stored, bool Automatic)> ReceiveAsync(IMailFolder folder, Mailbox mailbox, UniqueId uid, MimeMessage message, IReadOnlyList<string> own, CancellationToken ct)
    {
        var settings = options.Value;
        var stored = false;
        var automatic = false;
        var from = message.From.Mailboxes.FirstOrDefault();
        if (EmailIntakeRules.IsAutomatic(h => message.Headers[h], from?.Address ?? string.Empty, message.Body?.ContentType.MimeType, own))
        {
            logger.LogInformation("Automatic message {MessageId} in mailbox {Mailbox} ignored", message.MessageId, mailbox.Id);
            automatic = true;
        }
        else
        {
            var incoming = ToIncoming(message, mailbox, folder.UidValidity, uid);
            var result = await intake.ReceiveAsync(mailbox.Id, mailbox.DefaultCategoryId, incoming, settings.ReopenDays, ct);
            logger.LogInformation("Message {MessageId} of mailbox {Mailbox}: {Outcome} case {CaseId}", message.MessageId, mailbox.Id, result.Outcome, result.CaseId);
            stored = result.Outcome != IntakeOutcome.AlreadyStored;
            if (incoming.Attachments.Count > 0)
            {
                // Refusal reasons are stored in the team's language (Spanish), whatever the server's culture.
                var culture = CultureInfo.CurrentUICulture;
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("es");
                try
                {
                    await intake.StoreAttachmentsAsync(mailbox.Id, incoming, attachmentLimits.Value, ct);
                }
                finally
                {
                    CultureInfo.CurrentUICulture = culture;
                }
            }
        }

        // Only now, after the commit: a crash before this line leaves the message unread, and it is found stored.
        await folder.AddFlagsAsync(uid, MessageFlags.Seen, true, ct);

        return (stored, automatic);
    }

    /// <summary>"Probar conexión": signs in to both servers; null when both work, otherwise what failed, for the page.</summary>
    public async Task<(string? Imap, string? Smtp)> TestAsync(Mailbox mailbox, CancellationToken ct)
    {
        string? imapError = null, smtpError = null;
        try
        {
            using var imap = new ImapClient { Timeout = (int)options.Value.ConnectTimeout.TotalMilliseconds };
            await ConnectAsync(imap, mailbox, ct);
            var folder = await imap.GetFolderAsync(mailbox.Folder, ct);
            await folder.OpenAsync(FolderAccess.ReadOnly, ct);
            await imap.DisconnectAsync(true, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            imapError = ex.Message;
        }

        try
        {
            using var smtp = new SmtpClient { Timeout = (int)options.Value.ConnectTimeout.TotalMilliseconds };
            await smtp.ConnectAsync(mailbox.SmtpHost, mailbox.SmtpPort, Socket(mailbox.SmtpSecurity), ct);
            if (!string.IsNullOrEmpty(mailbox.SmtpUser) && smtp.Capabilities.HasFlag(SmtpCapabilities.Authentication))
            {
                await smtp.AuthenticateAsync(mailbox.SmtpUser, secrets.Unprotect(mailbox.SmtpPasswordProtected), ct);
            }

            await smtp.DisconnectAsync(true, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            smtpError = ex.Message;
        }

        return (imapError, smtpError);
    }

    private async Task ConnectAsync(ImapClient imap, Mailbox mailbox, CancellationToken ct)
    {
        await imap.ConnectAsync(mailbox.ImapHost, mailbox.ImapPort, Socket(mailbox.ImapSecurity), ct);
        await imap.AuthenticateAsync(mailbox.ImapUser, secrets.Unprotect(mailbox.ImapPasswordProtected), ct);
    }

    internal static SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.None,
    };

    internal static IncomingEmail ToIncoming(MimeMessage message, Mailbox mailbox, uint uidValidity, UniqueId uid)
    {
        var from = message.From.Mailboxes.FirstOrDefault();
        // A message without a Message-ID gets one that the same message keeps on every read (the folder's UIDs are stable).
        var messageId = string.IsNullOrWhiteSpace(message.MessageId)
            ? $"uid-{uidValidity}-{uid.Id}@mailbox-{mailbox.Id}.casecrm.invalid"
            : message.MessageId;
        var thread = new List<string>();
        if (!string.IsNullOrEmpty(message.InReplyTo))
        {
            thread.Add(message.InReplyTo);
        }

        thread.AddRange(message.References.Reverse().Where(r => !thread.Contains(r)));
        var html = message.HtmlBody is { } body ? Sanitizer.Sanitize(body) : null;
        var text = message.TextBody ?? (html is null ? string.Empty : HtmlToText(html));
        var files = message.Attachments.OfType<MimePart>()
            .Select(part => new UploadedFile(part.FileName ?? "adjunto", Decoded(part).LongLength, () => new MemoryStream(Decoded(part), writable: false)))
            .ToList();
        return new IncomingEmail(
            messageId, message.InReplyTo, thread, from?.Address ?? string.Empty, string.IsNullOrWhiteSpace(from?.Name) ? null : from.Name,
            string.Join(", ", message.To.Mailboxes.Select(m => m.Address)), message.Cc.Count == 0 ? null : string.Join(", ", message.Cc.Mailboxes.Select(m => m.Address)),
            message.Subject ?? string.Empty, text, html, message.Date == DateTimeOffset.MinValue ? DateTime.UtcNow : message.Date.UtcDateTime)
        {
            Attachments = files,
        };
    }

    // An attachment's bytes, decoded from its transfer encoding. MimeKit holds the parsed message in memory already
    // (a message is read whole, GetMessageAsync), so this copy is bounded by the message's size.
    private static byte[] Decoded(MimePart part)
    {
        using var buffer = new MemoryStream();
        part.Content?.DecodeTo(buffer);
        return buffer.ToArray();
    }

    // The plain text of a message that has only HTML: the sanitized markup's text content.
    private static string HtmlToText(string html)
    {
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        using var document = parser.ParseDocument(html);
        return document.Body?.TextContent.Trim() ?? string.Empty;
    }
}
