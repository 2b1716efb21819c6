using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Cases;

/// <summary>
/// "Agregar Caso" (<c>/Contacts/{id}/Cases/Create</c>) through the real form, on SQLite and on PostgreSQL: the prefill, the
/// contact taken from the route only, the account default, local return URLs, the message naming the case, errors beside
/// their fields with every value kept and nothing written, and the warning about open cases of the same category.
/// </summary>
public abstract class AddCaseTests(CrmWebFactory factory)
{
    private static string FormUrl(int contactId, string? returnUrl = null) =>
        $"/Contacts/{contactId}/Cases/Create" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl));

    [Fact]
    public async Task Get_PrefillsTheContactsAccountAndStatusNuevo_AndOffersOnlyActiveCategories()
    {
        var data = await factory.NewDataAsync();
        var retired = await data.CategoryAsync("Retirada " + Token(), isActive: false);
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync(FormUrl(data.Contact.Id));

        var form = page.GetForm(client, "#case-form");
        Assert.Equal(Invariant(data.Account.Id), form.Get("AccountId"));
        Assert.Equal(nameof(CaseStatus.New), form.Get("Status"));
        Assert.Equal("Nuevo", page.QuerySelector<IHtmlSelectElement>("#Status")?.SelectedOptions.Single().Squashed());
        Assert.Equal("", form.Get("CategoryId"));
        Assert.Equal(("", "", "", ""), (form.Get("Title"), form.Get("Description"), form.Get("Priority"), form.Get("Origin")));
        Assert.Equal(data.Contact.FullName, page.Text("#Contact"));
        Assert.Null(page.QuerySelector("input[name='ContactId'], select[name='ContactId']"));
        var categories = page.QuerySelectorAll("#CategoryId option").Select(o => o.Squashed()).ToList();
        Assert.Contains(data.Category.Name, categories);
        Assert.Contains("Consulta", categories);
        Assert.DoesNotContain(retired.Name, categories);
        Assert.Equal($"/Contacts/{data.Contact.Id}/Cases/Create", form.Action.AbsolutePath);
    }

    [Fact]
    public async Task Post_CreatesTheCaseForTheRouteContact_AndReturnsToItsCasosTabNamingTheCase()
    {
        var data = await factory.NewDataAsync();
        var title = "Sin luz en la oficina " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");

        using var response = await form
            .Set("Title", "  " + title + "  ")
            .Set("CategoryId", data.Category.Id)
            .Set("Priority", CasePriority.High)
            .Set("Origin", CaseOrigin.Phone)
            .Set("Description", "Desde ayer no hay luz.\nRevisar el contador.")
            .PostAsync();

        Assert.Equal($"/Contacts/{data.Contact.Id}?tab=cases", response.RedirectTarget());
        var item = await factory.InDbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Title == title));
        Assert.Equal((data.Contact.Id, (int?)data.Account.Id, data.Category.Id, (CasePriority?)CasePriority.High, (CaseOrigin?)CaseOrigin.Phone),
            (item.ContactId, item.AccountId, item.CategoryId, item.Priority, item.Origin));
        Assert.Equal((CaseStatus.New, "Desde ayer no hay luz.\nRevisar el contador.", (string?)null, (int?)null),
            (item.Status, item.Description, item.Resolution, item.ParentId));
        Assert.Equal(await factory.UserIdAsync(Agent), item.CreatedById);

        var tab = await client.FollowAsync(response);
        Assert.Equal($"Se creó el caso {Number(item.Id)}.", tab.Flash());
        Assert.Contains(item.Id, tab.RowIds("#contact-cases tr[data-case-id]", "data-case-id"));
        Assert.Equal("1", tab.Text("[data-testid='case-count']"));
    }

    [Theory]
    [InlineData("list")]
    [InlineData("menu")]
    [InlineData("tab")]
    public async Task EachEntryPoint_OpensTheFormBoundToTheContact_AndSavingReturnsThere(string entryPoint)
    {
        var data = await factory.NewDataAsync();
        var contact = await data.ContactAsync(data.Account, "Lucía", "Fernández " + Token());
        var client = await factory.ClientAsync(Roles.Agent);
        var (pageUrl, linkSelector) = entryPoint switch
        {
            "list" => ($"/Contacts?q={Uri.EscapeDataString(contact.LastName!)}", $"tr[data-contact-id='{contact.Id}'] .contact-actions a[href*='/Cases/Create']"),
            "menu" => ($"/Contacts/{contact.Id}", ".page-header .contact-actions a[href*='/Cases/Create']"),
            _ => ($"/Contacts/{contact.Id}?tab=cases", "#contact-cases .toolbar a"),
        };
        var opened = await client.GetDocumentAsync(pageUrl);
        var link = opened.QuerySelector(linkSelector)?.GetAttribute("href") ?? throw new InvalidOperationException($"No Agregar Caso link on {pageUrl}.");
        Assert.Equal("Agregar Caso", opened.QuerySelector(linkSelector)!.Squashed());

        var form = await client.GetFormAsync(link, "#case-form");
        Assert.Equal(pageUrl, form.Get("returnUrl"));
        using var response = await form.Set("Title", "Desde " + entryPoint).Set("CategoryId", data.Category.Id).Set("Description", "Prueba").PostAsync();

        Assert.Equal(pageUrl, response.RedirectTarget());
        var item = await factory.InDbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.ContactId == contact.Id));
        Assert.Equal($"Se creó el caso {Number(item.Id)}.", (await client.FollowAsync(response)).Flash());
        var tab = await client.GetDocumentAsync($"/Contacts/{contact.Id}?tab=cases");
        Assert.Equal([item.Id], tab.RowIds("#contact-cases tr[data-case-id]", "data-case-id"));
    }

    [Fact]
    public async Task Post_IgnoresAForgedContactId_AndLinksTheContactOfTheRoute()
    {
        var data = await factory.NewDataAsync();
        var otherAccount = await data.AccountAsync();
        var other = await data.ContactAsync(otherAccount, "Otra", "Persona " + Token());
        var title = "Forjado " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");

        using var response = await form
            .Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "Campo ContactId añadido a mano.")
            .Add("ContactId", other.Id)
            .PostAsync();

        // MVC's form value provider comes before the route's: unless the action binds contactId [FromRoute], the forged
        // field wins and the case is filed under the other contact.
        var item = await factory.InDbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Title == title));
        Assert.Equal(data.Contact.Id, item.ContactId);
        Assert.Equal($"/Contacts/{data.Contact.Id}?tab=cases", response.RedirectTarget());
        Assert.Equal(0, await factory.InDbAsync(db => db.Cases.CountAsync(c => c.ContactId == other.Id)));
    }

    [Fact]
    public async Task Post_WithoutAnAccount_DefaultsToTheContactsAccount()
    {
        var data = await factory.NewDataAsync();
        var title = "Sin cuenta elegida " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");

        using var response = await form.Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "x").Remove("AccountId").PostAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(data.Account.Id, (await factory.InDbAsync(db => db.Cases.SingleAsync(c => c.Title == title))).AccountId);
    }

    [Fact]
    public async Task Post_ForAContactWithoutAccount_OffersNoAccountAndLeavesItEmpty()
    {
        var data = await factory.NewDataAsync();
        var loner = await data.ContactAsync(account: null);
        var title = "Particular " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(loner.Id), "#case-form");
        Assert.Equal("", form.Get("AccountId"));

        using var response = await form.Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "x").PostAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null((await factory.InDbAsync(db => db.Cases.SingleAsync(c => c.Title == title))).AccountId);
    }

    [Fact]
    public async Task FindAccount_ThenChoosingAnotherAccount_KeepsTheValuesAndSavesThatAccount()
    {
        var data = await factory.NewDataAsync();
        var token = Token();
        var other = await data.AccountAsync($"Cuenta Ñandú {token}");
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");
        var before = await factory.SnapshotAsync();

        using var search = await form.Set("Title", "Otra cuenta " + token).Set("Description", "Con otra cuenta").Set("AccountSearch", $"cuenta nandu {token}").PostAsync("command");

        var page = await search.PageAsync();
        Assert.Empty(page.ValidationErrors());
        var again = page.GetForm(client, "#case-form");
        Assert.Equal(("Otra cuenta " + token, "Con otra cuenta", Invariant(data.Account.Id)), (again.Get("Title"), again.Get("Description"), again.Get("AccountId")));
        Assert.Contains(Invariant(other.Id), page.QuerySelectorAll("#CaseAccountId option").Select(o => o.GetAttribute("value")));
        await factory.AssertUnchangedAsync(before);

        using var saved = await again.Set("AccountId", other.Id).Set("CategoryId", data.Category.Id).PostAsync();

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var item = await factory.InDbAsync(db => db.Cases.SingleAsync(c => c.Title == "Otra cuenta " + token));
        Assert.Equal((data.Contact.Id, (int?)other.Id), (item.ContactId, item.AccountId));
    }

    [Fact]
    public async Task Post_ReturnsToALocalReturnUrl()
    {
        var data = await factory.NewDataAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id, "/Contacts?q=garcia&page=2"), "#case-form");
        Assert.Equal("/Contacts?q=garcia&page=2", form.Get("returnUrl"));

        using var response = await form.Set("Title", "Vuelta " + Token()).Set("CategoryId", data.Category.Id).Set("Description", "x").PostAsync();

        Assert.Equal("/Contacts?q=garcia&page=2", response.RedirectTarget());
    }

    [Theory]
    [InlineData("https://evil.test/phish")]
    [InlineData("//evil.test/phish")]
    [InlineData("/\\evil.test/phish")]
    [InlineData("javascript:alert(1)")]
    public async Task ExternalReturnUrl_IsIgnored_OnTheLinkAndWhenForged_AndTheAgentLandsOnTheCasosTab(string returnUrl)
    {
        var data = await factory.NewDataAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id, returnUrl), "#case-form");
        Assert.Equal("", form.Get("returnUrl"));

        using var fromLink = await form.Set("Title", "Externa " + Token()).Set("CategoryId", data.Category.Id).Set("Description", "x").PostAsync();
        var forgedForm = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");
        using var forged = await forgedForm.Set("Title", "Forjada " + Token()).Set("CategoryId", data.Category.Id).Set("Description", "x")
            .Set("returnUrl", returnUrl).PostAsync();

        Assert.Equal($"/Contacts/{data.Contact.Id}?tab=cases", fromLink.RedirectTarget());
        Assert.Equal($"/Contacts/{data.Contact.Id}?tab=cases", forged.RedirectTarget());
    }

    [Fact]
    public async Task Post_WithoutCategoryTitleAndDescription_ShowsEachErrorBesideItsField_KeepsEveryValue_AndWritesNothing()
    {
        var data = await factory.NewDataAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id, "/Contacts"), "#case-form");
        var before = await factory.SnapshotAsync();

        using var response = await form
            .Set("Title", "")
            .Set("CategoryId", "")
            .Set("Description", "  ")
            .Set("Priority", CasePriority.Urgent)
            .Set("Status", CaseStatus.OnHold)
            .Set("Origin", CaseOrigin.Chat)
            .Set("Resolution", "Nota <b>previa</b>")
            .PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("Escriba un título que resuma el caso.", page.FieldError("Title"));
        Assert.Equal("Elija la categoría.", page.FieldError("CategoryId"));
        Assert.Equal("Describa la consulta, el problema o la solicitud.", page.FieldError("Description"));
        Assert.Null(page.FieldError("Resolution"));
        Assert.Equal(3, page.ValidationErrors().Count);
        var again = page.GetForm(client, "#case-form");
        Assert.Equal(
            (nameof(CasePriority.Urgent), nameof(CaseStatus.OnHold), nameof(CaseOrigin.Chat), "Nota <b>previa</b>", Invariant(data.Account.Id), "/Contacts"),
            (again.Get("Priority"), again.Get("Status"), again.Get("Origin"), again.Get("Resolution"), again.Get("AccountId"), again.Get("returnUrl")));
        Assert.Equal("true", page.QuerySelector("#Title")?.GetAttribute("aria-invalid"));
        await factory.AssertUnchangedAsync(before);
    }

    [Theory]
    [InlineData("Title", "Escriba un título que resuma el caso.")]
    [InlineData("CategoryId", "Elija la categoría.")]
    [InlineData("Description", "Describa la consulta, el problema o la solicitud.")]
    public async Task Post_MissingOneRequiredField_ShowsItsErrorAlone_AndKeepsTheOthers(string field, string message)
    {
        var data = await factory.NewDataAsync();
        var title = "Falta un campo " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");
        form.Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "Descripción ñ").Set("Priority", CasePriority.Low);
        var before = await factory.SnapshotAsync();

        using var response = await form.Set(field, "").PostAsync();

        var page = await response.PageAsync();
        Assert.Equal([message], page.ValidationErrors());
        Assert.Equal(message, page.FieldError(field));
        var again = page.GetForm(client, "#case-form");
        var expected = new Dictionary<string, string> { ["Title"] = title, ["CategoryId"] = Invariant(data.Category.Id), ["Description"] = "Descripción ñ" };
        expected[field] = "";
        Assert.Equal(expected, expected.Keys.ToDictionary(k => k, k => again.Get(k) ?? "<missing>"));
        Assert.Equal(nameof(CasePriority.Low), again.Get("Priority"));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Post_WithAnInactiveCategory_IsRefusedBesideTheCategory_AndWritesNothing()
    {
        var data = await factory.NewDataAsync();
        var retired = await data.CategoryAsync("Retirada " + Token(), isActive: false);
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("Title", "Con categoría retirada").Set("CategoryId", retired.Id).Set("Description", "x").PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("La categoría elegida no existe o ya no está activa.", page.FieldError("CategoryId"));
        Assert.Equal("Con categoría retirada", page.GetForm(client, "#case-form").Get("Title"));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Post_WithAnAccountThatDoesNotExist_IsRefusedBesideTheAccount_AndWritesNothing()
    {
        var data = await factory.NewDataAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("Title", "Cuenta inventada").Set("CategoryId", data.Category.Id).Set("Description", "x").Set("AccountId", 999_999).PostAsync();

        Assert.Equal("La cuenta elegida no existe.", (await response.PageAsync()).FieldError("AccountId"));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Post_InAClosedStatus_IsRefusedBesideTheStatus_AndTheFormOffersOnlyActiveStatuses()
    {
        var data = await factory.NewDataAsync();
        var title = "Resuelto al crear " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");
        var page = await client.GetDocumentAsync(FormUrl(data.Contact.Id));
        Assert.Equal(
            [nameof(CaseStatus.New), nameof(CaseStatus.InProgress), nameof(CaseStatus.OnHold)],
            page.QuerySelectorAll("#Status option").Select(o => o.GetAttribute("value")));
        form.Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "Consulta atendida al teléfono.")
            .Set("Status", CaseStatus.Resolved).Set("Resolution", "Se le explicó la tarifa.");
        var before = await factory.SnapshotAsync();

        using var refused = await form.PostAsync();

        var refusedPage = await refused.PageAsync();
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.StartsWith("Un caso nuevo empieza en un estado activo", refusedPage.FieldError("Status"), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Theory]
    [InlineData("Priority", "Altísima")]
    [InlineData("Status", "Borrado")]
    [InlineData("Origin", "Paloma")]
    [InlineData("CategoryId", "uno")]
    public async Task Post_WithAValueNoListOffers_IsRefusedBesideTheField_AndWritesNothing(string field, string value)
    {
        var data = await factory.NewDataAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");
        form.Set("Title", "Valor forjado").Set("CategoryId", data.Category.Id).Set("Description", "x");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set(field, value).PostAsync();

        var page = await response.PageAsync();
        Assert.NotNull(page.FieldError(field));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Form_WarnsAboutOpenCasesOfTheSameCategory_AndLinksThem()
    {
        var data = await factory.NewDataAsync();
        var otherCategory = await data.CategoryAsync();
        var sameCategory = await data.UniqueCaseAsync("Abierto misma categoría");
        var otherOpen = await data.UniqueCaseAsync("Abierto otra categoría", categoryId: otherCategory.Id);
        var closed = await data.UniqueCaseAsync("Ya resuelto", CaseStatus.Resolved);
        var client = await factory.ClientAsync(Roles.Agent);

        var empty = await client.GetDocumentAsync(FormUrl(data.Contact.Id));
        Assert.False(empty.QuerySelector("#open-cases")!.HasAttribute("hidden"));
        Assert.Equal("Este contacto ya tiene casos abiertos:", empty.Text("#open-cases strong"));
        Assert.Equal(
            new[] { $"/Cases/{otherOpen.Id}", $"/Cases/{sameCategory.Id}" },
            empty.QuerySelectorAll("#open-cases li:not([hidden]) a").Select(a => a.GetAttribute("href")));

        // The agent picks the category (and forgets the title): the warning narrows to that category. It does not block.
        using var response = await empty.GetForm(client, "#case-form").Set("CategoryId", data.Category.Id).Set("Description", "x").PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("Este contacto ya tiene casos abiertos en la misma categoría. Revise si es el mismo asunto:", page.Text("#open-cases strong"));
        var shown = page.QuerySelectorAll("#open-cases li:not([hidden])").Select(li => li.Squashed()).ToList();
        var item = Assert.Single(shown);
        Assert.Contains(Number(sameCategory.Id), item, StringComparison.Ordinal);
        Assert.Contains(sameCategory.Title, item, StringComparison.Ordinal);
        Assert.Contains(data.Category.Name, item, StringComparison.Ordinal);
        Assert.DoesNotContain(page.QuerySelectorAll("#open-cases li").Select(li => li.Squashed()), li => li.Contains(closed.Title, StringComparison.Ordinal));
        Assert.Equal([sameCategory.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            page.QuerySelectorAll("#open-cases li:not([hidden]) a").Select(a => a.GetAttribute("href")!.Split('/')[^1]));

        // Still only a warning: with the title the case is saved.
        using var saved = await page.GetForm(client, "#case-form").Set("Title", "Mismo asunto " + Token()).PostAsync();
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
    }

    [Fact]
    public async Task Form_ForAContactWithoutOpenCases_ShowsNoWarning()
    {
        var data = await factory.NewDataAsync();
        await data.UniqueCaseAsync("Cerrado", CaseStatus.Resolved);
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync(FormUrl(data.Contact.Id));

        Assert.True(page.QuerySelector("#open-cases")!.HasAttribute("hidden"));
        Assert.Empty(page.QuerySelectorAll("#open-cases li"));
    }

    [Fact]
    public async Task UnknownContact_Answers404_ToTheFormAndToAPost()
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfGetAsync(FormUrl(999_999)));
        using var response = await client.PostWithTokenAsync(FormUrl(999_999),
            Fields(("Title", "x"), ("CategoryId", 1), ("Description", "x"), ("Status", "New")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task TenIdenticalSimultaneousPosts_CreateOneCase_AndEveryOneIsAnsweredAsSaved()
    {
        var data = await factory.NewDataAsync();
        var title = "Doble clic " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");
        form.Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "Enviado diez veces a la vez.");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => form.PostAsync()));

        var stored = await factory.InDbAsync(db => db.Cases.AsNoTracking().Where(c => c.Title == title).ToListAsync());
        Assert.Single(stored);
        foreach (var response in responses)
        {
            using (response)
            {
                // Every post is answered as the first was: back to where the form was opened, nothing to resubmit.
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task TheFormPostedAgainLater_ReturnsTheSameCase_ButANewFormMakesANewOne()
    {
        var data = await factory.NewDataAsync();
        var title = "Reenvío " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");
        form.Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "Enviado dos veces.");

        using (var first = await form.PostAsync())
        using (var again = await form.PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        Assert.Equal(1, await factory.InDbAsync(db => db.Cases.CountAsync(c => c.Title == title)));
        var second = await client.GetFormAsync(FormUrl(data.Contact.Id), "#case-form");
        second.Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "Otro caso, a propósito.");
        using (var other = await second.PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        }

        Assert.Equal(2, await factory.InDbAsync(db => db.Cases.CountAsync(c => c.Title == title)));
    }

    public sealed class Sqlite(SqliteWebFactory factory) : AddCaseTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : AddCaseTests(factory), IClassFixture<PostgresWebFactory>;
}
