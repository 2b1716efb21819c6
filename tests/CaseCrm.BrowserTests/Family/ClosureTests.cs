using System.Text.RegularExpressions;
using CaseCrm.BrowserTests.Infrastructure;
using CaseCrm.Domain.Cases;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Family;

/// <summary>
/// Resolving a parent case (design.md, rule 7) under the closure preference: by default it is refused while a child
/// is active; with "Cerrar todos los casos secundarios al cerrar el principal" the children close with it, after the
/// "Resolver" page has shown which. These tests change the setting, so they have an app of their own
/// (<see cref="SettingsCollection"/>), run one after the other, and put the setting back.
/// </summary>
[Collection(SettingsCollection.Name)]
public sealed class ClosureTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string CloseChildrenPreference = "Cerrar todos los casos secundarios al cerrar el principal";

    [Fact]
    public Task Resolve_ParentWithActiveChild_IsBlockedByDefaultNamingTheChild() => RunAsync(async () =>
    {
        Assert.Equal(ClosurePreference.BlockWhileChildrenActive, await Fixture.ClosurePreferenceAsync());
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Raúl", $"Benítez {tag}");
        var parent = await Fixture.CreateCaseAsync(contact, $"Instalación de fibra en la nave {tag}");
        var child = await Fixture.CreateChildAsync(parent, $"Fibra: obra civil {tag}");
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenCaseAsync(parent);

        // "Resolver" shows the children that block the closure before anything is typed.
        await Page.CaseCommands().GetByRole(AriaRole.Link, new() { Name = "Resolver", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync($"Resolver el caso {parent.Number}");
        var blocking = Page.Locator("#closure-children");
        await Expect(blocking).ToContainTextAsync("Este caso principal tiene 1 casos secundarios activos. No se puede cerrar hasta que se cierren:");
        await Expect(blocking.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Expect(blocking.GetByRole(AriaRole.Listitem)).ToHaveTextAsync($"{child.Number} {child.Title} (Nuevo)");

        // Blocked: the message shows once and there is nothing to submit, only the way back.
        await Expect(Page.GetByLabel("Resolución")).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Resolver", Exact = true })).ToHaveCountAsync(0);
        await Expect(Page.GetByText("No se puede cerrar hasta que se cierren")).ToHaveCountAsync(1);
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Volver", Exact = true })).ToBeVisibleAsync();

        // The parent is still active, without a resolution; the child too.
        await Page.OpenCaseAsync(parent);
        await Expect(Page.CaseField("Estado")).ToHaveTextAsync("Nuevo");
        await Expect(Page.CaseField("Resolución")).ToHaveTextAsync(string.Empty);
        await Expect(Page.CaseCommands().GetByRole(AriaRole.Link, new() { Name = "Resolver", Exact = true })).ToBeVisibleAsync();
        await Page.OpenCaseAsync(child);
        await Expect(Page.CaseField("Estado")).ToHaveTextAsync("Nuevo");
    });

    [Fact]
    public Task Resolve_ParentWithCloseChildrenPreference_PreviewsAndClosesBothChildren() => RunAsync(async () =>
    {
        var original = await Fixture.ClosurePreferenceAsync();
        try
        {
            var tag = TestData.NewTag();
            var contact = await Fixture.CreateContactAsync("Pilar", $"Ortega {tag}");
            var parent = await Fixture.CreateCaseAsync(contact, $"Alta de suministro de gas y electricidad {tag}", priority: CasePriority.High);
            var gas = await Fixture.CreateChildAsync(parent, $"Conexión de gas {tag}");
            var power = await Fixture.CreateChildAsync(parent, $"Conexión eléctrica {tag}");
            const string resolution = "Las dos conexiones quedaron instaladas y probadas.";

            // Configuración → Casos principales y secundarios → close the children with the parent.
            await SignInAsync(DemoUsers.Administrator);
            await Page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Casos principales y secundarios", Exact = true }).ClickAsync();
            await Expect(Page.Heading()).ToHaveTextAsync("Casos principales y secundarios");
            await Page.GetByRole(AriaRole.Radio, new() { Name = CloseChildrenPreference, Exact = true }).CheckAsync();
            await Page.SaveButton().ClickAsync();
            await Expect(Page.FlashMessage()).ToHaveTextAsync("Se guardó la configuración. Se aplica desde la próxima operación.");
            await Expect(Page.GetByRole(AriaRole.Radio, new() { Name = CloseChildrenPreference, Exact = true })).ToBeCheckedAsync();

            // "Resolver" first shows the two children that will be closed with the parent.
            await Page.OpenCaseAsync(parent);
            await Page.CaseCommands().GetByRole(AriaRole.Link, new() { Name = "Resolver", Exact = true }).ClickAsync();
            await Expect(Page.Heading()).ToHaveTextAsync($"Resolver el caso {parent.Number}");
            var preview = Page.Locator("#closure-children");
            await Expect(preview).ToContainTextAsync(
                "Al cerrar este caso principal también se cerrarán sus 2 casos secundarios activos, con el mismo estado y resolución:");
            await Expect(preview.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
            await Expect(preview.GetByRole(AriaRole.Link, new() { Name = gas.Number, Exact = true })).ToBeVisibleAsync();
            await Expect(preview.GetByRole(AriaRole.Link, new() { Name = power.Number, Exact = true })).ToBeVisibleAsync();
            await Expect(Page.ErrorAlert()).ToHaveCountAsync(0);

            await Page.GetByLabel("Resolución").FillAsync(resolution);
            await Page.GetByRole(AriaRole.Button, new() { Name = "Resolver", Exact = true }).ClickAsync();

            // The message names both children; the parent and both children are resolved, with the same resolution.
            await Expect(Page.FlashMessage()).ToHaveTextAsync(ResolvedWithChildrenMessage(parent, gas, power));
            await Expect(Page.Heading()).ToHaveTextAsync(parent.Label);
            await Expect(Page.CaseField("Estado")).ToHaveTextAsync("Resuelto");
            await Expect(Page.CaseField("Resolución")).ToHaveTextAsync(resolution);
            await Page.OpenRelationsTabAsync();
            await Expect(Page.ChildrenHeading()).ToHaveAccessibleNameAsync("Casos secundarios 0 activos de 2");
            foreach (var child in new[] { gas, power })
            {
                await Expect(Page.ChildRow(child.Number)).ToContainTextAsync("Resuelto");
            }

            foreach (var child in new[] { gas, power })
            {
                await Page.OpenCaseAsync(child);
                await Expect(Page.CaseField("Estado")).ToHaveTextAsync("Resuelto");
                await Expect(Page.CaseField("Resolución")).ToHaveTextAsync(resolution);
            }
        }
        finally
        {
            await Fixture.SetClosurePreferenceAsync(original);
        }
    });

    /// <summary>"Se resolvió el caso CAS-1 junto con sus casos secundarios CAS-2, CAS-3." with the children in either order.</summary>
    private static Regex ResolvedWithChildrenMessage(TestCase parent, TestCase first, TestCase second) =>
        new($"^Se resolvió el caso {parent.Number} junto con sus casos secundarios ({first.Number}, {second.Number}|{second.Number}, {first.Number})\\.$");
}
