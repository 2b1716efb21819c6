using CaseCrm.BrowserTests.Infrastructure;
using CaseCrm.Data;
using CaseCrm.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Notifications;

/// <summary>
/// The bell (design.md, "Home, notifications and reports"): a case the supervisor assigns to the agent shows as a count
/// in the agent's top bar, the list names it, and "Marcar todas como leídas" empties the count; a mention chosen from the
/// suggestion list with the keyboard (@ and letters, arrow down, Enter) notifies the mentioned user.
/// </summary>
public sealed class BellTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task ACaseAssignedByTheSupervisor_ShowsInTheAgentsBell_UntilAllAreMarkedRead() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Rosa", $"Campos {tag}");
        var item = await Fixture.CreateCaseAsync(contact, $"Factura duplicada {tag}");
        await SignInAsync(DemoUsers.Agent);
        await MarkAllReadAsync(Page);
        var bell = Page.Locator("#notification-bell");
        await Expect(bell).ToHaveAccessibleNameAsync("Notificaciones, ninguna sin leer");

        await using (var supervisorContext = await Fixture.NewContextAsync())
        {
            var supervisor = await supervisorContext.NewPageAsync();
            await SignInAsync(supervisor, DemoUsers.Supervisor.Email, DemoUsers.Supervisor.Password);
            await supervisor.OpenCaseAsync(item);
            await supervisor.Locator("#assigneeId").SelectOptionAsync(new SelectOptionValue { Label = "Ana Agente" });
            await supervisor.GetByRole(AriaRole.Button, new() { Name = "Asignar", Exact = true }).ClickAsync();
            await Expect(supervisor.Locator("#assignee")).ToHaveTextAsync("Ana Agente");
        }

        await Page.ReloadAsync();
        await Expect(Page.Locator("#notification-count")).ToHaveTextAsync("1");
        await Expect(bell).ToHaveAccessibleNameAsync("1 notificación sin leer");

        await bell.ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Notificaciones");
        var row = Page.Locator("#notifications > li").First;
        await Expect(row).ToContainTextAsync($"{item.Number} te fue asignado por Sergio Supervisor");
        await Expect(row).ToContainTextAsync(item.Title);
        await Expect(row).ToContainTextAsync("Nueva");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Marcar todas como leídas", Exact = true }).ClickAsync();
        await Expect(Page.FlashMessage()).ToHaveTextAsync("Todas las notificaciones están marcadas como leídas.");
        await Expect(Page.Locator("#notification-count")).ToHaveCountAsync(0);
        await Expect(bell).ToHaveAccessibleNameAsync("Notificaciones, ninguna sin leer");
        await Expect(row).Not.ToContainTextAsync("Nueva");
    });

    [Fact]
    public Task AMentionChosenFromTheSuggestions_NotifiesTheMentionedUser() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Iván", $"Mora {tag}");
        var item = await Fixture.CreateCaseAsync(contact, $"Corte de servicio {tag}");
        await SignInAsync(DemoUsers.Agent);
        await Page.OpenCaseAsync(item);

        var comment = Page.GetByLabel("Nuevo comentario", new() { Exact = true });
        await comment.PressSequentiallyAsync("Hola @supe");
        var suggestions = Page.GetByRole(AriaRole.Listbox, new() { Name = "Personas que mencionar" });
        await Expect(suggestions).ToBeVisibleAsync();
        var option = suggestions.GetByRole(AriaRole.Option).Filter(new() { HasText = "Sergio Supervisor" });
        await Expect(option).ToContainTextAsync("@supervisor");
        await comment.PressAsync("ArrowDown");
        await Expect(comment).ToHaveAttributeAsync("aria-activedescendant", (await option.GetAttributeAsync("id"))!);
        await comment.PressAsync("Enter");
        await Expect(suggestions).ToBeHiddenAsync();
        await Expect(comment).ToHaveValueAsync("Hola @supervisor ");
        await comment.PressSequentiallyAsync("¿puedes revisar la factura?");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Agregar comentario", Exact = true }).ClickAsync();
        await Expect(Page.FlashMessage()).ToHaveTextAsync("Se agregó el comentario.");

        await using var scope = Fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var mentioned = await db.Notifications.AsNoTracking()
            .Where(n => n.CaseId == item.Id)
            .Select(n => new { n.Kind, Recipient = db.Users.Where(u => u.Id == n.UserId).Select(u => u.Email).Single() })
            .ToListAsync();
        Assert.Equal([(NotificationKind.Mentioned, DemoUsers.Supervisor.Email)], mentioned.Select(m => (m.Kind, m.Recipient)));

        await using var supervisorContext = await Fixture.NewContextAsync();
        var supervisor = await supervisorContext.NewPageAsync();
        await SignInAsync(supervisor, DemoUsers.Supervisor.Email, DemoUsers.Supervisor.Password);
        await supervisor.Locator("#notification-bell").ClickAsync();
        await Expect(supervisor.Locator("#notifications > li").First).ToContainTextAsync($"Ana Agente te mencionó en {item.Number}");
    });

    // Earlier tests may have left the agent notifications: start from none unread.
    private static async Task MarkAllReadAsync(IPage page)
    {
        await page.GotoAsync("/Notifications");
        var all = page.GetByRole(AriaRole.Button, new() { Name = "Marcar todas como leídas", Exact = true });
        if (await all.CountAsync() > 0)
        {
            await all.ClickAsync();
            await Expect(page.FlashMessage()).ToBeVisibleAsync();
        }
    }
}
