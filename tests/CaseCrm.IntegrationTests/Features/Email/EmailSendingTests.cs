using System.Text;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.Mailboxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;
using static CaseCrm.IntegrationTests.Features.Email.EmailKit;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Email;

/// <summary>
/// Email out, against a real mail server (smtp4dev) on SQLite and PostgreSQL: a reply from a quick reply with a file of
/// the case goes out once, in the customer's thread, and the customer's answer joins the case; the acknowledgement of a
/// case opened by email; one update to every child's customer; two senders sending each message once; the SMTP server
/// down then up; a crash after the commit; and nothing internal is ever sent.
/// </summary>
public abstract class EmailSendingTests(CrmWebFactory factory, Smtp4devServer mail) : IAsyncLifetime
{
    private Mailbox _mailbox = null!;

    public async Task InitializeAsync()
    {
        await mail.ClearAsync();
        _mailbox = await factory.NewMailboxAsync(mail);
        // Another test's message left in the outbox would be claimed here too: each test counts only its own.
        await factory.InDbAsync(db => db.EmailMessages.Where(e => e.State == DeliveryState.Queued)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.State, DeliveryState.Failed)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AReply_FromAQuickReply_WithAFileOfTheCase_GoesOutOnce_InTheThread_AndTheAnswerJoinsTheCase()
    {
        var sender = $"{Token()}@cliente.example";
        var first = Message(sender, "Marta Ruiz", "Necesito la factura", "¿Me envían la factura de octubre?");
        await mail.SendAsync(first);
        await PollAsync();
        var item = await CaseFromAsync(sender);
        var agentId = await factory.UserIdAsync(Agent);
        var cases = factory.Database.NewCaseService();
        await cases.AddCommentAsync(item.Id, "NOTA INTERNA: el cliente debe dos meses.", agentId);
        var file = (await cases.AddAttachmentsAsync(item.Id, [UploadedFile.Of("detalle.txt", Encoding.UTF8.GetBytes("Importe: 120 EUR"))], agentId))[0];
        var template = await NewQuickReplyAsync("Su factura", "Hola {contacto.nombre}, le adjuntamos la factura del caso {caso.numero} ({caso.titulo}). Un saludo, {agente.nombre}.");
        var client = await factory.ClientAsync(Roles.Agent);

        // The demo seed's quick replies are offered.
        var offered = (await client.GetDocumentAsync($"/Cases/{item.Id}/Reply")).QuerySelectorAll("#QuickReplyId option").Select(o => o.TextContent.Trim()).ToList();
        Assert.Superset(new HashSet<string> { "Acuse de recibo", "Solicitar más datos", "Caso resuelto" }, offered.ToHashSet());
        var form = await client.GetFormAsync($"/Cases/{item.Id}/Reply", "#reply-form");
        Assert.Equal((sender, $"Re: Necesito la factura [{Number(item.Id)}]", Invariant(_mailbox.Id)), (form.Get("To"), form.Get("Subject"), form.Get("MailboxId")));
        using var applied = await form.Set("QuickReplyId", template.Id).PostAsync("command");
        var page = await applied.PageAsync();
        var agentName = await factory.InDbAsync(db => db.Users.Where(u => u.Id == agentId).Select(u => u.DisplayName).SingleAsync());
        Assert.Equal($"Hola Marta Ruiz, le adjuntamos la factura del caso {Number(item.Id)} (Necesito la factura). Un saludo, {agentName}.", page.QuerySelector("#Body")!.TextContent.Trim());
        Assert.Equal($"Su factura [{Number(item.Id)}]", page.QuerySelector("#Subject")!.GetAttribute("value"));
        using (var sent = await page.GetForm(client, "#reply-form").Set("Cc", "jefa@cliente.example").Set("AttachmentIds", file.Id).PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}#comments", sent.RedirectTarget());
        }

        var queued = await factory.InDbAsync(db => db.EmailMessages.SingleAsync(e => e.CaseId == item.Id && e.Direction == EmailDirection.Outgoing));
        Assert.Equal((DeliveryState.Queued, agentId, first.MessageId), (queued.State!.Value, queued.AuthorId, queued.InReplyTo));
        // The reply is the case's first response (service levels): its target is met or breached, no longer due.
        var answered = await factory.CaseAsync(item.Id);
        Assert.InRange(answered.FirstRespondedAt!.Value, queued.CreatedAt, queued.CreatedAt.AddSeconds(5));
        Assert.Null(answered.FirstResponseDueAt);
        Assert.Equal("En cola", (await client.GetDocumentAsync($"/Cases/{item.Id}")).Text($"li[data-email-id='{queued.Id}'] .email-state"));

        Assert.Equal(1, await SendAsync());
        Assert.Equal(0, await SendAsync());

        var outgoing = Assert.Single(await SentByUsAsync());
        Assert.Equal((sender, "jefa@cliente.example", queued.MessageId, first.MessageId),
            (outgoing.To.Mailboxes.Single().Address, outgoing.Cc.Mailboxes.Single().Address, outgoing.MessageId, outgoing.InReplyTo));
        Assert.Contains(first.MessageId, outgoing.References);
        Assert.Equal($"Su factura [{Number(item.Id)}]", outgoing.Subject);
        Assert.StartsWith("Hola Marta Ruiz,", outgoing.TextBody!, StringComparison.Ordinal);
        var attachment = Assert.IsAssignableFrom<MimePart>(Assert.Single(outgoing.Attachments));
        using (var content = new MemoryStream())
        {
            await attachment.Content!.DecodeToAsync(content);
            Assert.Equal(("detalle.txt", "Importe: 120 EUR"), (attachment.FileName, Encoding.UTF8.GetString(content.ToArray())));
        }

        Assert.DoesNotContain("NOTA INTERNA", outgoing.ToString(), StringComparison.Ordinal);
        var casePage = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.Equal("Enviado", casePage.Text($"li[data-email-id='{queued.Id}'] .email-state"));
        Assert.Equal("detalle.txt", casePage.Text($"li[data-email-id='{queued.Id}'] .email-files a"));
        Assert.Null(casePage.QuerySelector($"#attachment-list tr:has(a[href*='/{file.Id}']) button.btn-outline-danger"));
        Assert.Contains(HistoryField.EmailQueued, (await factory.HistoryAsync(item.Id)).Select(h => h.Field));

        // The customer answers from their mail client: no number in the subject, only the headers name our message.
        var answer = Message(sender, "Marta Ruiz", "Re: Su factura", "Recibida, gracias.");
        answer.InReplyTo = outgoing.MessageId;
        answer.References.Add(outgoing.MessageId!);
        await mail.SendAsync(answer);
        await PollAsync();
        Assert.Equal(3, await factory.InDbAsync(db => db.EmailMessages.CountAsync(e => e.CaseId == item.Id)));
        Assert.Equal(1, await factory.InDbAsync(db => db.Cases.CountAsync(c => c.ContactId == item.ContactId)));
    }

