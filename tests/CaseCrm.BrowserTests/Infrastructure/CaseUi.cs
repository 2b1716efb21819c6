using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>
/// The case page (Servicio → Casos → a case) as a user sees it: its command bar, its tabs ("Detalles",
/// "Relaciones de caso", "Historial") and what they show. Roles and visible names first; ids only where the view
/// gives no name to a region (#case-children, #children, #assignee, #timeline, #attachment-list, #history-list).
/// </summary>
public static partial class CaseUi
{
    /// <summary>The command bar at the top right ("Comandos del caso").</summary>
    public static ILocator CaseCommands(this IPage page) =>
        page.GetByRole(AriaRole.Toolbar, new() { Name = "Comandos del caso", Exact = true });

    /// <summary>The case page's tabs ("Secciones del caso").</summary>
    public static ILocator CaseTabs(this IPage page) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Secciones del caso", Exact = true });

    /// <summary>"Relaciones de caso", followed by the number of children when there are some.</summary>
    public static ILocator RelationsTab(this IPage page) =>
        page.CaseTabs().GetByRole(AriaRole.Link, new() { NameRegex = RelationsTabName() });

    public static ILocator HistoryTab(this IPage page) =>
        page.CaseTabs().GetByRole(AriaRole.Link, new() { Name = "Historial", Exact = true });

    /// <summary>Opens the case's page (tab "Detalles") and waits for its heading, "CAS-000123 Título".</summary>
    public static async Task OpenCaseAsync(this IPage page, TestCase item)
    {
        await page.GotoAsync(item.Url);
        await Expect(page.Heading()).ToHaveTextAsync(item.Label);
    }

    /// <summary>The value beside a label of the "Detalles" tab (Estado, Caso principal, Resolución…).</summary>
    public static ILocator CaseField(this IPage page, string label) =>
        page.Locator($"xpath=//dl[contains(concat(' ', normalize-space(@class), ' '), ' details ')]/dt[normalize-space(.)='{label}']/following-sibling::dd[1]");

    /// <summary>Clicks the "Relaciones de caso" tab and waits for its "Casos secundarios" section.</summary>
    public static async Task OpenRelationsTabAsync(this IPage page)
    {
        await page.RelationsTab().ClickAsync();
        await Expect(page).ToHaveURLAsync(RelationsTabUrl());
        await Expect(page.ChildrenHeading()).ToBeVisibleAsync();
    }

    /// <summary>The "Casos secundarios" heading of the relations tab (it ends with "1 activos de 2" when there are children).</summary>
    public static ILocator ChildrenHeading(this IPage page) =>
        page.GetByRole(AriaRole.Heading, new() { NameRegex = ChildrenHeadingName(), Level = 2 });

    /// <summary>The "Casos secundarios" section: its commands, its table of children, or the text saying there are none.</summary>
    public static ILocator ChildrenSection(this IPage page) => page.Locator("#case-children");

    /// <summary>The row of child <paramref name="number"/> in the "Casos secundarios" table.</summary>
    public static ILocator ChildRow(this IPage page, string number) =>
        page.ChildrenSection().GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = number, Exact = true }) });

    /// <summary>The rows of the "Casos secundarios" table, header row excluded.</summary>
    public static ILocator ChildRows(this IPage page) => page.ChildrenSection().Locator("table tbody tr");

    /// <summary>An error shown on the page (role="alert"), such as a refused rule.</summary>
    public static ILocator ErrorAlert(this IPage page) => page.GetByRole(AriaRole.Alert);

    [GeneratedRegex(@"^Relaciones de caso\b")]
    private static partial Regex RelationsTabName();

    [GeneratedRegex(@"[?&]tab=relations(&|$)")]
    private static partial Regex RelationsTabUrl();

    [GeneratedRegex(@"^Casos secundarios\b")]
    private static partial Regex ChildrenHeadingName();
}
