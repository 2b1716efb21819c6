using System.Net;
using CaseCrm.Data.Email;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.Mailboxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static CaseCrm.IntegrationTests.Features.Email.EmailKit;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Email;

/// <summary>
/// Email in, against a real mail server (smtp4dev, SMTP and IMAP on loopback) on SQLite and PostgreSQL: messages sent
/// into the server become cases or join them when the app reads the mailbox — a new case for an unknown sender (and a
/// new contact), the contact whose email matches, threading by number and by headers, reopening within the window and a
/// new case after it, HTML sanitized, automatic mail ignored — and each message is stored once, whether it is read
/// again or by two readers at the same moment.
/// </summary>
public abstract class EmailIntakeTests(CrmWebFactory factory, Smtp4devServer mail) : IAsyncLifetime
{
    private Mailbox _mailbox = null!;

    public async Task InitializeAsync()
    {
        await mail.ClearAsync();
        _mailbox = await factory.NewMailboxAsync(mail);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AnUnknownSender_OpensACase_ForANewContact_AndTheMessageIsReadOnce()
    {
        var sender = $"{Token()}@cliente.example";
        await mail.SendAsync(Message(sender, "Marta Ruiz Gil", "No funciona el router", "Desde ayer no tengo conexión."));

        var stored = await PollAsync();

        Assert.Equal(1, stored);
        var item = await CaseFromAsync(sender);
        Assert.Equal(("No funciona el router", CaseOrigin.Email, _mailbox.DefaultCategoryId, CaseStatus.New, SystemUsers.MailId),
            (item.Title, item.Origin!.Value, item.CategoryId, item.Status, item.CreatedById));
        var contact = await factory.InDbAsync(db => db.Contacts.SingleAsync(c => c.Id == item.ContactId));
        Assert.Equal(("Marta Ruiz", "Gil", sender), (contact.FirstName, contact.LastName, contact.Email));
        Assert.Equal(0, await PollAsync());
        Assert.Equal(1, await factory.InDbAsync(db => db.EmailMessages.CountAsync(e => e.FromAddress == sender)));

        var client = await factory.ClientAsync(Roles.Agent);
        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");
        var entry = page.QuerySelector("#timeline li.timeline-email")!;
        Assert.Contains("Desde ayer no tengo conexión.", entry.TextContent, StringComparison.Ordinal);
        Assert.Contains(sender, entry.TextContent, StringComparison.Ordinal);
        Assert.Contains(HistoryField.Created, (await factory.HistoryAsync(item.Id)).Select(h => h.Field));
    }

    [Fact]
    public async Task AKnownSender_IsFoundByTheirEmail_WhateverItsCase()
    {
        var data = await factory.NewDataAsync();
        var address = $"ana.{Token()}@cliente.example";
        var known = await factory.InDbAsync(async db =>
        {
            var contact = new CaseCrm.Domain.Contacts.Contact(
                new CaseCrm.Domain.Contacts.ContactDetails("Ana", "López", address, null, null, null, data.Account.Id), data.Account.Name, null, DateTime.UtcNow);
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            return contact;
        });
        await mail.SendAsync(Message(address.ToUpperInvariant(), "Otro Nombre", "Consulta de factura", "¿Me envían la factura?"));

        await PollAsync();

        var item = await CaseFromAsync(address.ToUpperInvariant());
        Assert.Equal((known.Id, (int?)data.Account.Id), (item.ContactId, item.AccountId));
    }

    [Fact]
    public async Task AReply_JoinsItsCase_ByNumberInTheSubject_OrByItsHeaders()
    {
        var sender = $"{Token()}@cliente.example";
        var first = Message(sender, "Luis Paz", "Pedido retrasado", "¿Dónde está mi pedido?");
        await mail.SendAsync(first);
        await PollAsync();
        var item = await CaseFromAsync(sender);

        await mail.SendAsync(Message(sender, "Luis Paz", $"RE: Pedido retrasado [{CaseNumber.Format(item.Id)}]", "Sigo esperando."));
        var byHeaders = Message($"{Token()}@otro.example", "Compañero de Luis", "Re: Pedido retrasado", "Yo también.");
        byHeaders.InReplyTo = first.MessageId;
        byHeaders.References.Add(first.MessageId!);
        await mail.SendAsync(byHeaders);
        await PollAsync();

        var messages = await factory.InDbAsync(db => db.EmailMessages.Where(e => e.CaseId == item.Id).OrderBy(e => e.Id).Select(e => e.TextBody).ToListAsync());
        Assert.Equal(3, messages.Count);
        Assert.Equal(1, await factory.InDbAsync(db => db.Cases.CountAsync(c => c.ContactId == item.ContactId)));
        Assert.Contains(HistoryField.EmailReceived, (await factory.HistoryAsync(item.Id)).Select(h => h.Field));
    }

    [Fact]
    public async Task AReplyToAClosedCase_ReopensItWithinTheWindow_AndOpensANewCaseAfterIt()
    {
        var sender = $"{Token()}@cliente.example";
        await mail.SendAsync(Message(sender, "Eva Sol", "Sin luz", "No hay luz."));
        await PollAsync();
        var recent = await CaseFromAsync(sender);
        await factory.ResolveAsync(recent.Id, await factory.UserIdAsync(Agent));

        await mail.SendAsync(Message(sender, "Eva Sol", $"Re: Sin luz [{CaseNumber.Format(recent.Id)}]", "Volvió a pasar."));
        await PollAsync();
        Assert.Equal(CaseStatus.InProgress, (await factory.CaseAsync(recent.Id)).Status);

        await factory.ResolveAsync(recent.Id, await factory.UserIdAsync(Agent));
        var old = DateTime.UtcNow.AddDays(-8);
        await factory.InDbAsync(db => db.Cases.Where(c => c.Id == recent.Id).ExecuteUpdateAsync(c => c.SetProperty(x => x.UpdatedAt, old)));
        await mail.SendAsync(Message(sender, "Eva Sol", $"Re: Sin luz [{CaseNumber.Format(recent.Id)}]", "Otra vez, semanas después."));
        await PollAsync();

        Assert.Equal(CaseStatus.Resolved, (await factory.CaseAsync(recent.Id)).Status);
        var newer = await factory.InDbAsync(db => db.Cases.Where(c => c.ContactId == recent.ContactId && c.Id != recent.Id).SingleAsync());
        Assert.StartsWith(CaseNumber.Format(recent.Id), newer.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HtmlIsSanitized_AndAutomaticMailNeverOpensACase()
    {
        var sender = $"{Token()}@cliente.example";
        var html = Message(sender, "Ana Web", "Con formato", null);
        html.Body = new BodyBuilder { HtmlBody = "<p>Hola <b>equipo</b></p><script>alert(1)</script><img src=x onerror=alert(2)>" }.ToMessageBody();
        await mail.SendAsync(html);
        var autoReply = Message($"{Token()}@cliente.example", "Fuera de oficina", "Respuesta automática", "Estoy de vacaciones.");
        autoReply.Headers.Add("Auto-Submitted", "auto-replied");
        await mail.SendAsync(autoReply);
        var bounce = Message("MAILER-DAEMON@cliente.example", null, "Undelivered Mail Returned to Sender", "No se pudo entregar.");
        await mail.SendAsync(bounce);

        Assert.Equal(1, await PollAsync());

        var item = await CaseFromAsync(sender);
        var stored = await factory.InDbAsync(db => db.EmailMessages.SingleAsync(e => e.CaseId == item.Id));
        Assert.Contains("<b>equipo</b>", stored.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("script", stored.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", stored.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Hola equipo", stored.TextBody);
        Assert.Equal(0, await PollAsync());
    }

    [Fact]
    public async Task Attachments_FollowTheUploadRules_AndARefusedOneIsNamedInTheTimeline()
    {
        var sender = $"{Token()}@cliente.example";
        var message = Message(sender, "Con Adjuntos", "Le mando la foto", null);
        var body = new BodyBuilder { TextBody = "Adjunto la foto y el programa." };
        body.Attachments.Add("notas.txt", "Modelo XR-200, comprado en marzo."u8.ToArray(), new ContentType("text", "plain"));
        body.Attachments.Add("programa.exe", [0x4D, 0x5A, 0x90, 0x00], new ContentType("application", "octet-stream"));
        message.Body = body.ToMessageBody();
        await mail.SendAsync(message);

        Assert.Equal(1, await PollAsync());

        var item = await CaseFromAsync(sender);
        var files = await factory.InDbAsync(db => db.CaseAttachments.Where(a => a.CaseId == item.Id).Select(a => new { a.FileName, a.UploadedById }).ToListAsync());
        Assert.Equal(("notas.txt", SystemUsers.MailId), (Assert.Single(files).FileName, files[0].UploadedById));
        var stored = await factory.InDbAsync(db => db.EmailMessages.SingleAsync(e => e.CaseId == item.Id));
        Assert.False(stored.AttachmentsPending);
        Assert.StartsWith("programa.exe: ", stored.RefusedAttachments, StringComparison.Ordinal);
        var page = await (await factory.ClientAsync(Roles.Agent)).GetDocumentAsync($"/Cases/{item.Id}");
        Assert.Contains("programa.exe", page.Text("#timeline li.timeline-email .email-refused"), StringComparison.Ordinal);
        Assert.Equal(0, await PollAsync());
        Assert.Single(await factory.InDbAsync(db => db.CaseAttachments.Where(a => a.CaseId == item.Id).ToListAsync()));
    }

    [Fact]
    public async Task TwoReadersAtOnce_StoreEachMessageOnce()
    {
        var senders = Enumerable.Range(0, 6).Select(_ => $"{Token()}@cliente.example").ToList();
        foreach (var sender in senders)
        {
            await mail.SendAsync(Message(sender, "Cliente Concurrente", "Caso " + sender, "Texto."));
        }

        // Two readers without the lease between them (the lease only saves work): the unique Message-ID decides.
        var mailbox = await factory.InDbAsync(db => db.Mailboxes.AsNoTracking().SingleAsync(m => m.Id == _mailbox.Id));
        async Task<PollResult> ReadAsync()
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<MailboxReader>().PollAsync(mailbox, CancellationToken.None);
        }

        var results = await Task.WhenAll(ReadAsync(), ReadAsync());

        Assert.Equal(6, results.Sum(r => r.Stored));
        foreach (var sender in senders)
        {
            Assert.Equal(1, await factory.InDbAsync(db => db.EmailMessages.CountAsync(e => e.FromAddress == sender)));
            Assert.Equal(1, await factory.InDbAsync(db => db.Cases.CountAsync(c => c.Title == "Caso " + sender)));
        }
    }

    [Fact]
    public async Task TheLease_LetsOneInstancePollAMailbox_AnotherWaitsUntilItExpires()
    {
        var other = "another-instance";
        var until = DateTime.UtcNow.AddMinutes(5);
        await factory.InDbAsync(db => db.Mailboxes.Where(m => m.Id == _mailbox.Id)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.LeaseOwner, other).SetProperty(x => x.LeaseUntil, until)));
        var sender = $"{Token()}@cliente.example";
        await mail.SendAsync(Message(sender, "Cliente", "Con el buzón ocupado", "Texto."));

        Assert.Equal(0, await PollAsync());

        var expired = DateTime.UtcNow.AddMinutes(-1);
        await factory.InDbAsync(db => db.Mailboxes.Where(m => m.Id == _mailbox.Id).ExecuteUpdateAsync(m => m.SetProperty(x => x.LeaseUntil, expired)));
        Assert.Equal(1, await PollAsync());
        var lease = await factory.InDbAsync(db => db.Mailboxes.Where(m => m.Id == _mailbox.Id).Select(m => new { m.LeaseOwner, m.LastPolledAt, m.LastError }).SingleAsync());
        Assert.Equal((null, null), (lease.LeaseOwner, lease.LastError));
        Assert.NotNull(lease.LastPolledAt);
    }

    [Fact]
    public async Task AnAdministrator_SetsUpAMailbox_TestsTheConnection_AndThePasswordIsNeverShownAgain()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var category = await factory.InDbAsync(db => db.Categories.Where(c => c.IsActive).Select(c => c.Id).FirstAsync());
        var address = $"{Token()}@soporte.example";
        HtmlForm Fill(HtmlForm form, int imapPort) => form
            .Set("Name", "Soporte " + address).Set("DefaultCategoryId", category).Set("Address", address).Set("DisplayName", "Soporte")
            .Set("ImapHost", "127.0.0.1").Set("ImapPort", imapPort).Set("ImapSecurity", "None").Set("ImapUser", "soporte").Set("ImapPassword", "secreto-imap")
            .Set("Folder", "INBOX").Set("SmtpHost", "127.0.0.1").Set("SmtpPort", mail.SmtpPort).Set("SmtpSecurity", "None").Set("SmtpUser", "");

        using (var failed = await Fill(await client.GetFormAsync("/Mailboxes/Create", "#mailbox-form"), 1).PostAsync("command"))
        {
            var page = await failed.PageAsync();
            Assert.StartsWith("No se pudo conectar:", page.Text("#test-imap"), StringComparison.Ordinal);
            Assert.Equal("Conexión correcta.", page.Text("#test-smtp"));
            Assert.Equal("", page.QuerySelector("#ImapPassword")!.GetAttribute("value") ?? "");
        }

        Assert.False(await factory.InDbAsync(db => db.Mailboxes.AnyAsync(m => m.Address == address)));
        var form = Fill(await client.GetFormAsync("/Mailboxes/Create", "#mailbox-form"), mail.ImapPort);
        using (var tested = await form.PostAsync("command"))
        {
            var page = await tested.PageAsync();
            Assert.Equal(("Conexión correcta.", "Conexión correcta."), (page.Text("#test-imap"), page.Text("#test-smtp")));
        }

        using (var saved = await form.PostAsync())
        {
            Assert.Equal("/Mailboxes", saved.RedirectTarget());
        }

        var stored = await factory.InDbAsync(db => db.Mailboxes.SingleAsync(m => m.Address == address));
        Assert.DoesNotContain("secreto-imap", stored.ImapPasswordProtected, StringComparison.Ordinal);
        Assert.Equal("secreto-imap", factory.Services.GetRequiredService<MailboxSecrets>().Unprotect(stored.ImapPasswordProtected));
        var edit = await client.GetDocumentAsync($"/Mailboxes/{stored.Id}");
        Assert.DoesNotContain("secreto-imap", edit.Source.Text, StringComparison.Ordinal);
        Assert.Equal("Hay una contraseña guardada; déjelo vacío para conservarla.", edit.Text("#ImapPassword-hint"));

        using (var bad = await (await client.GetFormAsync($"/Mailboxes/{stored.Id}", "#mailbox-form")).Set("ImapPort", "99999").Set("Address", "no es correo").PostAsync())
        {
            var page = await bad.PageAsync();
            Assert.Equal("El puerto debe ser un número entre 1 y 65535.", page.Text("#ImapPort-error"));
            Assert.NotEqual("", page.Text("#Address-error"));
        }

        // The system user that creates cases from mail is nobody an administrator can edit, enable or give a password.
        Assert.DoesNotContain(SystemUsers.MailUserName, (await client.GetDocumentAsync("/Users")).Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfGetAsync($"/Users/{SystemUsers.MailId}/Edit"));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfGetAsync($"/Users/{SystemUsers.MailId}/Password"));
        await factory.InDbAsync(db => db.Mailboxes.Where(m => m.Id == stored.Id).ExecuteUpdateAsync(m => m.SetProperty(x => x.IsActive, false)));
        Assert.Equal(HttpStatusCode.Forbidden, await (await factory.ClientAsync(Roles.Agent)).StatusOfGetAsync("/Mailboxes"));
    }

    private Task<int> PollAsync() => factory.PollAsync();

    private Task<Case> CaseFromAsync(string sender) => factory.CaseFromAsync(sender);



    public sealed class Sqlite(SqliteWebFactory factory, Smtp4devServer mail) : EmailIntakeTests(factory, mail), IClassFixture<SqliteWebFactory>, IClassFixture<Smtp4devServer>;

    public sealed class Postgres(PostgresWebFactory factory, Smtp4devServer mail) : EmailIntakeTests(factory, mail), IClassFixture<PostgresWebFactory>, IClassFixture<Smtp4devServer>;
}

