using System.Text;
using System.Text.RegularExpressions;
using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.CaseWork;

/// <summary>
/// Working a case (design.md, "Cases"): "Tomar caso", a comment in the timeline (shown as typed, never as markup),
/// an attachment uploaded and downloaded byte for byte, and the "Historial" tab recording what changed.
/// </summary>
public sealed class WorkCaseTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task WorkCase_TakeCommentAttachDownloadAndHistory() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Beatriz", $"Luna {tag}");
        var item = await Fixture.CreateCaseAsync(contact, $"Lectura del contador incorrecta {tag}", "Reclamo");
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenCaseAsync(item);

        // "Tomar caso": the case is the agent's, shown by display name.
        var assignee = Page.Locator("#assignee");
        await Expect(assignee).ToHaveTextAsync("(sin asignar)");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Tomar caso", Exact = true }).ClickAsync();
        await Expect(Page.FlashMessage()).ToHaveTextAsync("Ahora el caso es suyo.");
        await Expect(assignee).ToHaveTextAsync("Ana Agente");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Tomar caso", Exact = true })).ToHaveCountAsync(0);

        // A comment of two lines with markup in it: shown as text, the line break kept.
        const string firstLine = "El cliente dice que <b>hola</b> & adiós";
        const string secondLine = "Segunda línea: lectura real 12345 kWh.";
        await Page.GetByLabel("Nuevo comentario", new() { Exact = true }).FillAsync($"{firstLine}\n{secondLine}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Agregar comentario", Exact = true }).ClickAsync();
        await Expect(Page.FlashMessage()).ToHaveTextAsync("Se agregó el comentario.");
        var comments = Page.Locator("#timeline").GetByRole(AriaRole.Listitem);
        await Expect(comments).ToHaveCountAsync(1);
        var body = comments.Locator(".comment-body");
        await Expect(body).ToHaveTextAsync(TwoLines(firstLine, secondLine), new() { UseInnerText = true });
        await Expect(body.GetByText("<b>hola</b>", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(body.Locator("b")).ToHaveCountAsync(0);
        await Expect(comments).ToContainTextAsync("Ana Agente");
        var lines = (await body.InnerTextAsync()).ReplaceLineEndings("\n").Split('\n');
        Assert.Equal([firstLine, secondLine], lines);
        await Expect(Page.GetByLabel("Nuevo comentario", new() { Exact = true })).ToHaveValueAsync(string.Empty);

        // A small text file, attached through the file input from memory.
        var fileName = $"lectura-contador-{tag}.txt";
        var content = Encoding.UTF8.GetBytes($"Lectura del contador: 12345 kWh\nFecha: 3 de marzo\nSeñal: buena ({tag})\n");
        await Page.GetByLabel("Archivos", new() { Exact = true }).SetInputFilesAsync(new FilePayload
        {
            Name = fileName,
            MimeType = "text/plain",
            Buffer = content,
        });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Adjuntar", Exact = true }).ClickAsync();
        await Expect(Page.FlashMessage()).ToHaveTextAsync($"Se adjuntó: {fileName}.");
        var attachments = Page.Locator("#attachment-list");
        var link = attachments.GetByRole(AriaRole.Link, new() { Name = fileName, Exact = true });
        await Expect(link).ToBeVisibleAsync();
        var attachmentRow = attachments.GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Link, new() { Name = fileName, Exact = true }) });
        await Expect(attachmentRow).ToContainTextAsync("Ana Agente");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Archivos adjuntos 1", Exact = true })).ToBeVisibleAsync();

        // Downloaded: the same name and the same bytes.
        var download = await Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal(fileName, download.SuggestedFilename);
        Assert.Null(await download.FailureAsync());
        var path = await download.PathAsync();
        Assert.Equal(content, await File.ReadAllBytesAsync(path));

        // "Historial" records the assignment and the attachment, by whom.
        await Page.HistoryTab().ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Historial de cambios", Exact = true })).ToBeVisibleAsync();
        var history = Page.Locator("#history-list");
        var assigned = HistoryRow(history, "Asignado a");
        await Expect(assigned).ToHaveCountAsync(1);
        await Expect(assigned.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("Ana Agente");
        await Expect(assigned.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync("Ana Agente");
        var attached = HistoryRow(history, "Archivo adjuntado");
        await Expect(attached).ToHaveCountAsync(1);
        await Expect(attached.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("Ana Agente");
        await Expect(attached.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync(fileName);
    });

    /// <summary>The history rows whose "Campo" cell is <paramref name="field"/>.</summary>
    private static ILocator HistoryRow(ILocator history, string field) =>
        history.GetByRole(AriaRole.Row).Filter(new()
        {
            Has = history.Page.GetByRole(AriaRole.Cell, new() { Name = field, Exact = true }),
        });

    private static Regex TwoLines(string first, string second) =>
        new($"^{Regex.Escape(first)}\\r?\\n{Regex.Escape(second)}$");
}
