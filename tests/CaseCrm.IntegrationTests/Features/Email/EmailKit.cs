using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.Mailboxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Email;

/// <summary>What the email tests share: a customer's message, a mailbox on the test's smtp4dev, a read of the mailboxes.</summary>
internal static class EmailKit
{
    /// <summary>A customer's plain-text message to the support address, with a Message-ID of its own.</summary>
    public static MimeMessage Message(string from, string? name, string subject, string? text)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(name, from));
        message.To.Add(new MailboxAddress("Soporte", "soporte@casecrm.example"));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("cliente.example");
        if (text is not null)
        {
            message.Body = new TextPart("plain") { Text = text };
        }

        return message;
    }

    /// <summary>
    /// A mailbox of its own for each test, on <paramref name="mail"/>'s IMAP and SMTP: the others are switched off, since
    /// every message lands in the server's one INBOX.
    /// </summary>
    public static async Task<Mailbox> NewMailboxAsync(this CrmWebFactory factory, Smtp4devServer mail, int? acknowledgementId = null)
    {
        var secrets = factory.Services.GetRequiredService<MailboxSecrets>();
        return await factory.InDbAsync(async db =>
        {
            await db.Mailboxes.ExecuteUpdateAsync(m => m.SetProperty(x => x.IsActive, false));
            var mailbox = new Mailbox
            {
                Name = "Soporte " + Token(), ImapHost = "127.0.0.1", ImapPort = mail.ImapPort, ImapSecurity = MailSecurity.None, ImapUser = "soporte",
                ImapPasswordProtected = secrets.Protect("x"), SmtpHost = "127.0.0.1", SmtpPort = mail.SmtpPort, SmtpSecurity = MailSecurity.None,
                Address = $"{Token()}@casecrm.example", DisplayName = "Soporte", DefaultCategoryId = await db.Categories.Where(c => c.IsActive).Select(c => c.Id).FirstAsync(),
                AcknowledgementId = acknowledgementId,
            };
            db.Mailboxes.Add(mailbox);
            await db.SaveChangesAsync();
            return mailbox;
        });
    }

    /// <summary>One round of the app's mailbox poller; how many messages it stored.</summary>
    public static async Task<int> PollAsync(this CrmWebFactory factory) =>
        await factory.Services.GetRequiredService<MailboxPoller>().PollAllAsync(CancellationToken.None);

    /// <summary>The case the message from <paramref name="sender"/> opened or joined.</summary>
    public static Task<Case> CaseFromAsync(this CrmWebFactory factory, string sender) =>
        factory.InDbAsync(db => db.Cases.SingleAsync(c => db.EmailMessages.Any(e => e.CaseId == c.Id && e.FromAddress == sender)));
}
