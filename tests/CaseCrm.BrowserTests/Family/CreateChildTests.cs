using System.Text.RegularExpressions;
using CaseCrm.BrowserTests.Infrastructure;
using CaseCrm.Domain.Cases;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Family;

/// <summary>
/// "Crear caso secundario" (design.md, "Parent and child cases"): the case form prefilled from the parent with the
/// default inherited fields, saved as a child in the same step; and refused, with the reason, on a child case.
/// </summary>
public sealed partial class CreateChildTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task CreateChild_FromCommandBar_PrefillsFromParentAndListsChildInRelationsTab() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Elena", $"Prieto {tag}", "Energía del Sur S.A.");
        var parent = await Fixture.CreateCaseAsync(contact, $"Alta de suministro en el local {tag}", "Incidencia", CasePriority.High);
        var childTitle = $"Conexión de gas del local {tag}";
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenCaseAsync(parent);

        await Page.CaseCommands().GetByRole(AriaRole.Link, new() { Name = "Crear caso secundario", Exact = true }).ClickAsync();

        // The case form, for a child of this parent, prefilled with the default inherited fields.
        await Expect(Page.Heading()).ToHaveTextAsync("Crear caso secundario");
        await Expect(Page.GetByText($"Caso secundario de {parent.Number}", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(Page.CaseTitle()).ToHaveValueAsync(parent.Title);
        await Expect(Page.CaseCategory().Locator("option:checked")).ToHaveTextAsync("Incidencia");
        await Expect(Page.GetByLabel("Prioridad").Locator("option:checked")).ToHaveTextAsync("Alta");
        await Expect(Page.CaseAccount().Locator("option:checked")).ToHaveTextAsync("Energía del Sur S.A.");
        await Expect(Page.GetByLabel("Estado").Locator("option:checked")).ToHaveTextAsync("Nuevo");
        await Expect(Page.CaseDescription()).ToHaveValueAsync(string.Empty);

        // The contact is the parent's, shown read-only: no field of the form could change it.
        await Expect(Page.Locator("#Contact")).ToHaveTextAsync(contact.FullName);
        await Expect(Page.Locator("#Contact").GetByRole(AriaRole.Link, new() { Name = contact.FullName, Exact = true })).ToBeVisibleAsync();
        await Expect(Page.Locator("#case-form").Locator("input[name=ContactId], select[name=ContactId]")).ToHaveCountAsync(0);

        await Page.CaseTitle().FillAsync(childTitle);
        await Page.CaseDescription().FillAsync("Departamento de gas: instalar la acometida del local.");
        await Page.SaveButton().ClickAsync();

        // Back on the parent's "Relaciones de caso" tab, which lists the new child with its number.
        await Expect(Page.FlashMessage()).ToHaveTextAsync(ChildCreatedMessage());
        var childNumber = CaseNumberPattern().Match(await Page.FlashMessage().InnerTextAsync()).Value;
        await Expect(Page.FlashMessage()).ToHaveTextAsync($"Se creó el caso secundario {childNumber} de {parent.Number}.");
        await Expect(Page).ToHaveURLAsync(new Regex($@"/Cases/{parent.Id}\?tab=relations$"));
        await Expect(Page.Heading()).ToHaveTextAsync(parent.Label);
        await Expect(Page.ChildrenHeading()).ToHaveAccessibleNameAsync("Casos secundarios 1 activos de 1");
        await Expect(Page.ChildRows()).ToHaveCountAsync(1);
        var row = Page.ChildRow(childNumber);
        await Expect(row).ToContainTextAsync(childTitle);
        await Expect(row).ToContainTextAsync("Nuevo");
        await Expect(row).ToContainTextAsync("Alta");
        await Expect(Page.RelationsTab()).ToHaveAccessibleNameAsync("Relaciones de caso 1");

        // The child's own page names its parent.
        await row.GetByRole(AriaRole.Link, new() { Name = childNumber, Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync($"{childNumber} {childTitle}");
        await Expect(Page.CaseField("Caso principal")).ToHaveTextAsync(parent.Label);
        await Expect(Page.CaseField("Categoría")).ToHaveTextAsync("Incidencia");
        await Expect(Page.CaseField("Contacto")).ToHaveTextAsync(contact.FullName);
    });

    [Fact]
    public Task CreateChild_OnChildCase_IsDisabledWithTheReason() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Tomás", $"Vidal {tag}");
        var parent = await Fixture.CreateCaseAsync(contact, $"Corte de suministro en el barrio {tag}");
        var child = await Fixture.CreateChildAsync(parent, $"Corte de suministro: calle Mayor {tag}");
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenCaseAsync(child);

        // The command is there, but not as a link that could be followed; the reason is on the page.
        var commands = Page.CaseCommands();
        var createChild = commands.GetByText("Crear caso secundario", new() { Exact = true });
        await Expect(createChild).ToBeVisibleAsync();
        await Expect(createChild).ToHaveAttributeAsync("aria-disabled", "true");
        await Expect(createChild).Not.ToHaveAttributeAsync("href", new Regex("."));
        await Expect(commands.GetByRole(AriaRole.Link, new() { Name = "Crear caso secundario" })).ToHaveCountAsync(0);
        var reason = $"No puede crear casos secundarios para un caso secundario: {child.Number} ya es secundario de {parent.Number}.";
        await Expect(Page.GetByText(reason, new() { Exact = true })).ToBeVisibleAsync();
        // The reason shows once, beside the button, and describes it (no tooltip repeating it).
        await Expect(Page.GetByText(reason, new() { Exact = true })).ToHaveCountAsync(1);
        await Expect(createChild).ToHaveAccessibleDescriptionAsync(reason);

        // It is a disabled button: even a forced click goes nowhere.
        await Expect(createChild).ToBeDisabledAsync();
        var url = Page.Url;
        await createChild.ClickAsync(new() { Force = true });
        await Expect(Page).ToHaveURLAsync(url);
        await Expect(Page.Heading()).ToHaveTextAsync(child.Label);

        // Its relations tab names the parent and offers no way to add children.
        await Page.OpenRelationsTabAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Caso principal", Exact = true })).ToBeVisibleAsync();
        await Expect(Page.Locator("#case-parent").GetByRole(AriaRole.Link, new() { Name = parent.Number, Exact = true })).ToBeVisibleAsync();
        await Expect(Page.ChildrenSection()).ToContainTextAsync("Un caso secundario no puede tener casos secundarios.");
        await Expect(Page.ChildrenSection().GetByRole(AriaRole.Link, new() { Name = "Agregar nuevo caso" })).ToHaveCountAsync(0);

        // Opening the form's address directly does not give a form either: back on the case, with the reason.
        await Page.GotoAsync($"/Cases/{child.Id}/Children/Create");
        await Expect(Page.Heading()).ToHaveTextAsync(child.Label);
        await Expect(Page.ErrorAlert()).ToHaveTextAsync(reason);
        await Expect(Page.Locator("#case-form")).ToHaveCountAsync(0);
    });

    [GeneratedRegex(@"^Se creó el caso secundario CAS-\d{6} de CAS-\d{6}\.$")]
    private static partial Regex ChildCreatedMessage();

    [GeneratedRegex(@"CAS-\d{6}")]
    private static partial Regex CaseNumberPattern();
}
