using CaseCrm.BrowserTests.Infrastructure;
using CaseCrm.Domain.Cases;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.SavedViews;

/// <summary>
/// "Guardar vista" (issue 19): the supervisor filters the case list to the urgent unassigned cases, saves it as "Urgentes sin
/// asignar" shared with the team, and opens it again from the tabs beside Casos activos / Mis casos / Todos: the same rows.
/// The agent finds it among their tabs too.
/// </summary>
public sealed class SavedViewTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string ViewName = "Urgentes sin asignar";

    [Fact]
    public Task Supervisor_SavesTheFilteredList_AndOpensItFromTheTabs_WithTheSameRows() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Vista", "Guardada " + tag);
        var first = await Fixture.CreateCaseAsync(contact, $"Caída total {tag}", priority: CasePriority.Urgent);
        var second = await Fixture.CreateCaseAsync(contact, $"Sin acceso {tag}", priority: CasePriority.Urgent);
        await Fixture.CreateCaseAsync(contact, $"Duda menor {tag}", priority: CasePriority.Low);
        string[] expected = [$"{second.Id}", $"{first.Id}"];

        await SignInAsync(DemoUsers.Supervisor);
        await Page.GotoAsync("/Cases");
        await Page.GetByLabel("Buscar").FillAsync(tag);
        await Page.Locator("#priority").SelectOptionAsync(new SelectOptionValue { Label = "Urgente" });
        await Page.Locator("#assignee").SelectOptionAsync(new SelectOptionValue { Label = "(sin asignar)" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Filtrar", Exact = true }).ClickAsync();
        await ExpectRowsAsync(expected);

        await Page.GetByRole(AriaRole.Link, new() { Name = "Guardar vista" }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Guardar vista");
        await Expect(Page.Locator("#saved-view-filters")).ToContainTextAsync("(sin asignar)");
        await Page.GetByLabel("Nombre").FillAsync(ViewName);
        await Page.GetByLabel("Compartir con el equipo").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Guardar", Exact = true }).ClickAsync();
        await Expect(Page.FlashMessage()).ToContainTextAsync($"Vista «{ViewName}» guardada.");
        var tabs = Page.GetByRole(AriaRole.Navigation, new() { Name = "Vistas de casos" });
        var viewTab = tabs.GetByRole(AriaRole.Link, new() { Name = ViewName });
        await Expect(viewTab).ToHaveAttributeAsync("aria-current", "page");
        await ExpectRowsAsync(expected);

        await tabs.GetByRole(AriaRole.Link, new() { Name = "Casos activos", Exact = true }).ClickAsync();
        await Expect(viewTab).Not.ToHaveAttributeAsync("aria-current", "page");
        await viewTab.ClickAsync();
        await Expect(viewTab).ToHaveAttributeAsync("aria-current", "page");
        await Expect(Page.Locator("#priority")).ToHaveValueAsync("Urgent");
        await Expect(Page.Locator("#assignee")).ToHaveValueAsync("none");
        await ExpectRowsAsync(expected);
        await SaveDocsScreenshotAsync("saved-view.png");

        await using var agentContext = await Fixture.NewContextAsync();
        var agent = await agentContext.NewPageAsync();
        await SignInAsync(agent, DemoUsers.Agent.Email, DemoUsers.Agent.Password);
        await agent.GotoAsync("/Cases");
        await agent.GetByRole(AriaRole.Navigation, new() { Name = "Vistas de casos" }).GetByRole(AriaRole.Link, new() { Name = ViewName }).ClickAsync();
        await Expect(agent.Locator("#cases tbody tr")).ToHaveCountAsync(2);
    });

    private async Task ExpectRowsAsync(string[] ids)
    {
        var rows = Page.Locator("#cases tbody tr");
        await Expect(rows).ToHaveCountAsync(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            await Expect(rows.Nth(i)).ToHaveAttributeAsync("data-case-id", ids[i]);
        }
    }
}
