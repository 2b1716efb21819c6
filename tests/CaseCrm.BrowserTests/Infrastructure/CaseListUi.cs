using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>The case list (Servicio → Casos) as a user works it: filtered to a test's own cases, its rows, the selection.</summary>
public static class CaseListUi
{
    /// <summary>Menú → Casos, filtered by the test's tag so that only its own cases are listed.</summary>
    public static async Task OpenCaseListAsync(this IPage page, string tag)
    {
        await page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Casos", Exact = true }).ClickAsync();
        await Expect(page.Heading()).ToHaveTextAsync("Casos");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Buscar", Exact = true }).FillAsync(tag);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrar", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Searchbox, new() { Name = "Buscar", Exact = true })).ToHaveValueAsync(tag);
    }

    /// <summary>The list's row of <paramref name="item"/>.</summary>
    public static ILocator CaseRow(this IPage page, TestCase item) =>
        page.Locator("#cases").GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = item.Number, Exact = true }) });

    /// <summary>Ticks the check box of each case's row ("Seleccionar CAS-…").</summary>
    public static async Task SelectCasesAsync(this IPage page, params TestCase[] items)
    {
        foreach (var item in items)
        {
            await page.CaseRow(item).GetByRole(AriaRole.Checkbox, new() { Name = $"Seleccionar {item.Number}", Exact = true }).CheckAsync();
        }
    }
}
