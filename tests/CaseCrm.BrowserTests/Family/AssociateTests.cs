using System.Text.RegularExpressions;
using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Family;

/// <summary>
/// "Asociar casos secundarios" from the case list (design.md): select two or more cases → the dialog
/// "Establecer relación de primario a secundario" → choose the parent → "Establecer". A refusal names the case
/// and the rule it breaks, and changes nothing.
/// </summary>
public sealed class AssociateTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string DialogTitle = "Establecer relación de primario a secundario";

    [Fact]
    public Task Associate_FromCaseList_ChosenCaseBecomesParentOfTheOthers() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var first = await Fixture.CreateCaseAsync(await Fixture.CreateContactAsync("Laura", $"Rey {tag}"), $"Sin agua caliente {tag}", "Reclamo");
        var second = await Fixture.CreateCaseAsync(await Fixture.CreateContactAsync("Diego", $"Mora {tag}"), $"Caldera central averiada {tag}", "Incidencia");
        var third = await Fixture.CreateCaseAsync(await Fixture.CreateContactAsync("Rosa", $"Gil {tag}"), $"Radiadores fríos {tag}", "Reclamo");
        await SignInAsync(DemoUsers.Supervisor);
        await Page.OpenCaseListAsync(tag);

        await Page.SelectCasesAsync(first, second, third);
        var dialog = await OpenAssociateDialogAsync();

        // The dialog lists the three selected cases, one to be chosen as the parent.
        await Expect(dialog.GetByRole(AriaRole.Radio)).ToHaveCountAsync(3);
        foreach (var item in new[] { first, second, third })
        {
            await Expect(dialog.GetByRole(AriaRole.Radio, new() { Name = item.Label, Exact = true })).ToBeVisibleAsync();
        }

        await dialog.GetByRole(AriaRole.Radio, new() { Name = second.Label, Exact = true }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Establecer", Exact = true }).ClickAsync();

        // On the parent's relations tab, with the other two as its children.
        await Expect(Page).ToHaveURLAsync(new Regex($@"/Cases/{second.Id}\?tab=relations$"));
        await Expect(Page.Heading()).ToHaveTextAsync(second.Label);
        await Expect(Page.FlashMessage()).ToHaveTextAsync($"{second.Number} es ahora el caso principal de {first.Number}, {third.Number}.");
        await Expect(Page.ChildRows()).ToHaveCountAsync(2);
        await Expect(Page.ChildRow(first.Number)).ToContainTextAsync(first.Title);
        await Expect(Page.ChildRow(third.Number)).ToContainTextAsync(third.Title);
        await Expect(Page.ChildrenHeading()).ToHaveAccessibleNameAsync("Casos secundarios 2 activos de 2");

        // The list now shows the family: the parent with its count of children.
        await Page.OpenCaseListAsync(tag);
        await Expect(Page.CaseRow(second)).ToContainTextAsync($"{second.Title} 2");
    });

    [Fact]
    public Task Associate_WithChildAsParent_IsRefusedNamingTheCaseAndChangesNothing() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Hugo", $"Pardo {tag}");
        var parent = await Fixture.CreateCaseAsync(contact, $"Renovación de contratos {tag}");
        var child = await Fixture.CreateChildAsync(parent, $"Renovación del contrato de gas {tag}");
        var free = await Fixture.CreateCaseAsync(await Fixture.CreateContactAsync("Marta", $"Sanz {tag}"), $"Cambio de domicilio fiscal {tag}");
        await SignInAsync(DemoUsers.Supervisor);
        await Page.OpenCaseListAsync(tag);

        // The child of another case chosen as the parent of a free case.
        await Page.SelectCasesAsync(child, free);
        var dialog = await OpenAssociateDialogAsync();
        await Expect(dialog.GetByRole(AriaRole.Radio)).ToHaveCountAsync(2);
        await dialog.GetByRole(AriaRole.Radio, new() { Name = child.Label, Exact = true }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Establecer", Exact = true }).ClickAsync();

        // The page names the case and the rule.
        await Expect(Page.Heading()).ToHaveTextAsync(DialogTitle);
        await Expect(Page.ErrorAlert()).ToContainTextAsync("No se cambió ningún caso.");
        await Expect(Page.ErrorAlert()).ToContainTextAsync(
            $"No puede crear casos secundarios para un caso secundario: {child.Number} ya es secundario de {parent.Number}.");
        await Expect(Page.FlashMessage()).ToHaveCountAsync(0);

        // Nothing changed: the would-be child still has no parent, and the child is still its parent's.
        await Page.OpenCaseAsync(free);
        await Expect(Page.CaseField("Estado")).ToHaveTextAsync("Nuevo");
        await Expect(Page.CaseField("Caso principal")).ToHaveCountAsync(0);
        await Page.OpenRelationsTabAsync();
        await Expect(Page.Locator("#case-parent")).ToHaveCountAsync(0);
        await Expect(Page.ChildrenSection()).ToContainTextAsync("Este caso no tiene casos secundarios.");
        await Page.OpenCaseAsync(child);
        await Expect(Page.CaseField("Caso principal")).ToHaveTextAsync(parent.Label);
    });

    [Fact]
    public Task Associate_WithOneCaseAlreadyAChild_RefusesAllOfThem() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Olga", $"Ferrer {tag}");
        var parent = await Fixture.CreateCaseAsync(contact, $"Obras en la acera {tag}");
        var child = await Fixture.CreateChildAsync(parent, $"Obras: permiso municipal {tag}");
        var newParent = await Fixture.CreateCaseAsync(contact, $"Ruido de obras nocturnas {tag}", "Reclamo");
        var fine = await Fixture.CreateCaseAsync(await Fixture.CreateContactAsync("Iván", $"Cano {tag}"), $"Polvo de obras en el local {tag}", "Reclamo");
        await SignInAsync(DemoUsers.Supervisor);
        await Page.OpenCaseListAsync(tag);

        await Page.SelectCasesAsync(child, newParent, fine);
        var dialog = await OpenAssociateDialogAsync();
        await dialog.GetByRole(AriaRole.Radio, new() { Name = newParent.Label, Exact = true }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Establecer", Exact = true }).ClickAsync();

        await Expect(Page.Heading()).ToHaveTextAsync(DialogTitle);
        await Expect(Page.ErrorAlert()).ToContainTextAsync($"El caso {child.Number} ya es secundario de {parent.Number}");

        // All or nothing: the case that broke no rule did not become a child either.
        await Page.OpenCaseAsync(fine);
        await Expect(Page.CaseField("Caso principal")).ToHaveCountAsync(0);
        await Page.OpenCaseAsync(newParent);
        await Page.OpenRelationsTabAsync();
        await Expect(Page.ChildrenSection()).ToContainTextAsync("Este caso no tiene casos secundarios.");
        await Page.OpenCaseAsync(child);
        await Expect(Page.CaseField("Caso principal")).ToHaveTextAsync(parent.Label);
    });

    /// <summary>"Asociar casos secundarios" → the modal dialog over the list.</summary>
    private async Task<ILocator> OpenAssociateDialogAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Asociar casos secundarios", Exact = true }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = DialogTitle, Exact = true });
        await Expect(dialog).ToBeVisibleAsync();
        Assert.True(await dialog.EvaluateAsync<bool>("d => d.matches(':modal')"), "The dialog is not modal.");
        await Expect(dialog.GetByText("Elija el caso principal; los demás pasarán a ser sus casos secundarios.")).ToBeVisibleAsync();
        return dialog;
    }
}
