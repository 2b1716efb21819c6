using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Data.Email;
using CaseCrm.Domain.Email;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CaseCrm.Web.Features.Mailboxes;

/// <summary>
/// Sends the outbox: every few seconds each instance claims the due messages (<see cref="EmailOutbox.ClaimDueAsync"/>:
/// one conditional UPDATE per message, so one instance sends each) and hands them to the mailbox's SMTP server with the
/// Message-ID written when the message was queued. A failure is tried again later (the delay doubles), a refusal the
/// server calls permanent (5xx) or the last attempt leaves the message in Error with the server's reason. A crash after
/// the commit loses nothing: the message is queued until an instance sends it.
/// </summary>
public sealed class OutboxSender(IServiceScopeFactory scopes, IOptions<EmailOptions> options, TimeProvider clock, ILogger<OutboxSender> logger) : BackgroundService
{
    /// <summary>This instance, as the claims name it.</summary>
    public string InstanceId { get; } = $"{Guid.NewGuid():N}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Send)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SendInterval, clock);
        do
        {
            try
            {
                while (await SendDueAsync(stoppingToken) >= options.Value.SendBatch)
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Sending the outbox failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: claims the due messages and tries each once. Returns how many it claimed.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<EmailOutbox>();
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await outbox.ClaimDueAsync(InstanceId, now, now + settings.SendLease, settings.SendBatch, ct);
        foreach (var id in claimed)
        {
            await SendOneAsync(scope.ServiceProvider, outbox, id, ct);
        }

        return claimed.Count;
    }

    private async Task SendOneAsync(IServiceProvider services, EmailOutbox outbox, int id, CancellationToken ct)
    {
        var settings = options.Value;
        if (await outbox.LoadAsync(id, ct) is not { } item)
        {
            return;
        }

        var temporary = new List<Stream>();
        try
        {
            var message = await ToMimeAsync(item, services.GetRequiredService<CrmDbContext>(), temporary, ct);
            using var smtp = new SmtpClient { Timeout = (int)settings.ConnectTimeout.TotalMilliseconds };
            await smtp.ConnectAsync(item.Mailbox.SmtpHost, item.Mailbox.SmtpPort, MailboxReader.Socket(item.Mailbox.SmtpSecurity), ct);
            if (!string.IsNullOrEmpty(item.Mailbox.SmtpUser) && smtp.Capabilities.HasFlag(SmtpCapabilities.Authentication))
            {
                await smtp.AuthenticateAsync(item.Mailbox.SmtpUser, services.GetRequiredService<MailboxSecrets>().Unprotect(item.Mailbox.SmtpPasswordProtected), ct);
            }

            await smtp.SendAsync(message, ct);
            // The server has it: from here a crash before the mark could send it again, with the same Message-ID.
            await outbox.MarkSentAsync(id, InstanceId, clock.GetUtcNow().UtcDateTime, ct);
            await smtp.DisconnectAsync(true, CancellationToken.None);
            logger.LogInformation("Email {EmailId} of case {CaseId} sent", id, item.Message.CaseId);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // A refusal the server calls permanent, or an address that cannot be parsed, will not succeed on a retry.
            var permanent = ex is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 } or ParseException;
            var next = permanent ? null : EmailReplyRules.NextAttempt(
                item.Message.SendAttempts + 1, settings.MaxSendAttempts, settings.FirstRetryDelay, settings.MaxRetryDelay, clock.GetUtcNow().UtcDateTime);
            logger.LogWarning(ex, "Email {EmailId} of case {CaseId} not sent (attempt {Attempt}, next {Next})", id, item.Message.CaseId, item.Message.SendAttempts + 1, next);
            await outbox.MarkFailedAsync(id, InstanceId, ex.Message, next, ct);
        }
        finally
        {
            foreach (var stream in temporary)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>The message as it goes out: our Message-ID, the thread's headers, the text, and the case's files it carries.</summary>
    private static async Task<MimeMessage> ToMimeAsync(OutboxItem item, CrmDbContext db, List<Stream> temporary, CancellationToken ct)
    {
        var email = item.Message;
        var message = new MimeMessage { Subject = email.Subject, MessageId = email.MessageId, Date = email.CreatedAt };
        message.From.Add(new MailboxAddress(item.Mailbox.DisplayName, item.Mailbox.Address));
        message.To.AddRange(InternetAddressList.Parse(email.To));
        if (!string.IsNullOrWhiteSpace(email.Cc))
        {
            message.Cc.AddRange(InternetAddressList.Parse(email.Cc));
        }

        if (email.InReplyTo is { } inReplyTo)
        {
            message.InReplyTo = inReplyTo;
        }

        foreach (var reference in (email.References ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            message.References.Add(reference);
        }

        if (email.AuthorId == Data.Identity.SystemUsers.MailId)
        {
            // An acknowledgement is an automatic reply (RFC 3834): other systems must not answer it.
            message.Headers.Add("Auto-Submitted", "auto-replied");
        }

        var body = new BodyBuilder { TextBody = email.TextBody };
        foreach (var file in item.Files)
        {
            // Each file is copied out of the database in pieces to a temporary file, not held in memory.
            var content = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81_920, FileOptions.DeleteOnClose);
            temporary.Add(content);
            await AttachmentContentStore.CopyToAsync(db, file.AttachmentId, content, ct);
            content.Position = 0;
            body.Attachments.Add(new MimePart(MimeTypes.GetMimeType(file.FileName))
            {
                Content = new MimeContent(content), ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64, FileName = file.FileName,
            });
        }

        message.Body = body.ToMessageBody();
        return message;
    }
}
