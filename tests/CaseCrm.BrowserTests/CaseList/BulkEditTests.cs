using System.Text.RegularExpressions;
using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.CaseList;

/// <summary>
/// "Editar seleccionados" from the case list (design.md "Working on many cases"): select cases → "Editar seleccionados"
/// → the page lists them → choose the assignee → "Aplicar a los casos seleccionados" → back on the list with the message,
/// the cases assigned.
/// </summary>
public sealed class BulkEditTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task ASupervisor_AssignsTheSelectedCases_FromTheList() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Irene", $"Sanz {tag}");
        var cases = new[]
        {
            await Fixture.CreateCaseAsync(contact, $"Factura duplicada {tag}", "Reclamo"),
            await Fixture.CreateCaseAsync(contact, $"Cambio de titular {tag}"),
            await Fixture.CreateCaseAsync(contact, $"Lectura estimada {tag}", "Reclamo"),
        };
        await SignInAsync(DemoUsers.Supervisor);
        await Page.OpenCaseListAsync(tag);

        await Page.SelectCasesAsync(cases);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Editar seleccionados", Exact = true }).ClickAsync();

        await Expect(Page.Heading()).ToHaveTextAsync("Editar seleccionados");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Casos seleccionados: 3", Exact = true })).ToBeVisibleAsync();
        foreach (var item in cases)
        {
            await Expect(Page.Locator("#bulk-edit-cases").GetByRole(AriaRole.Link, new() { Name = item.Number, Exact = true })).ToBeVisibleAsync();
        }

        await Page.GetByLabel("Asignado a", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Ana Agente" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Aplicar a los casos seleccionados", Exact = true }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("/Cases$"));
        await Expect(Page.FlashMessage()).ToHaveTextAsync("Se actualizaron 3 casos.");
        await Page.OpenCaseListAsync(tag);
        foreach (var item in cases)
        {
            await Expect(Page.CaseRow(item)).ToContainTextAsync("Ana Agente");
        }
    });
}