/// <summary>
/// The app polls its mailboxes and sends its outbox by itself, as in production: a message sent becomes a case, and its
/// acknowledgement reaches the customer, without anyone asking.
/// </summary>
public sealed class EmailBackgroundPollingTests(ReceivingSqliteWebFactory factory, Smtp4devServer mail)
    : IClassFixture<ReceivingSqliteWebFactory>, IClassFixture<Smtp4devServer>
{
    [Fact]
    public async Task AMessageSent_BecomesACase_AndIsAcknowledged_WithinAFewSeconds()
    {
        await mail.ClearAsync();
        var secrets = factory.Services.GetRequiredService<MailboxSecrets>();
        await factory.InDbAsync(async db =>
        {
            var acknowledgement = new QuickReply();
            acknowledgement.Update("Acuse", "Recibido", "Hola {contacto.nombre}, su caso es el {caso.numero}.");
            db.QuickReplies.Add(acknowledgement);
            await db.SaveChangesAsync();
            db.Mailboxes.Add(new Mailbox
            {
                Name = "Fondo", ImapHost = "127.0.0.1", ImapPort = mail.ImapPort, ImapSecurity = MailSecurity.None, ImapUser = "fondo",
                ImapPasswordProtected = secrets.Protect("x"), SmtpHost = "127.0.0.1", SmtpPort = mail.SmtpPort, SmtpSecurity = MailSecurity.None,
                Address = "fondo@casecrm.example", DisplayName = "Fondo", DefaultCategoryId = await db.Categories.Select(c => c.Id).FirstAsync(),
                AcknowledgementId = acknowledgement.Id,
            });
            return await db.SaveChangesAsync();
        });
        var sender = $"{Token()}@cliente.example";
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Cliente", sender));
        message.To.Add(new MailboxAddress("Soporte", "fondo@casecrm.example"));
        message.Subject = "Llegó solo";
        message.Body = new TextPart("plain") { Text = "Sin que nadie lo pida." };
        await mail.SendAsync(message);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await factory.InDbAsync(db => db.EmailMessages.AnyAsync(e => e.FromAddress == sender)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The background poller did not store the message within 30 s.");
            await Task.Delay(250);
        }

        var caseId = await factory.InDbAsync(db => db.EmailMessages.Where(e => e.FromAddress == sender).Select(e => e.CaseId).SingleAsync());
        MimeMessage? ack;
        while ((ack = (await mail.MessagesAsync()).SingleOrDefault(m => m.To.Mailboxes.Any(a => a.Address == sender))) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The background sender did not send the acknowledgement within 30 s.");
            await Task.Delay(250);
        }

        Assert.Equal($"Recibido [{Number(caseId)}]", ack.Subject);
        Assert.Equal(DeliveryState.Sent, await factory.InDbAsync(db => db.EmailMessages.Where(e => e.CaseId == caseId && e.Direction == EmailDirection.Outgoing).Select(e => e.State).SingleAsync()));
    }
}
