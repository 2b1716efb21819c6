using System.Globalization;
using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Contacts;

/// <summary>
/// "Agregar Caso" (design.md): three entry points, one form bound to the contact, "Guardar" returns to where the
/// form was opened with the new case's number, and the case shows in the contact's "Casos" tab.
/// Each test works on a demo contact of its own, so that the tests do not see each other's cases.
/// </summary>
public sealed class AddCaseTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AddCase_FromContactListActionsMenu() => RunAsync(async () =>
    {
        const string contact = "Lucía Fernández";
        const string title = "La sucursal norte no tiene señal de internet";
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenContactListAsync();
        var listUrl = Page.Url;
        var row = Page.ContactRow(contact);

        // From the contact list, every click up to the form goes through the trail.
        var trail = new ClickTrail();
        await trail.ClickAsync("⋮", row.GetByTitle("Acciones", new() { Exact = true }));
        await trail.ClickAsync("Casos", row.CasesSubmenu());
        var addCase = row.GetByRole(AriaRole.Menuitem, new() { Name = "Agregar Caso", Exact = true });
        await Expect(addCase).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Menuitem, new() { Name = "Ver casos", Exact = true })).ToBeVisibleAsync();
        await SaveDocsScreenshotAsync("contact-list-actions.png");
        await trail.ClickAsync("Agregar Caso", addCase);

        // The form, bound to the contact, after at most three clicks: ⋮ → Casos → Agregar Caso.
        await Page.ExpectCaseFormAsync(contact);
        Assert.Equal(["⋮", "Casos", "Agregar Caso"], trail.Steps);
        Assert.True(trail.Steps.Count <= 3, $"Opening the form took {trail.Steps.Count} clicks: {string.Join(" → ", trail.Steps)}.");

        // The contact is shown read-only (no field that could change it); the account comes prefilled.
        await Expect(Page.Locator("#case-form").Locator("input[name=ContactId], select[name=ContactId]")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#Contact").GetByRole(AriaRole.Link, new() { Name = contact, Exact = true })).ToBeVisibleAsync();
        await Expect(Page.CaseAccount().Locator("option:checked")).ToHaveTextAsync("Telecomunicaciones Río de la Plata");
        await Expect(Page.GetByLabel("Estado").Locator("option:checked")).ToHaveTextAsync("Nuevo");

        await Page.FillCaseAsync(title, "Incidencia", "Desde las 9:00 la sucursal norte no tiene conexión; el router muestra la luz roja.");
        await Page.GetByLabel("Prioridad").SelectOptionAsync(new SelectOptionValue { Label = "Alta" });
        await Page.GetByLabel("Origen").SelectOptionAsync(new SelectOptionValue { Label = "Teléfono" });
        await Page.CaseDescription().BlurAsync();
        await SaveDocsScreenshotAsync("case-form.png", fullPage: true);
        await Page.SaveButton().ClickAsync();

        // Back on the contact list, with the new case's number.
        var number = await Page.ExpectCaseCreatedAsync();
        await Expect(Page).ToHaveURLAsync(listUrl);
        await Expect(Page.Heading()).ToHaveTextAsync("Contactos");

        // The contact's "Casos" tab lists it.
        await Page.OpenContactFromListAsync(contact);
        await Page.OpenCasesTabAsync();
        var caseRow = Page.ContactCaseRow(number);
        await Expect(caseRow).ToContainTextAsync(title);
        await Expect(caseRow).ToContainTextAsync("Incidencia");
        await Expect(caseRow).ToContainTextAsync("Nuevo");
    });

    [Fact]
    public Task AddCase_FromContactDetailActionsMenu() => RunAsync(async () =>
    {
        const string contact = "Martín Gómez";
        const string title = "Cambio de plan de datos para la oficina";
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenContactAsync(contact);
        var detailUrl = Page.Url;
        var before = await CaseCountAsync();

        // The actions menu at the top right → Casos → Agregar Caso.
        var actions = Page.Locator(".page-header").GetByTitle("Acciones", new() { Exact = true });
        await Expect(actions).ToContainTextAsync("Acciones");
        await actions.ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Menuitem, new() { Name = "Editar", Exact = true })).ToBeVisibleAsync();
        await Page.Locator(".page-header").CasesSubmenu().ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Agregar Caso", Exact = true }).ClickAsync();

        await Page.ExpectCaseFormAsync(contact);
        await Expect(Page.CaseAccount().Locator("option:checked")).ToHaveTextAsync("Telecomunicaciones Río de la Plata");
        await Page.FillCaseAsync(title, "Solicitud", "Quiere pasar del plan de 50 GB al de 100 GB a partir del mes que viene.");
        await Page.SaveButton().ClickAsync();

        // Back on the contact's page, with the number; the "Casos" tab lists the case and its badge went up by one.
        var number = await Page.ExpectCaseCreatedAsync();
        await Expect(Page).ToHaveURLAsync(detailUrl);
        await Expect(Page.Heading()).ToHaveTextAsync(contact);
        await Expect(Page.CaseCountBadge()).ToHaveTextAsync(Count(before + 1));
        await Page.OpenCasesTabAsync();
        await Expect(Page.ContactCaseRow(number)).ToContainTextAsync(title);
        await Expect(Page.CaseCountBadge()).ToHaveTextAsync(Count(before + 1));
    });

    [Fact]
    public Task AddCase_FromContactCasesTab() => RunAsync(async () =>
    {
        const string contact = "Sofía Ibáñez";
        const string title = "Solicitud de copia del contrato firmado";
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenContactAsync(contact);
        await Page.OpenCasesTabAsync();
        var casesTabUrl = Page.Url;
        var before = await CaseCountAsync();

        await Page.ContactCases().GetByRole(AriaRole.Link, new() { Name = "Agregar Caso", Exact = true }).ClickAsync();
        await Page.ExpectCaseFormAsync(contact);
        await Page.FillCaseAsync(title, "Consulta", "Pide que le envíen por correo una copia del contrato firmado en marzo.");
        await Page.SaveButton().ClickAsync();

        // Back on the "Casos" tab, which lists the new case.
        var number = await Page.ExpectCaseCreatedAsync();
        await Expect(Page).ToHaveURLAsync(casesTabUrl);
        await Expect(Page.CasesTab()).ToHaveAttributeAsync("aria-current", "page");
        var caseRow = Page.ContactCaseRow(number);
        await Expect(caseRow).ToContainTextAsync(title);
        await Expect(caseRow).ToContainTextAsync("Consulta");
        await Expect(Page.CaseCountBadge()).ToHaveTextAsync(Count(before + 1));
        await SaveDocsScreenshotAsync("contact-cases-tab.png");
    });

    [Fact]
    public Task CaseForm_ErrorsShowBesideFieldsAndKeepValues() => RunAsync(async () =>
    {
        const string contact = "Andrés López";
        const string title = "No puede acceder a la factura en línea";
        const string description = "Al entrar en «Mis facturas» la página queda en blanco.\nLo intentó con dos navegadores.";
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenContactAsync(contact);
        await Page.OpenCasesTabAsync();
        var casesTabUrl = Page.Url;
        await Page.ContactCases().GetByRole(AriaRole.Link, new() { Name = "Agregar Caso", Exact = true }).ClickAsync();
        await Page.ExpectCaseFormAsync(contact);

        // Only Título and Descripción: Categoría stays on "Elija…".
        await Page.CaseTitle().FillAsync(title);
        await Page.CaseDescription().FillAsync(description);
        await Page.SaveButton().ClickAsync();

        // The form comes back with the error beside the category field (and tied to it), the typed values kept.
        var category = Page.CaseCategory();
        var error = Page.Locator("#CategoryId-error");
        await Expect(error).ToHaveTextAsync("Elija la categoría.");
        await Expect(category).ToHaveAccessibleDescriptionAsync("Elija la categoría.");
        await Expect(category).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\binput-validation-error\b"));
        await ExpectRightBelowAsync(error, category);
        await Expect(Page.CaseTitle()).ToHaveValueAsync(title);
        await Expect(Page.CaseDescription()).ToHaveValueAsync(description);
        await Expect(Page.Locator("#Title-error")).ToBeHiddenAsync();
        await Expect(Page.Locator("#Description-error")).ToBeHiddenAsync();
        await Expect(Page.FlashMessage()).ToHaveCountAsync(0);
        await Page.ExpectCaseFormAsync(contact);

        // Choosing a category is enough for the same form to save.
        await category.SelectOptionAsync(new SelectOptionValue { Label = "Consulta" });
        await Page.SaveButton().ClickAsync();
        var number = await Page.ExpectCaseCreatedAsync();
        await Expect(Page).ToHaveURLAsync(casesTabUrl);
        await Expect(Page.ContactCaseRow(number)).ToContainTextAsync(title);
    });

    private async Task<int> CaseCountAsync() =>
        int.Parse(await Page.CaseCountBadge().InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.GetCultureInfo("es"));

    private static string Count(int value) => value.ToString("N0", CultureInfo.GetCultureInfo("es"));

    /// <summary>The error sits right under its field (within a line's height), starting at the same left edge.</summary>
    private static async Task ExpectRightBelowAsync(ILocator error, ILocator field)
    {
        var e = await error.BoundingBoxAsync() ?? throw new InvalidOperationException("The error is not rendered.");
        var f = await field.BoundingBoxAsync() ?? throw new InvalidOperationException("The field is not rendered.");
        Assert.InRange(e.Y - (f.Y + f.Height), -1, 30);
        Assert.InRange(Math.Abs(e.X - f.X), 0, 2);
    }
}
