using System.Diagnostics;
using System.Globalization;
using Bogus;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using CaseCrm.Web;
using CaseCrm.Web.Features.Mailboxes;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CaseCrm.Benchmarks;

/// <summary>
/// The intake benchmark of issue 17 (<c>INTAKE=1 scripts/benchmark.sh</c>, docs/performance.md "Email (issue 17)"): sends
/// <c>Intake:Messages</c> customer messages into a real mail server (smtp4dev, started by the script) over SMTP, adds a
/// mailbox that reads it over IMAP, then times the app's own poller (<see cref="MailboxPoller.PollAllAsync"/>, the round
/// the background service runs every <see cref="EmailOptions.PollInterval"/>, here back to back) until every message is a
/// stored email. The app is built as it runs (its DI, its options); it serves no requests meanwhile. Prints key=value lines.
/// </summary>
internal static class EmailIntakeBenchmark
{
    private const string MailboxAddress = "entrada@benchmark.test";

    public static async Task<int> RunAsync(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var messages = config.GetValue("Intake:Messages", 1_000);
        var smtpPort = config.GetValue<int>("Intake:SmtpPort");
        var imapPort = config.GetValue<int>("Intake:ImapPort");
        // The benchmark drives the rounds itself; the background service would otherwise poll the same mailbox too.
        config["Email:Receive"] = "false";
        builder.Services.AddCrmBenchmark();
        await using var app = await CrmApp.BuildAsync(builder);
        var services = app.Services;
        var counters = services.GetRequiredService<BenchmarkCounters>();

        var (mailboxId, plan, before) = await PrepareAsync(services, messages, imapPort);
        var sending = Stopwatch.StartNew();
        await SendAsync(plan, smtpPort);
        sending.Stop();
        await WaitForInboxAsync(imapPort, messages);

        var poller = services.GetRequiredService<MailboxPoller>();
        var (sqlBefore, allocBefore, cpuBefore) = (counters.Commands, GC.GetTotalAllocatedBytes(), Environment.CpuUsage.TotalTime);
        var intake = Stopwatch.StartNew();
        int stored = 0, rounds = 0;
        while (stored < messages && rounds < (messages / 10) + 10)
        {
            var round = await poller.PollAllAsync(CancellationToken.None);
            rounds++;
            stored += round;
            if (round == 0)
            {
                break;
            }
        }

        intake.Stop();
        var sql = counters.Commands - sqlBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocBefore;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;

        // The mail server's share: the same messages read again over IMAP, whole, without the database.
        var fetching = Stopwatch.StartNew();
        var fetched = await FetchAllAsync(imapPort);
        fetching.Stop();

        var after = await CountAsync(services);
        var lastError = await InDbAsync(services, db => db.Mailboxes.Where(m => m.Id == mailboxId).Select(m => m.LastError).SingleAsync());
        var expectedCases = plan.Count(p => p.Kind != MessageKind.Reply);
        var expectedContacts = plan.Count(p => p.Kind == MessageKind.NewSender);
        var ok = after.Emails - before.Emails == messages && after.Cases - before.Cases == expectedCases
            && after.Contacts - before.Contacts == expectedContacts && stored == messages && lastError is null;
        var seconds = intake.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            messages={messages}
            sent_seconds={sending.Elapsed.TotalSeconds:F1}
            rounds={rounds}
            stored={stored}
            intake_seconds={seconds:F1}
            messages_per_second={messages / seconds:F1}
            sql_per_message={(double)sql / messages:F1}
            kb_alloc_per_message={allocated / 1024.0 / messages:F0}
            cpu_ms_per_message={cpu.TotalMilliseconds / messages:F1}
            imap_fetch_seconds={fetching.Elapsed.TotalSeconds:F1}
            imap_fetched={fetched}
            emails_stored={after.Emails - before.Emails}
            cases_opened={after.Cases - before.Cases}
            cases_expected={expectedCases}
            contacts_created={after.Contacts - before.Contacts}
            contacts_expected={expectedContacts}
            attachments_stored={after.Attachments - before.Attachments}
            last_error={lastError ?? "none"}
            peak_mb={BenchmarkCounters.PeakKb / 1024}
            verified={(ok ? "yes" : "NO")}
            """));
        return ok ? 0 : 1;
    }

    private enum MessageKind
    {
        NewSender,
        KnownContact,
        Reply,
    }

    private sealed record Planned(MessageKind Kind, MimeMessage Message);

    private sealed record Counts(int Emails, int Cases, int Contacts, int Attachments);

    /// <summary>
    /// The mailbox, and the messages: of every ten, seven from new senders, two from contacts the database knows, one a
    /// reply — by <c>[CAS-n]</c> to an open case, or by In-Reply-To to a message sent earlier in the run. Every third has an
    /// HTML part, every twenty-fifth a small attachment.
    /// </summary>
    private static async Task<(int MailboxId, List<Planned> Plan, Counts Before)> PrepareAsync(IServiceProvider services, int messages, int imapPort)
    {
        var secrets = services.GetRequiredService<MailboxSecrets>();
        var (mailboxId, known, openCases) = await InDbAsync(services, async db =>
        {
            var category = await db.Categories.Where(c => c.IsActive).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
            await db.Mailboxes.ExecuteUpdateAsync(m => m.SetProperty(x => x.IsActive, false));
            var mailbox = new Mailbox
            {
                Name = "Benchmark", ImapHost = "127.0.0.1", ImapPort = imapPort, ImapSecurity = MailSecurity.None, ImapUser = "benchmark",
                ImapPasswordProtected = secrets.Protect("benchmark"), SmtpHost = "127.0.0.1", SmtpPort = 25, SmtpSecurity = MailSecurity.None,
                SmtpUser = "benchmark", Address = MailboxAddress, DisplayName = "Soporte", DefaultCategoryId = category,
            };
            db.Mailboxes.Add(mailbox);
            await db.SaveChangesAsync();
            var contacts = await db.Contacts.AsNoTracking().Where(c => c.Email != null && c.FirstName != null)
                .OrderBy(c => c.Id).Take(500).Select(c => new { c.FirstName, c.LastName, Email = c.Email! }).ToListAsync();
            var cases = await db.Cases.AsNoTracking().Where(CaseStatuses.IsActiveCase).OrderBy(c => c.Id).Take(100).Select(c => c.Id).ToListAsync();
            return (mailbox.Id, contacts.Select(c => (Name: $"{c.FirstName} {c.LastName}", c.Email)).ToList(), cases);
        });
        if (known.Count == 0 || openCases.Count == 0)
        {
            throw new InvalidOperationException("The database needs contacts with an email and open cases (run the data generator first).");
        }

        var faker = new Faker("es") { Random = new Randomizer(17) };
        var run = Guid.NewGuid().ToString("N")[..8];
        var plan = new List<Planned>(messages);
        for (var i = 0; i < messages; i++)
        {
            var message = new MimeMessage { MessageId = $"intake-{run}-{i}@cliente.test", Date = DateTimeOffset.UtcNow };
            message.To.Add(new MailboxAddress("Soporte", MailboxAddress));
            var kind = (i % 10) switch { < 7 => MessageKind.NewSender, < 9 => MessageKind.KnownContact, _ => MessageKind.Reply };
            string subject;
            if (kind == MessageKind.NewSender)
            {
                var (first, last) = (faker.Name.FirstName(), faker.Name.LastName());
                message.From.Add(new MailboxAddress($"{first} {last}", $"cliente{i}.{run}@particular.test"));
                subject = faker.PickRandom(Subjects);
            }
            else if (kind == MessageKind.KnownContact)
            {
                var contact = known[i % known.Count];
                message.From.Add(new MailboxAddress(contact.Name, contact.Email));
                subject = faker.PickRandom(Subjects);
            }
            else if (i / 10 % 2 == 0)
            {
                var caseId = openCases[i / 10 % openCases.Count];
                message.From.Add(new MailboxAddress("Cliente", $"respuesta{i}.{run}@particular.test"));
                subject = $"Re: {faker.PickRandom(Subjects)} [{CaseNumber.Format(caseId)}]";
            }
            else
            {
                // Answers the first message of its ten, a new sender's, which became a case earlier in the same run.
                var original = plan[i - 9].Message;
                message.From.AddRange(original.From);
                message.InReplyTo = original.MessageId;
                message.References.Add(original.MessageId!);
                subject = "Re: " + original.Subject;
            }

            message.Subject = subject;
            var text = $"Buenos días:\n\n{faker.Lorem.Paragraph(3)}\n\n{faker.Lorem.Sentence()}\n\nUn saludo.";
            var body = new BodyBuilder { TextBody = text };
            if (i % 3 == 0)
            {
                body.HtmlBody = $"<p>Buenos días:</p><p>{faker.Lorem.Paragraph(3)}</p><p><b>Un saludo.</b></p><script>alert(1)</script>";
            }

            if (i % 25 == 0)
            {
                body.Attachments.Add($"registro-{i}.txt", System.Text.Encoding.UTF8.GetBytes(faker.Lorem.Paragraphs(8)), new ContentType("text", "plain"));
            }

            message.Body = body.ToMessageBody();
            plan.Add(new Planned(kind, message));
        }

        return (mailboxId, plan, await CountAsync(services));
    }

    private static async Task SendAsync(List<Planned> plan, int smtpPort)
    {
        // One connection for all, in order: the server's UIDs, and so the order of intake, follow the order sent.
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", smtpPort, SecureSocketOptions.None);
        foreach (var planned in plan)
        {
            await smtp.SendAsync(planned.Message);
        }

        await smtp.DisconnectAsync(true);
    }

    private static async Task WaitForInboxAsync(int imapPort, int messages)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            using var imap = await ConnectAsync(imapPort);
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
            if (imap.Inbox.Count >= messages)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The mail server holds {imap.Inbox.Count} of {messages} messages after 5 minutes.");
            }

            await Task.Delay(500);
        }
    }

    private static async Task<int> FetchAllAsync(int imapPort)
    {
        using var imap = await ConnectAsync(imapPort);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var fetched = 0;
        foreach (var uid in await imap.Inbox.SearchAsync(SearchQuery.All))
        {
            _ = await imap.Inbox.GetMessageAsync(uid);
            fetched++;
        }

        await imap.DisconnectAsync(true);
        return fetched;
    }

    private static async Task<ImapClient> ConnectAsync(int imapPort)
    {
        var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", imapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync("benchmark", "benchmark");
        return imap;
    }

    private static Task<Counts> CountAsync(IServiceProvider services) => InDbAsync(services, async db => new Counts(
        await db.EmailMessages.CountAsync(), await db.Cases.CountAsync(), await db.Contacts.CountAsync(), await db.CaseAttachments.CountAsync()));

    private static async Task<T> InDbAsync<T>(IServiceProvider services, Func<CrmDbContext, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    private static readonly string[] Subjects =
    [
        "No tengo conexión desde ayer", "Factura duplicada", "Quiero cambiar el titular", "Corte de suministro", "El contador está roto",
        "Alta de un servicio nuevo", "Consulta sobre tarifas", "Me han cobrado dos veces", "El router no enciende", "Cambio de domicilio",
        "Pedido incompleto", "Garantía del equipo",
    ];
}
