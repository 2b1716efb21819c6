using CaseCrm.Data.Email;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CaseCrm.IntegrationTests.Infrastructure;

/// <summary>Customers' emails received by the app's own intake, without a mail server.</summary>
public static class CustomerReplies
{
    /// <summary>
    /// Stores <paramref name="count"/> received emails on case <paramref name="caseId"/> (its number in the subject), through
    /// the app's intake, every other one with an HTML part; in a mailbox of their own.
    /// </summary>
    public static Task<int> ReceiveRepliesAsync(this CrmWebFactory factory, int caseId, int count) => factory.InDbAsync(async db =>
    {
        var token = Guid.NewGuid().ToString("N");
        var mailbox = new Mailbox
        {
            Name = "Respuestas " + token[..8], ImapHost = "127.0.0.1", ImapUser = "x", SmtpHost = "127.0.0.1", SmtpUser = "x",
            Address = $"{token}@casecrm.example", DisplayName = "Soporte", IsActive = false,
            DefaultCategoryId = await db.Categories.Select(c => c.Id).FirstAsync(),
        };
        db.Mailboxes.Add(mailbox);
        await db.SaveChangesAsync();
        var intake = new EmailIntakeService(db, TimeProvider.System, NullLogger<EmailIntakeService>.Instance);
        for (var i = 0; i < count; i++)
        {
            var mail = new IncomingEmail(
                $"{token}-{i}@cliente.example", null, [], "cliente@cliente.example", "Cliente", mailbox.Address, null,
                $"Re: consulta [{CaseNumber.Format(caseId)}]", $"Mensaje {i} del cliente.", i % 2 == 0 ? $"<p>Mensaje <b>{i}</b></p>" : null, DateTime.UtcNow);
            var result = await intake.ReceiveAsync(mailbox.Id, mailbox.DefaultCategoryId, mail, 7);
            Assert.Equal(IntakeOutcome.Joined, result.Outcome);
        }

        return count;
    });
}
