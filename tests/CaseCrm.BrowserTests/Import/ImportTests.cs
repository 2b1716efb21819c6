using System.Text;
using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Import;

/// <summary>Configuración → Importar: an administrator imports a contacts file with a bad row and sees which line and why.</summary>
public sealed class ImportTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Administrator_ImportsContacts_OnlyTheValidRows_AndSeesTheRefusedLine() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var file = $"Nombre;Apellidos;Correo\nAna;Importada {tag};ana.{tag}@example.com\nLuis;Mal {tag};no-es-correo\nEva;Importada {tag};eva.{tag}@example.com\n";

        await SignInAsync(DemoUsers.Administrator);
        await Page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Importar", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Importar");
        await Page.GetByLabel("Contactos").CheckAsync();
        await Page.GetByLabel("Archivo CSV").SetInputFilesAsync(new FilePayload { Name = "contactos.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(file) });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Continuar" }).ClickAsync();

        await Expect(Page.Heading()).ToHaveTextAsync("Importar contactos");
        await Expect(Page.Locator("#import-preview tbody tr")).ToHaveCountAsync(3);
        await Expect(Page.GetByLabel("Correo electrónico")).ToHaveValueAsync("2");
        await Page.GetByLabel("Solo las filas válidas").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Importar", Exact = true }).ClickAsync();

        await Expect(Page.Heading()).ToHaveTextAsync("Resultado de la importación");
        await Expect(Page.Locator("[data-count='created']")).ToHaveTextAsync("2");
        var refused = Page.Locator("#import-refused tbody tr");
        await Expect(refused).ToHaveCountAsync(1);
        await Expect(refused.Locator("td").First).ToHaveTextAsync("3");
        await Expect(refused.Locator("td").Nth(1)).ToHaveTextAsync("Correo electrónico: El correo electrónico no es válido.");

        await Page.GotoAsync("/Contacts?q=" + tag);
        await Expect(Page.Locator("#list-count")).ToHaveTextAsync("2 contactos");
    });
}
