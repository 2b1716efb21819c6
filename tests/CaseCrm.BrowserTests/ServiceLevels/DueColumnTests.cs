using System.Text.RegularExpressions;
using CaseCrm.BrowserTests.Infrastructure;
using CaseCrm.Domain.Cases;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.ServiceLevels;

/// <summary>
/// The "Vence" column of the case list (issue 18), in the browser: two new cases of one contact, an urgent one and a low
/// one, listed by their tag; sorting by "Vence" puts the urgent one (due in 1 working hour) before the low one (8 hours)
/// and back; each shows its state; the "Vence" filter keeps only the cases at risk now; the case page shows both targets.
/// </summary>
public sealed class DueColumnTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task TheList_SortsByVence_ShowsEachState_AndFiltersAtRisk() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Vence", "Prueba " + tag);
        var low = await Fixture.CreateCaseAsync(contact, $"Cambio de tarifa {tag}", priority: CasePriority.Low);
        var urgent = await Fixture.CreateCaseAsync(contact, $"Sin servicio {tag}", priority: CasePriority.Urgent);
        await SignInAsync(DemoUsers.Agent);
        await Page.GotoAsync($"/Cases?q={tag}");
        var rows = Page.Locator("#cases tbody tr");
        await Expect(rows).ToHaveCountAsync(2);

        // "Vence" sorts soonest first; a second click turns it round.
        var header = Page.Locator("#cases thead").GetByRole(AriaRole.Link, new() { Name = "Vence" });
        await header.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("sort=due"));
        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-case-id", urgent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(rows.Nth(1)).ToHaveAttributeAsync("data-case-id", low.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(rows.Nth(0).Locator("[data-due] .sla")).ToHaveTextAsync(new Regex("^(En plazo|En riesgo)$"));
        await Page.Locator("#cases thead").GetByRole(AriaRole.Link, new() { Name = "Vence" }).ClickAsync();
        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-case-id", low.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The filter keeps the cases at risk now: these two were opened a moment ago.
        await Page.GetByLabel("Vence", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "En riesgo" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Filtrar", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("sla=atrisk"));
        await Expect(rows).ToHaveCountAsync(0);

        // The case page: both targets with their state and due time.
        await Page.OpenCaseAsync(urgent);
        await Expect(Page.GetByTestId("sla-first-response")).ToContainTextAsync("vence el");
        await Expect(Page.GetByTestId("sla-resolution")).ToContainTextAsync("vence el");
    });
}
