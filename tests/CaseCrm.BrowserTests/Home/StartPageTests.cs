using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Home;

/// <summary>"Inicio" for each role, reached from the menu, and the top bar's quick search.</summary>
public sealed class StartPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Agent_StartPage_ShowsTheirWork() => RunAsync(async () =>
    {
        await SignInAsync(DemoUsers.Agent);
        await Page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Inicio", Exact = true }).ClickAsync();

        await Expect(Page.Heading()).ToHaveTextAsync("Inicio");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Mis casos abiertos" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Asignados a usted desde su última visita" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task Supervisor_StartPage_ShowsTheTeamsFiguresAsTables_AndEachFigureOpensItsList() => RunAsync(async () =>
    {
        await SignInAsync(DemoUsers.Supervisor);
        await Page.GotoAsync("/");

        await Expect(Page.Heading()).ToHaveTextAsync("Inicio");
        var byStatus = Page.GetByRole(AriaRole.Region, new() { Name = "Casos abiertos por estado" });
        await Expect(byStatus.GetByRole(AriaRole.Table)).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Antigüedad de los casos abiertos" })).ToBeVisibleAsync();

        await byStatus.GetByRole(AriaRole.Row, new() { Name = "Nuevo" }).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Casos");
        await Expect(Page.GetByLabel("Estado", new() { Exact = true })).ToHaveValueAsync("New");
    });

    [Fact]
    public Task QuickSearch_ACaseNumber_OpensTheCase() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Búsqueda", "Rápida " + tag);
        var item = await Fixture.CreateCaseAsync(contact, "Caso buscado " + tag);
        await SignInAsync(DemoUsers.Agent);

        var search = Page.GetByRole(AriaRole.Search).GetByLabel("Búsqueda rápida");
        await search.FillAsync(item.Number);
        await search.PressAsync("Enter");

        await Page.WaitForURLAsync("**" + item.Url);
    });
}
