using System.Text.RegularExpressions;
using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.CaseWork;

/// <summary>
/// "Responder" through the real UI (issue 17): from the case page, a demo quick reply applied, the message sent, and the
/// timeline showing it as public and "En cola" (the browser tests' app does not send: its mailbox points at no server).
/// </summary>
public sealed class EmailReplyTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AReply_FromTheCasePage_WithAQuickReply_IsQueuedInTheTimeline() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var mailbox = await Fixture.CreateMailboxAsync();
        var contact = await Fixture.CreateContactAsync("Inés", $"Robles {tag}");
        await Fixture.SetEmailAsync(contact, $"ines.{tag}@cliente.test");
        var item = await Fixture.CreateCaseAsync(contact, $"No llega la factura de noviembre {tag}");
        await SignInAsync(DemoUsers.Agent);

        await Page.GotoAsync(item.Url);
        await Page.Locator("#case-reply").ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Responder");
        await Expect(Page.Locator("#To")).ToHaveValueAsync($"ines.{tag}@cliente.test");
        await Expect(Page.Locator("#Subject")).ToHaveValueAsync($"Re: {item.Title} [{item.Number}]");
        await Page.Locator("#MailboxId").SelectOptionAsync(new SelectOptionValue { Label = $"Soporte {mailbox} <{mailbox}>" });
        await Page.Locator("#QuickReplyId").SelectOptionAsync(new SelectOptionValue { Label = "Solicitar más datos" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Aplicar", Exact = true }).ClickAsync();
        var body = Page.Locator("#Body");
        await Expect(body).ToHaveValueAsync(new Regex($"^Hola Inés Robles {tag}:.*{item.Number}.*Ana Agente$", RegexOptions.Singleline));
        await Expect(Page.Locator("#Subject")).ToHaveValueAsync($"Necesitamos más información [{item.Number}]");
        await SaveDocsScreenshotAsync("case-reply.png");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Enviar", Exact = true }).ClickAsync();

        await Expect(Page.FlashMessage()).ToHaveTextAsync("Respuesta en cola de envío.");
        await Expect(Page).ToHaveURLAsync(new Regex($"/Cases/{item.Id}#comments$"));
        var entry = Page.Locator("#timeline li.timeline-email");
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry).ToContainTextAsync("Necesitamos más información");
        await Expect(entry).ToContainTextAsync("Público");
        await Expect(entry).ToContainTextAsync("Ana Agente");
        await Expect(entry.Locator(".email-state")).ToHaveTextAsync("En cola");
    });
}
