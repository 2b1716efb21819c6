using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Layout;

/// <summary>The language select and its button in the top bar: Spanish by default, English on demand, remembered in a cookie.</summary>
public sealed class LanguageSwitchTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task LanguageSwitch_ChangesUiToEnglishAndIsRemembered() => RunAsync(async () =>
    {
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenContactListAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "es");

        // Choosing does not submit (an arrow key in the select changes nothing); the button does, back to the same page.
        await Page.GetByLabel("Idioma").SelectOptionAsync("en");
        await Expect(Page.Heading()).ToHaveTextAsync("Contactos");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Cambiar" }).ClickAsync();
        var menu = Page.SideMenu("Menu");
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Contacts", Exact = true })).ToBeVisibleAsync();
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Cases", Exact = true })).ToBeVisibleAsync();
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Accounts", Exact = true })).ToBeVisibleAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(Page.Heading()).ToHaveTextAsync("Contacts");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("Language")).ToHaveValueAsync("en");
        var cookies = await Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == ".AspNetCore.Culture" && Uri.UnescapeDataString(c.Value) == "c=en|uic=en");

        // Another page: still English (the cookie is remembered).
        await menu.GetByRole(AriaRole.Link, new() { Name = "Cases", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Cases");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Page.GotoAsync("/Contacts");
        await Expect(Page.Heading()).ToHaveTextAsync("Contacts");

        // And back to Spanish.
        await Page.GetByLabel("Language").SelectOptionAsync("es");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Change" }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Contactos");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(Page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Casos", Exact = true })).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("Idioma")).ToHaveValueAsync("es");
    });
}
