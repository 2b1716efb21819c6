using System.Text.RegularExpressions;
using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Family;

/// <summary>
/// "Agregar caso existente" (design.md): on a parent's "Relaciones de caso" tab, "Más comandos (⋯)" opens the
/// "Resultados" panel; a found case is added as a child with "Agregar". Supervisors and administrators
/// only: an agent does not get the command.
/// </summary>
public sealed class AddExistingTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AddExisting_AsSupervisor_FindsCaseInLookupPanelAndAddsItAsChild() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Irene", $"Soler {tag}");
        var neighbour = await Fixture.CreateContactAsync("Pablo", $"Nieto {tag}");
        var parent = await Fixture.CreateCaseAsync(contact, $"Avería general en el edificio {tag}", "Incidencia");
        var child = await Fixture.CreateChildAsync(parent, $"Avería en el portal {tag}", "Incidencia");
        var other = await Fixture.CreateCaseAsync(neighbour, $"Ascensor sin luz {tag}", "Incidencia");
        await SignInAsync(DemoUsers.Supervisor);
        await Page.OpenCaseAsync(parent);
        await Page.OpenRelationsTabAsync();
        await Expect(Page.ChildRows()).ToHaveCountAsync(1);

        // Más comandos (⋯) → Agregar caso existente → the "Resultados" panel.
        var moreCommands = Page.ChildrenSection().GetByLabel("Más comandos", new() { Exact = true });
        await Expect(moreCommands).ToHaveTextAsync("⋯");
        await moreCommands.ClickAsync();
        await Page.ChildrenSection().GetByRole(AriaRole.Menuitem, new() { Name = "Agregar caso existente", Exact = true }).ClickAsync();
        var panel = Page.GetByRole(AriaRole.Complementary, new() { Name = "Resultados", Exact = true });
        await Expect(panel).ToBeVisibleAsync();
        var search = panel.GetByRole(AriaRole.Searchbox, new() { Name = "Buscar casos", Exact = true });
        await Expect(search).ToBeFocusedAsync();

        // A child of the parent is not offered (look-ups leave child cases out by default).
        await search.FillAsync(child.Number);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Buscar", Exact = true }).ClickAsync();
        await Expect(panel).ToContainTextAsync("No hay casos activos que se puedan agregar con esa búsqueda.");
        await Expect(panel.GetByRole(AriaRole.Row)).ToHaveCountAsync(0);

        // The other case, found by its title.
        await panel.GetByRole(AriaRole.Searchbox, new() { Name = "Buscar casos", Exact = true }).FillAsync($"ascensor sin luz {tag}");
        await panel.GetByRole(AriaRole.Searchbox, new() { Name = "Buscar casos", Exact = true }).PressAsync("Enter");
        var found = panel.GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Link, new() { Name = other.Number, Exact = true }) });
        // One result row (the table also has its header row).
        await Expect(panel.Locator("tbody").GetByRole(AriaRole.Row)).ToHaveCountAsync(1);
        await Expect(found).ToContainTextAsync(other.Title);
        await Expect(found).ToContainTextAsync(neighbour.FullName);
        await Expect(found).ToContainTextAsync("Nuevo");
        await found.GetByRole(AriaRole.Button, new() { Name = "Agregar", Exact = true }).ClickAsync();

        // It is now in "Casos secundarios", beside the first child.
        await Expect(Page.FlashMessage()).ToHaveTextAsync($"{other.Number} es ahora secundario de {parent.Number}.");
        await Expect(Page).ToHaveURLAsync(new Regex($@"/Cases/{parent.Id}\?tab=relations$"));
        await Expect(panel).ToHaveCountAsync(0);
        await Expect(Page.ChildRows()).ToHaveCountAsync(2);
        await Expect(Page.ChildRow(other.Number)).ToContainTextAsync(other.Title);
        await Expect(Page.ChildRow(child.Number)).ToContainTextAsync(child.Title);
        await Expect(Page.ChildrenHeading()).ToHaveAccessibleNameAsync("Casos secundarios 2 activos de 2");

        // And the added case names its new parent.
        await Page.ChildRow(other.Number).GetByRole(AriaRole.Link, new() { Name = other.Number, Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync(other.Label);
        await Expect(Page.CaseField("Caso principal")).ToHaveTextAsync(parent.Label);
    });

    [Fact]
    public Task AddExisting_AgentSeesNoMoreCommandsNorLookupPanel() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Nuria", $"Campos {tag}");
        var parent = await Fixture.CreateCaseAsync(contact, $"Mudanza de oficina {tag}");
        var child = await Fixture.CreateChildAsync(parent, $"Mudanza: traslado de la línea {tag}");
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenCaseAsync(parent);
        await Page.OpenRelationsTabAsync();

        // The agent may add a new child, but gets neither "Más comandos" nor "Quitar".
        await Expect(Page.ChildRow(child.Number)).ToContainTextAsync(child.Title);
        await Expect(Page.ChildrenSection().GetByRole(AriaRole.Link, new() { Name = "Agregar nuevo caso", Exact = true })).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("Más comandos")).ToHaveCountAsync(0);
        await Expect(Page.GetByText("Agregar caso existente")).ToHaveCountAsync(0);
        await Expect(Page.ChildrenSection().GetByRole(AriaRole.Button, new() { Name = "Quitar" })).ToHaveCountAsync(0);

        // Nor does the panel's address open it for an agent.
        await Page.GotoAsync($"/Cases/{parent.Id}?tab=relations&add=true&find={Uri.EscapeDataString(tag)}");
        await Expect(Page.ChildrenHeading()).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Complementary, new() { Name = "Resultados" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Agregar", Exact = true })).ToHaveCountAsync(0);

        // And the case list has no "Asociar casos secundarios" for an agent.
        await Page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Casos", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Casos");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Asociar casos secundarios" })).ToHaveCountAsync(0);
    });
}