    [Fact]
    public async Task AQuickReply_NamingAnUnknownPlaceholder_IsRefusedBesideTheField_AndNothingIsSaved()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var name = "Plantilla " + Token();
        var form = (await client.GetFormAsync("/QuickReplies/Create", "#quick-reply-form"))
            .Set("Name", name).Set("Subject", "Caso {caso.numero}").Set("Body", "Hola {cliente.nombre}");

        using var refused = await form.PostAsync();

        var page = await refused.PageAsync();
        Assert.Equal(
            "El marcador {cliente.nombre} no existe. Use {contacto.nombre}, {caso.numero}, {caso.titulo} o {agente.nombre}.",
            page.FieldError("Body"));
        Assert.False(await factory.InDbAsync(db => db.QuickReplies.AnyAsync(q => q.Name == name)));

        using var saved = await page.GetForm(client, "#quick-reply-form").Set("Body", "Hola {contacto.nombre}").PostAsync();
        Assert.Equal("/QuickReplies", saved.RedirectTarget());
        Assert.True(await factory.InDbAsync(db => db.QuickReplies.AnyAsync(q => q.Name == name)));
    }

    [Fact]
    public async Task ACaseOpenedByEmail_IsAcknowledgedWithItsNumber_OnlyOnce_AndAReplyThatJoinsIsNot()
    {
        var template = await NewQuickReplyAsync("Hemos recibido su mensaje", "Hola {contacto.nombre}: hemos abierto el caso {caso.numero}, «{caso.titulo}».");
        _mailbox = await factory.NewMailboxAsync(mail, template.Id);
        var sender = $"{Token()}@cliente.example";
        var first = Message(sender, "Pablo Gil", "La app no arranca", "Se cierra al abrirla.");
        await mail.SendAsync(first);
        await PollAsync();
        var item = await CaseFromAsync(sender);
        await mail.SendAsync(Message(sender, "Pablo Gil", $"Re: La app no arranca [{Number(item.Id)}]", "Sigue igual."));
        await PollAsync();

        Assert.Equal(1, await SendAsync());

        var ack = Assert.Single(await SentByUsAsync());
        Assert.Equal((sender, $"Hemos recibido su mensaje [{Number(item.Id)}]", first.MessageId, "auto-replied"), (ack.To.Mailboxes.Single().Address, ack.Subject, ack.InReplyTo, ack.Headers["Auto-Submitted"]));
        Assert.Equal($"Hola Pablo Gil: hemos abierto el caso {Number(item.Id)}, «La app no arranca».", ack.TextBody!.Trim());
        var stored = await factory.InDbAsync(db => db.EmailMessages.SingleAsync(e => e.CaseId == item.Id && e.Direction == EmailDirection.Outgoing));
        Assert.Equal((SystemUsers.MailId, DeliveryState.Sent), (stored.AuthorId, stored.State!.Value));
        // An acknowledgement is not a response: the case still waits for its first answer.
        Assert.Null((await factory.CaseAsync(item.Id)).FirstRespondedAt);
    }

    [Fact]
    public async Task WritingToTheChildren_ReachesEachActiveChildsContactOnce_EachInItsOwnThread()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(4);
        var emails = new Dictionary<int, string?>();
        for (var i = 0; i < children.Count; i++)
        {
            var contact = await data.ContactAsync(null, $"Cliente{i}", "Pérez");
            var address = i == 2 ? null : $"hijo{i}-{Token()}@cliente.example";
            var childId = children[i].Id;
            await factory.InDbAsync(async db =>
            {
                await db.Contacts.Where(c => c.Id == contact.Id).ExecuteUpdateAsync(c => c.SetProperty(x => x.Email, address));
                return await db.Cases.Where(c => c.Id == childId).ExecuteUpdateAsync(c => c.SetProperty(x => x.ContactId, contact.Id));
            });
            emails[childId] = address;
        }

        await factory.ResolveAsync(children[3].Id, await factory.UserIdAsync(Supervisor));
        var agent = await factory.ClientAsync(Roles.Agent);
        Assert.Null((await agent.GetDocumentAsync($"/Cases/{parent.Id}")).QuerySelector("#case-write-children"));
        var client = await factory.ClientAsync(Roles.Supervisor);
        Assert.NotNull((await client.GetDocumentAsync($"/Cases/{parent.Id}")).QuerySelector("#case-write-children"));

        var form = (await client.GetFormAsync($"/Cases/{parent.Id}/WriteToChildren", "#children-form"))
            .Set("Subject", "Corte del servicio resuelto").Set("Body", "Hola {contacto.nombre}: el corte que afectaba a su caso {caso.numero} está resuelto.");
        using var posted = await form.PostAsync();

        Assert.Equal($"/Cases/{parent.Id}#comments", posted.RedirectTarget());
        Assert.Equal($"Mensaje en cola para 2 casos secundarios. Sin correo electrónico del contacto: {Number(children[2].Id)}.", (await client.FollowAsync(posted)).Flash());
        Assert.Equal(2, await SendAsync());
        Assert.Equal(0, await SendAsync());
        var sent = await SentByUsAsync();
        Assert.Equal(2, sent.Count);
        foreach (var child in children.Take(2))
        {
            var message = Assert.Single(sent, m => m.To.Mailboxes.Single().Address == emails[child.Id]);
            Assert.Equal($"Corte del servicio resuelto [{Number(child.Id)}]", message.Subject);
            Assert.Contains($"su caso {Number(child.Id)} está resuelto", message.TextBody!, StringComparison.Ordinal);
            Assert.Equal(1, await factory.InDbAsync(db => db.EmailMessages.CountAsync(e => e.CaseId == child.Id && e.State == DeliveryState.Sent)));
        }

        Assert.Contains(HistoryField.ChildrenWritten, (await factory.HistoryAsync(parent.Id)).Select(h => h.Field));
        Assert.False(await factory.InDbAsync(db => db.EmailMessages.AnyAsync(e => e.CaseId == parent.Id || e.CaseId == children[3].Id)));
    }

    [Fact]
    public async Task TwoSenders_AtTheSameTime_SendEachMessageOnce()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync();
        var agentId = await factory.UserIdAsync(Agent);
        for (var i = 0; i < 12; i++)
        {
            await QueueAsync(item.Id, $"cliente{i}@cliente.example", $"Mensaje {i}", agentId);
        }

        var senders = new[] { ActivatorUtilities.CreateInstance<OutboxSender>(factory.Services), ActivatorUtilities.CreateInstance<OutboxSender>(factory.Services) };
        var claimed = await Task.WhenAll(senders.Select(async s =>
        {
            var total = 0;
            for (var round = 0; round < 5; round++)
            {
                total += await s.SendDueAsync(CancellationToken.None);
            }

            return total;
        }));

        Assert.Equal(12, claimed.Sum());
        var sent = await SentByUsAsync();
        Assert.Equal(12, sent.Count);
        Assert.Equal(12, sent.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(12, await factory.InDbAsync(db => db.EmailMessages.CountAsync(e => e.CaseId == item.Id && e.State == DeliveryState.Sent && e.SendAttempts == 1)));
    }

    [Fact]
    public async Task TheSmtpServerDown_ThenUp_TheReplyGoesOutOnceItIsBack_AndAGivenUpOneOnReintentar()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync();
        var agentId = await factory.UserIdAsync(Agent);
        var client = await factory.ClientAsync(Roles.Agent);
        int retried = 0, givenUp = 0;
        await mail.RestartAsync(async () =>
        {
            retried = await QueueAsync(item.Id, "espera@cliente.example", "Se reintenta", agentId);
            Assert.Equal(1, await SendAsync());
            var waiting = await EmailAsync(retried);
            Assert.Equal((DeliveryState.Queued, 1), (waiting.State!.Value, waiting.SendAttempts));
            Assert.NotNull(waiting.LastError);
            Assert.True(waiting.NextAttemptAt > DateTime.UtcNow.AddMilliseconds(-200));
            Assert.StartsWith("Se reintentará a las", (await client.GetDocumentAsync($"/Cases/{item.Id}")).Text($"li[data-email-id='{retried}'] .email-error"), StringComparison.Ordinal);

            givenUp = await QueueAsync(item.Id, "error@cliente.example", "Se abandona", agentId);
            await factory.InDbAsync(db => db.EmailMessages.Where(e => e.Id == givenUp).ExecuteUpdateAsync(e => e.SetProperty(x => x.SendAttempts, 7)));
            await SendAsync();
            Assert.Equal(DeliveryState.Failed, (await EmailAsync(givenUp)).State);
        });

        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.Equal("Error", page.Text($"li[data-email-id='{givenUp}'] .email-state"));
        Assert.StartsWith("No se pudo enviar:", page.Text($"li[data-email-id='{givenUp}'] .email-error span"), StringComparison.Ordinal);

        // The server is back: the queued reply goes out once its retry is due; the given-up one waits for "Reintentar".
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        Assert.Equal(1, await SendAsync());
        Assert.Equal("espera@cliente.example", Assert.Single(await SentByUsAsync()).To.Mailboxes.Single().Address);
        // Sent once; it may have failed more than once while the server was down (a slow machine passes its first retry).
        var sentReply = await EmailAsync(retried);
        Assert.Equal(DeliveryState.Sent, sentReply.State);
        Assert.True(sentReply.SendAttempts >= 2, $"{sentReply.SendAttempts} attempts");

        using (var retry = await page.GetForm(client, $"li[data-email-id='{givenUp}'] form").PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}#comments", retry.RedirectTarget());
        }

        Assert.Equal(1, await SendAsync());
        Assert.Equal(0, await SendAsync());
        var sent = await SentByUsAsync();
        Assert.Equal(2, sent.Count);
        Assert.Single(sent, m => m.To.Mailboxes.Single().Address == "error@cliente.example");
    }

    [Fact]
    public async Task ACrashAfterTheCommit_TheReplyStillGoesOut_Once()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync();
        var agentId = await factory.UserIdAsync(Agent);
        // One reply committed by an instance that stopped before sending; one claimed by an instance that crashed mid-send.
        var notSent = await QueueAsync(item.Id, "uno@cliente.example", "Antes de la caída", agentId);
        var claimed = await QueueAsync(item.Id, "dos@cliente.example", "Durante la caída", agentId);
        var claimUntil = DateTime.UtcNow.AddSeconds(2);
        await factory.InDbAsync(db => db.EmailMessages.Where(e => e.Id == claimed)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.ClaimedBy, "instancia-caida").SetProperty(x => x.ClaimedUntil, claimUntil)));

        // The restarted instance: its background sender starts as the host starts it.
        var options = Options.Create(new EmailOptions { Send = true, SendInterval = TimeSpan.FromMilliseconds(200) });
        var restarted = ActivatorUtilities.CreateInstance<OutboxSender>(factory.Services, options);
        await restarted.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(async () => (await EmailAsync(notSent)).State == DeliveryState.Sent);
            Assert.Equal(DeliveryState.Queued, (await EmailAsync(claimed)).State);
            await WaitUntilAsync(async () => (await EmailAsync(claimed)).State == DeliveryState.Sent);
            await Task.Delay(TimeSpan.FromMilliseconds(600));
        }
        finally
        {
            await restarted.StopAsync(CancellationToken.None);
        }

        var sent = await SentByUsAsync();
        Assert.Equal(2, sent.Count);
        Assert.Equal(["dos@cliente.example", "uno@cliente.example"], sent.Select(m => m.To.Mailboxes.Single().Address).Order());
    }

    [Fact]
    public async Task AFileThatAnEmailCarries_IsNotDeleted()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync();
        var agentId = await factory.UserIdAsync(Agent);
        var file = (await factory.Database.NewCaseService().AddAttachmentsAsync(item.Id, [UploadedFile.Of("plano.txt", Encoding.UTF8.GetBytes("plano"))], agentId))[0];
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CaseCrm.Data.Email.EmailOutboxService>().QueueReplyAsync(
            item.Id, new CaseCrm.Data.Email.ReplyCommand(_mailbox.Id, "a@cliente.example", null, "Plano", "Le envío el plano.", [file.Id]), agentId);

        var refused = await Assert.ThrowsAsync<CaseRuleException>(() => factory.Database.NewCaseService().DeleteAttachmentAsync(item.Id, file.Id, agentId, true));

        Assert.Equal(CaseRuleCode.AttachmentInEmail, Assert.Single(refused.Violations).Code);
        Assert.True(await factory.InDbAsync(db => db.CaseAttachments.AnyAsync(a => a.Id == file.Id)));
    }

    private async Task<int> QueueAsync(int caseId, string to, string subject, string agentId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CaseCrm.Data.Email.EmailOutboxService>()
            .QueueReplyAsync(caseId, new CaseCrm.Data.Email.ReplyCommand(_mailbox.Id, to, null, subject, "Texto de " + subject, []), agentId);
    }

    private Task<EmailMessage> EmailAsync(int id) => factory.InDbAsync(db => db.EmailMessages.AsNoTracking().SingleAsync(e => e.Id == id));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The background sender did not send within 20 s.");
            await Task.Delay(100);
        }
    }

    private Task<int> PollAsync() => factory.PollAsync();

    private async Task<int> SendAsync() => await factory.Services.GetRequiredService<OutboxSender>().SendDueAsync(CancellationToken.None);

    private async Task<List<MimeMessage>> SentByUsAsync() =>
        [.. (await mail.MessagesAsync()).Where(m => m.From.Mailboxes.Any(a => a.Address == _mailbox.Address))];

    private Task<Case> CaseFromAsync(string sender) => factory.CaseFromAsync(sender);

    private Task<QuickReply> NewQuickReplyAsync(string subject, string body) => factory.InDbAsync(async db =>
    {
        var reply = new QuickReply();
        reply.Update("Respuesta " + Token(), subject, body);
        db.QuickReplies.Add(reply);
        await db.SaveChangesAsync();
        return reply;
    });



    public sealed class Sqlite(SqliteWebFactory factory, Smtp4devServer mail) : EmailSendingTests(factory, mail), IClassFixture<SqliteWebFactory>, IClassFixture<Smtp4devServer>;

    public sealed class Postgres(PostgresWebFactory factory, Smtp4devServer mail) : EmailSendingTests(factory, mail), IClassFixture<PostgresWebFactory>, IClassFixture<Smtp4devServer>;
}
