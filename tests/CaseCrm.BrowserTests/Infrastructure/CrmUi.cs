using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>
/// The app's screens as a user sees them (Spanish UI): roles, labels and visible names first, ids only where
/// the view gives a stable one for that purpose (#contacts, #contact-cases, data-testid="case-count").
/// </summary>
public static partial class CrmUi
{
    /// <summary>The left menu ("Menú").</summary>
    public static ILocator SideMenu(this IPage page, string name = "Menú") =>
        page.GetByRole(AriaRole.Navigation, new() { Name = name, Exact = true });

    public static ILocator Heading(this IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    /// <summary>
    /// The "Casos" submenu of a contact's actions menu. Its accessible name is "Casos ›" (the arrow is CSS
    /// generated content, which counts for the name), so it is matched from the start, not exactly.
    /// </summary>
    public static ILocator CasesSubmenu(this ILocator menuScope) =>
        menuScope.GetByRole(AriaRole.Menuitem, new() { NameRegex = CasesSubmenuName() });

    /// <summary>The flash message after a save (in the role="status" box, beside its link to what was saved).</summary>
    public static ILocator FlashMessage(this IPage page) => page.GetByRole(AriaRole.Status).Locator("#flash-message");

    /// <summary>
    /// A contact's name as the contact list shows it, "Apellidos, Nombre" (the list sorts by last name): the demo and test
    /// contacts have a one-word first name.
    /// </summary>
    public static string ListName(string fullName) =>
        fullName.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? $"{fullName[(space + 1)..]}, {fullName[..space]}" : fullName;

    /// <summary>Menú → Contactos.</summary>
    public static async Task OpenContactListAsync(this IPage page)
    {
        await page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Contactos", Exact = true }).ClickAsync();
        await Expect(page.Heading()).ToHaveTextAsync("Contactos");
    }

    /// <summary>The contact list's row of the contact named <paramref name="fullName"/>.</summary>
    public static ILocator ContactRow(this IPage page, string fullName) =>
        page.Locator("#contacts tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = ListName(fullName), Exact = true }) });

    /// <summary>From the contact list, opens the contact's page by its name.</summary>
    public static async Task OpenContactFromListAsync(this IPage page, string fullName)
    {
        await page.ContactRow(fullName).GetByRole(AriaRole.Link, new() { Name = ListName(fullName), Exact = true }).ClickAsync();
        await Expect(page.Heading()).ToHaveTextAsync(fullName);
    }

    /// <summary>Menú → Contactos → the contact's page (tab "Detalles").</summary>
    public static async Task OpenContactAsync(this IPage page, string fullName)
    {
        await page.OpenContactListAsync();
        await page.OpenContactFromListAsync(fullName);
    }

    /// <summary>The contact page's tabs ("Detalles", "Casos").</summary>
    public static ILocator ContactTabs(this IPage page) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Secciones del contacto", Exact = true });

    public static ILocator CasesTab(this IPage page) =>
        page.ContactTabs().GetByRole(AriaRole.Link, new() { NameRegex = CasesTabName() });

    /// <summary>The count badge on the "Casos" tab.</summary>
    public static ILocator CaseCountBadge(this IPage page) => page.ContactTabs().GetByTestId("case-count");

    public static async Task OpenCasesTabAsync(this IPage page)
    {
        await page.CasesTab().ClickAsync();
        await Expect(page.CasesTab()).ToHaveAttributeAsync("aria-current", "page");
    }

    /// <summary>The "Casos" tab's list section.</summary>
    public static ILocator ContactCases(this IPage page) => page.Locator("#contact-cases");

    /// <summary>The row of case <paramref name="number"/> in the contact's "Casos" tab.</summary>
    public static ILocator ContactCaseRow(this IPage page, string number) =>
        page.ContactCases().GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = number, Exact = true }) });

    /// <summary>The "Agregar Caso" form (heading and form).</summary>
    public static async Task ExpectCaseFormAsync(this IPage page, string contactName)
    {
        await Expect(page.Heading()).ToHaveTextAsync("Agregar Caso");
        await Expect(page.Locator("#Contact")).ToHaveTextAsync(contactName);
    }

    public static ILocator CaseTitle(this IPage page) => page.GetByLabel("Título");

    public static ILocator CaseCategory(this IPage page) => page.GetByLabel("Categoría");

    public static ILocator CaseDescription(this IPage page) => page.GetByLabel("Descripción");

    public static ILocator CaseAccount(this IPage page) => page.GetByLabel("Cuenta", new() { Exact = true });

    public static ILocator SaveButton(this IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Guardar", Exact = true });

    /// <summary>Fills the required fields of the case form.</summary>
    public static async Task FillCaseAsync(this IPage page, string title, string category, string description)
    {
        await page.CaseTitle().FillAsync(title);
        await page.CaseCategory().SelectOptionAsync(new SelectOptionValue { Label = category });
        await page.CaseDescription().FillAsync(description);
    }

    /// <summary>Waits for "Se creó el caso CAS-000123." and returns the number it names.</summary>
    public static async Task<string> ExpectCaseCreatedAsync(this IPage page)
    {
        await Expect(page.FlashMessage()).ToHaveTextAsync(CaseCreatedMessage());
        var text = await page.FlashMessage().InnerTextAsync();
        return CaseNumberPattern().Match(text).Value;
    }

    [GeneratedRegex(@"^Se creó el caso CAS-\d{6}\.$")]
    private static partial Regex CaseCreatedMessage();

    [GeneratedRegex(@"CAS-\d{6}")]
    private static partial Regex CaseNumberPattern();

    [GeneratedRegex(@"^Casos\b")]
    private static partial Regex CasesSubmenuName();

    /// <summary>"Casos" followed by the count badge.</summary>
    [GeneratedRegex(@"^Casos\s+\d")]
    private static partial Regex CasesTabName();
}
