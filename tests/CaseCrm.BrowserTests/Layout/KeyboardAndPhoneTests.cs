using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Layout;

/// <summary>
/// design.md "The agent's screen": the keyboard alone does every "Agregar Caso" path and the association (Enter saves a
/// form, menus open with Enter and move with the arrows, Escape closes and gives focus back, a skip link), and from a
/// 390-pixel phone no page scrolls sideways.
/// </summary>
public sealed class KeyboardAndPhoneTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task EnterInTitle_SavesTheCaseForm_AndAnErrorPutsFocusOnTheFieldInError() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Teclado", $"Enter {tag}");
        await SignInAsync(DemoUsers.Agent);
        await Page.GotoAsync($"/Contacts/{contact.Id}/Cases/Create");

        // The form opens with focus on its first field.
        await Expect(Page.CaseTitle()).ToBeFocusedAsync();

        // Enter with the title missing: the form comes back with focus on the field in error.
        await Page.CaseCategory().SelectOptionAsync(new SelectOptionValue { Label = "Consulta" });
        await Page.CaseDescription().FillAsync("Pregunta por la factura de noviembre.");
        await Page.CaseTitle().FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.CaseTitle()).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.CaseTitle()).ToBeFocusedAsync();

        // Enter in "Título" saves the form (not the account search that comes earlier in it).
        await Page.Keyboard.TypeAsync($"Factura de noviembre {tag}");
        await Page.Keyboard.PressAsync("Enter");
        await Page.ExpectCaseCreatedAsync();
    });

    [Fact]
    public Task AddCase_FromTheContactListMenu_WithTheKeyboardOnly() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Marta", $"Teclado {tag}");
        await SignInAsync(DemoUsers.Agent);
        await Page.GotoAsync($"/Contacts?q={tag}");
        var row = Page.ContactRow(contact.FullName);
        await TabToAsync(row.GetByTitle("Acciones", new() { Exact = true }));

        // Enter opens the ⋮ menu on its first item; ArrowRight opens "Casos" on "Agregar Caso"; Enter follows it.
        await Page.Keyboard.PressAsync("Enter");
        await Expect(row.CasesSubmenu()).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("ArrowRight");
        var addCase = row.GetByRole(AriaRole.Menuitem, new() { Name = "Agregar Caso", Exact = true });
        await Expect(addCase).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("ArrowDown");
        await Expect(row.GetByRole(AriaRole.Menuitem, new() { Name = "Ver casos", Exact = true })).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("ArrowUp");
        await Page.Keyboard.PressAsync("Enter");
        await Page.ExpectCaseFormAsync(contact.FullName);

        await Expect(Page.CaseTitle()).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync($"Alta de línea {tag}");
        await TabToAsync(Page.CaseCategory());
        await Page.Keyboard.TypeAsync("Solicitud");
        await Expect(Page.CaseCategory().Locator("option:checked")).ToHaveTextAsync("Solicitud");
        await TabToAsync(Page.CaseDescription());
        await Page.Keyboard.TypeAsync("Quiere una línea nueva para la oficina.");
        await TabToAsync(Page.SaveButton());
        await Page.Keyboard.PressAsync("Enter");

        await Page.ExpectCaseCreatedAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Contactos");
    });

    [Fact]
    public Task Associate_WithTheKeyboardOnly_NoParentIsChosenBeforehand() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Pablo", $"Teclado {tag}");
        var first = await Fixture.CreateCaseAsync(contact, $"Corte de luz {tag}");
        var second = await Fixture.CreateCaseAsync(contact, $"Corte de luz, planta 2 {tag}");
        await SignInAsync(DemoUsers.Supervisor);
        await Page.GotoAsync($"/Cases?view=all&q={tag}");

        foreach (var item in new[] { first, second })
        {
            await TabToAsync(Page.GetByRole(AriaRole.Checkbox, new() { Name = $"Seleccionar {item.Number}", Exact = true }));
            await Page.Keyboard.PressAsync("Space");
        }

        await TabToAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Asociar casos secundarios", Exact = true }), backwards: true);
        await Page.Keyboard.PressAsync("Enter");
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        var radios = dialog.GetByRole(AriaRole.Radio);
        await Expect(radios).ToHaveCountAsync(2);
        await Expect(dialog.Locator("input[type=radio]:checked")).ToHaveCountAsync(0);

        // Focus is in the dialog, on the group of choices: Space chooses the case it is on as the parent.
        await TabToAsync(radios.First);
        await Page.Keyboard.PressAsync("Space");
        var parentId = await radios.First.InputValueAsync();
        var (parent, child) = parentId == first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ? (first, second) : (second, first);
        await TabToAsync(dialog.GetByRole(AriaRole.Button, new() { Name = "Establecer", Exact = true }));
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page.Heading()).ToContainTextAsync(parent.Number);
        await Expect(Page.ChildRow(child.Number)).ToBeVisibleAsync();
    });

    [Fact]
    public Task Menu_EscapeClosesIt_AndGivesFocusBackToItsButton() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Elena", $"Teclado {tag}");
        await SignInAsync(DemoUsers.Agent);
        await Page.GotoAsync($"/Contacts/{contact.Id}");
        var toggle = Page.Locator("details.contact-actions > summary");

        await TabToAsync(toggle);
        await Page.Keyboard.PressAsync(" ");
        await Expect(Page.GetByRole(AriaRole.Menuitem, new() { Name = "Editar", Exact = true })).ToBeFocusedAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Page.Keyboard.PressAsync("ArrowDown");
        await Expect(Page.Locator("details.contact-actions").CasesSubmenu()).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Escape");

        await Expect(toggle).ToBeFocusedAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(Page.GetByRole(AriaRole.Menuitem, new() { Name = "Editar", Exact = true })).ToBeHiddenAsync();
    });

    [Fact]
    public Task SkipLink_IsTheFirstStop_AndMovesFocusToTheContent() => RunAsync(async () =>
    {
        await SignInAsync(DemoUsers.Agent);
        await Page.GotoAsync("/Contacts");

        await Page.Keyboard.PressAsync("Tab");
        var skip = Page.GetByRole(AriaRole.Link, new() { Name = "Saltar al contenido", Exact = true });
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeVisibleAsync();
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page.Locator("main#content")).ToBeFocusedAsync();
    });

    [Fact]
    public Task EveryMainPage_AtPhoneWidth_DoesNotScrollSideways() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Teléfono", $"Estrecho {tag}", "Telecomunicaciones Río de la Plata");
        var parent = await Fixture.CreateCaseAsync(contact, $"Un título de caso bastante largo para una pantalla estrecha {tag}");
        await Fixture.CreateChildAsync(parent, $"Secundario con un título también largo {tag}");
        await Page.SetViewportSizeAsync(390, 844);
        await SignInAsync(Page, DemoUsers.Administrator.Email, DemoUsers.Administrator.Password, menuVisible: false);

        // The menu folds into a button that opens it.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Abrir el menú", Exact = true }).ClickAsync();
        await Page.Locator("#sidemenu").GetByRole(AriaRole.Link, new() { Name = "Contactos", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Contactos");

        var pages = new[]
        {
            "/Contacts", $"/Contacts?q={tag}", $"/Contacts/{contact.Id}", $"/Contacts/{contact.Id}?tab=cases",
            $"/Contacts/{contact.Id}/Cases/Create", "/Accounts", "/Cases", "/Cases?view=all",
            parent.Url, $"{parent.Url}?tab=relations", $"{parent.Url}?tab=history", $"{parent.Url}/Edit", $"{parent.Url}/Resolve",
            "/Users", "/Categories", "/Settings/ParentChild", "/Account/ChangePassword",
        };
        var wide = new List<string>();
        foreach (var url in pages)
        {
            await Page.GotoAsync(url);
            var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            if (widths[0] > widths[1])
            {
                // Name the outermost elements that stick out, for the failure message.
                var culprits = await Page.EvaluateAsync<string[]>(@"() => Array.from(document.querySelectorAll('body *'))
                    .filter(e => !e.closest('.table-responsive') && e.getBoundingClientRect().right > window.innerWidth + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
                    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + Array.from(e.classList).join('.'))");
                wide.Add($"{url}: {widths[0]} > {widths[1]} ({string.Join(", ", culprits)})");
            }
        }

        Assert.True(wide.Count == 0, string.Join("\n", wide));
    });

    /// <summary>Presses Tab (or Shift+Tab) until <paramref name="target"/> has the focus, as a keyboard user would.</summary>
    private async Task TabToAsync(ILocator target, bool backwards = false)
    {
        for (var i = 0; i < 60; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await Page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }

        await Expect(target).ToBeFocusedAsync();
    }
}
