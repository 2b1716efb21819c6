using System.Text.RegularExpressions;
using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.CaseMerge;

/// <summary>
/// "Combinar casos" from the case list (design.md, "Working on many cases"): a supervisor selects three duplicate reports,
/// "Combinar", chooses the case that stays, reads the preview of what moves, "Confirmar"; the case that stays has the
/// merged parent's child and names the merged cases; a merged case says where it went and offers no commands.
/// </summary>
public sealed class MergeTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task ThreeDuplicates_MergedFromTheList_WithThePreview() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Nuria", $"Campos {tag}");
        var first = await Fixture.CreateCaseAsync(contact, $"Corte de luz en la calle Mayor {tag}", "Incidencia");
        var second = await Fixture.CreateCaseAsync(contact, $"Sin luz en el portal {tag}", "Incidencia");
        var third = await Fixture.CreateCaseAsync(contact, $"Apagón calle Mayor {tag}", "Incidencia");
        var child = await Fixture.CreateChildAsync(third, $"Revisar el transformador {tag}");
        await SignInAsync(DemoUsers.Supervisor);

        await Page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Casos", Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Searchbox, new() { Name = "Buscar", Exact = true }).FillAsync(tag);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Filtrar", Exact = true }).ClickAsync();
        foreach (var item in new[] { first, second, third })
        {
            await Page.GetByRole(AriaRole.Checkbox, new() { Name = $"Seleccionar {item.Number}", Exact = true }).CheckAsync();
        }

        await Page.GetByRole(AriaRole.Button, new() { Name = "Combinar", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Combinar casos");
        await Page.GetByRole(AriaRole.Radio, new() { Name = second.Number, Exact = true }).CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Ver vista previa", Exact = true }).ClickAsync();

        var preview = Page.Locator("#merge-preview");
        await Expect(preview.GetByRole(AriaRole.Heading)).ToHaveTextAsync($"Pasará a {second.Number}:");
        await Expect(preview).ToContainTextAsync("1 casos secundarios");
        await Expect(preview).ToContainTextAsync($"{first.Number}, {third.Number} pasarán a Cancelado con el motivo «Combinado en {second.Number}»");
        await SaveDocsScreenshotAsync("case-merge.png");
        await preview.GetByRole(AriaRole.Button, new() { Name = "Confirmar", Exact = true }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex($@"/Cases/{second.Id}$"));
        await Expect(Page.FlashMessage()).ToHaveTextAsync($"Se combinaron {first.Number}, {third.Number} en {second.Number}.");
        await Expect(Page.Locator("#merged-from")).ToContainTextAsync($"{first.Number} {third.Number}");
        await Page.OpenRelationsTabAsync();
        await Expect(Page.ChildRow(child.Number)).ToContainTextAsync(child.Title);

        await Page.Locator("#merged-from").GetByRole(AriaRole.Link, new() { Name = third.Number, Exact = true }).ClickAsync();
        await Expect(Page.Locator("#merged-into")).ToHaveTextAsync($"Este caso se combinó en {second.Number} y es de solo lectura.");
        await Expect(Page.GetByRole(AriaRole.Toolbar)).ToHaveCountAsync(0);
    });
}
