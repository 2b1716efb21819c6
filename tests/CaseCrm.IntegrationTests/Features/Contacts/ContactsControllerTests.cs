using CaseCrm.Domain.Accounts;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Contacts;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;
using AccountEntity = CaseCrm.Domain.Accounts.Account;

namespace CaseCrm.IntegrationTests.Features.Contacts;

/// <summary>Ventas → Contactos over HTTP: the list (search, sort, paging), a contact's page and its Casos tab, create and edit.</summary>
public sealed class ContactsControllerTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    private const string Rows = "#contacts tbody tr[data-contact-id]";

    // ---- List

    [Theory]
    [InlineData("nunez")]
    [InlineData("NÚÑEZ")]
    [InlineData("Nuñez")]
    public async Task List_SearchIsAccentAndCaseInsensitive(string typed)
    {
        var token = Token();
        var nunez = await ContactAsync("Ramona", $"Núñez {token}");
        var other = await ContactAsync("Ramona", $"Pérez {token}");
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Contacts?q={Uri.EscapeDataString(typed + " " + token)}");

        Assert.Equal([nunez.Id], page.RowIds(Rows, "data-contact-id"));
        Assert.DoesNotContain(other.Id, page.RowIds(Rows, "data-contact-id"));
        Assert.Equal(typed + " " + token, page.QuerySelector<IHtmlInputElement>("#q")?.Value);
    }

    [Fact]
    public async Task List_SearchFindsTheDemoContactNunezWithoutAccents()
    {
        var demoId = await factory.InDbAsync(db => db.Contacts.Where(c => c.Email == "ramon@panaderianunez.test").Select(c => c.Id).SingleAsync());
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync("/Contacts?q=ramon+nunez");

        Assert.Contains(demoId, page.RowIds(Rows, "data-contact-id"));
        Assert.Contains("Núñez, Ramón", page.QuerySelector($"tr[data-contact-id='{demoId}']")!.Squashed(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{digits}")]
    [InlineData("+34 {spaced}")]
    [InlineData("{tail}")]
    public async Task List_FindsAContactByThePhoneDigits(string pattern)
    {
        var digits = "6" + Random.Shared.NextInt64(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var spaced = $"{digits[..3]} {digits[3..6]} {digits[6..]}";
        var contact = await ContactAsync("Telefónica", "Prueba " + Token(), phone: "+34 " + spaced);
        var typed = pattern.Replace("{digits}", digits, StringComparison.Ordinal)
            .Replace("{spaced}", spaced, StringComparison.Ordinal)
            .Replace("{tail}", digits[2..], StringComparison.Ordinal);
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Contacts?q={Uri.EscapeDataString(typed)}");

        Assert.Contains(contact.Id, page.RowIds(Rows, "data-contact-id"));
    }

    [Fact]
    public async Task List_SearchFindsAContactByItsAccountName()
    {
        var token = Token();
        var account = await AccountAsync($"Ferretería Ñandú {token}");
        var contact = await ContactAsync("Lola", "Ruiz", account: account);
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Contacts?q=ferreteria+nandu+{token}");

        Assert.Equal([contact.Id], page.RowIds(Rows, "data-contact-id"));
    }

    [Theory]
    [InlineData("name", "asc", new[] { 0, 1, 2 })]
    [InlineData("name", "desc", new[] { 2, 1, 0 })]
    [InlineData("email", "asc", new[] { 1, 2, 0 })]
    [InlineData("phone", "desc", new[] { 0, 2, 1 })]
    [InlineData("account", "asc", new[] { 2, 0, 1 })]
    [InlineData("account", "desc", new[] { 1, 0, 2 })]
    public async Task List_SortsByEachAllowListedKey(string sort, string dir, int[] expected)
    {
        var (token, contacts) = await ThreeContactsAsync();
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Contacts?q={token}&sort={sort}&dir={dir}");

        Assert.Equal(expected.Select(i => contacts[i].Id), page.RowIds(Rows, "data-contact-id"));
        Assert.Equal(sort, page.QuerySelector<IHtmlInputElement>("input[name='sort']")?.Value);
    }

    [Theory]
    [InlineData("SearchText")]
    [InlineData("Id;DROP TABLE Contacts")]
    [InlineData("createdat")]
    public async Task List_UnknownSortKey_FallsBackToTheNameInAscendingOrder(string sort)
    {
        var (token, contacts) = await ThreeContactsAsync();
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Contacts?q={token}&sort={Uri.EscapeDataString(sort)}&dir=desc");

        Assert.Equal(contacts.Select(c => c.Id), page.RowIds(Rows, "data-contact-id"));
        Assert.Equal("name", page.QuerySelector<IHtmlInputElement>("input[name='sort']")?.Value);
    }

    [Fact]
    public async Task List_PagesByTwentyFive()
    {
        var token = Token();
        await factory.InDbAsync(async db =>
        {
            for (var i = 0; i < 26; i++)
            {
                var contact = new Contact(new ContactDetails(token, $"Página {i:D2}", null, null, null, null, null), null, null, DateTime.UtcNow);
                db.Contacts.Add(contact);
            }

            return await db.SaveChangesAsync();
        });
        var client = await factory.ClientAsync(Roles.Agent);

        var first = await client.GetDocumentAsync($"/Contacts?q={token}");
        var second = await client.GetDocumentAsync($"/Contacts?q={token}&page=2");

        Assert.Equal(25, first.QuerySelectorAll(Rows).Length);
        Assert.NotNull(first.QuerySelector(".pager a[rel='next']"));
        Assert.Null(first.QuerySelector(".pager a[rel='prev']"));
        Assert.Single(second.QuerySelectorAll(Rows));
        Assert.NotNull(second.QuerySelector(".pager a[rel='prev']"));
        Assert.Null(second.QuerySelector(".pager a[rel='next']"));
        Assert.Empty(first.RowIds(Rows, "data-contact-id").Intersect(second.RowIds(Rows, "data-contact-id")));
    }

    [Fact]
    public async Task List_EveryRowOffersAgregarCasoAndVerCasos()
    {
        var contact = await ContactAsync("Menú", "Acciones " + Token());
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Contacts?q={Uri.EscapeDataString(contact.LastName!)}");

        var row = page.QuerySelector($"tr[data-contact-id='{contact.Id}']")!;
        var links = row.QuerySelectorAll(".contact-actions a").Select(a => (a.Squashed(), a.GetAttribute("href"))).ToList();
        Assert.Contains(links, l => l.Item1 == "Agregar Caso" && l.Item2!.StartsWith($"/Contacts/{contact.Id}/Cases/Create?returnUrl=", StringComparison.Ordinal));
        Assert.Contains(("Ver casos", $"/Contacts/{contact.Id}?tab=cases"), links);
    }

    // ---- Detail and its Casos tab

    [Fact]
    public async Task Details_ShowsTheContactAndItsAccount()
    {
        var account = await AccountAsync("Clínica " + Token());
        var contact = await ContactAsync("Sofía", "Ibáñez", email: "sofia@correo.test", account: account, jobTitle: "Coordinadora");
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Contacts/{contact.Id}");

        Assert.Equal("Sofía Ibáñez", page.Text("h1"));
        var details = page.Text("dl.details");
        Assert.Contains("sofia@correo.test", details, StringComparison.Ordinal);
        Assert.Contains(account.Name, details, StringComparison.Ordinal);
        Assert.Contains("Coordinadora", details, StringComparison.Ordinal);
        Assert.Equal("0", page.Text("[data-testid='case-count']"));
    }

    [Fact]
    public async Task Details_CasosTab_ShowsTheCountBadgeAndListsTheContactsCases()
    {
        var data = await factory.NewDataAsync();
        var first = await data.UniqueCaseAsync("Primer caso");
        var second = await data.UniqueCaseAsync("Segundo caso");
        var elsewhere = await data.CaseAsync(await data.ContactAsync(data.Account));
        var client = await factory.ClientAsync(Roles.Agent);

        var tab = await client.GetDocumentAsync($"/Contacts/{data.Contact.Id}?tab=cases");
        var details = await client.GetDocumentAsync($"/Contacts/{data.Contact.Id}");

        Assert.Equal("2", tab.Text("[data-testid='case-count']"));
        Assert.Equal("2", details.Text("[data-testid='case-count']"));
        Assert.Equal([second.Id, first.Id], tab.RowIds("#contact-cases tr[data-case-id]", "data-case-id"));
        Assert.DoesNotContain(elsewhere.Id, tab.RowIds("#contact-cases tr[data-case-id]", "data-case-id"));
        var row = tab.QuerySelector($"tr[data-case-id='{first.Id}']")!.Squashed();
        Assert.Contains(Number(first.Id), row, StringComparison.Ordinal);
        Assert.Contains(first.Title, row, StringComparison.Ordinal);
        Assert.Contains("Nuevo", row, StringComparison.Ordinal);
        Assert.Equal($"/Contacts/{data.Contact.Id}/Cases/Create?returnUrl=%2FContacts%2F{data.Contact.Id}%3Ftab%3Dcases",
            tab.QuerySelector("#contact-cases .toolbar a")?.GetAttribute("href"));
    }

    [Fact]
    public async Task Details_CasosTab_OfAContactWithoutCases_SaysSo()
    {
        var contact = await ContactAsync("Sin", "Casos " + Token());
        var client = await factory.ClientAsync(Roles.Agent);

        var tab = await client.GetDocumentAsync($"/Contacts/{contact.Id}?tab=cases");

        Assert.Equal("0", tab.Text("[data-testid='case-count']"));
        Assert.Equal("Este contacto no tiene casos.", tab.Text("#contact-cases .empty"));
    }

    [Theory]
    [InlineData("/Contacts/999999")]
    [InlineData("/Contacts/999999?tab=cases")]
    [InlineData("/Contacts/999999/Edit")]
    public async Task UnknownContact_Answers404(string url)
    {
        var client = await factory.ClientAsync(Roles.Agent);

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfGetAsync(url));
    }

    [Fact]
    public async Task EditPost_ForAnUnknownContact_Answers404AndWritesNothing()
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync("/Contacts/999999/Edit", Fields(("FirstName", "Nadie")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Create

    [Fact]
    public async Task Create_SavesTheContactWithItsAccount_AndOpensItsPage()
    {
        var account = await AccountAsync("Panadería " + Token());
        var last = "Núñez " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Contacts/Create?accountId={account.Id}");
        Assert.Equal(Invariant(account.Id), form.Get("AccountId"));

        using var response = await form
            .Set("FirstName", "  Ramón ")
            .Set("LastName", last)
            .Set("Email", "ramon@panaderia.test")
            .Set("Phone", "+52 55 1234 5678")
            .Set("Mobile", "")
            .Set("JobTitle", "Dueño")
            .PostAsync();

        var contact = await factory.InDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.LastName == last));
        Assert.Equal($"/Contacts/{contact.Id}", response.RedirectTarget());
        Assert.Equal(("Ramón", "ramon@panaderia.test", "+52 55 1234 5678", (string?)null, "Dueño", (int?)account.Id),
            (contact.FirstName, contact.Email, contact.Phone, contact.Mobile, contact.JobTitle, contact.AccountId));
        Assert.Equal(await factory.UserIdAsync(Agent), contact.OwnerId);
        var terms = await factory.InDbAsync(db => db.ContactSearchTerms.Where(t => t.ContactId == contact.Id).Select(t => t.Term).ToListAsync());
        Assert.Contains(account.SearchName.Split(' ')[0], terms);
        Assert.Contains("ramon@panaderia.test", terms);
        var page = await client.FollowAsync(response);
        Assert.Equal($"Se creó el contacto Ramón {last}.", page.Flash());
    }

    [Fact]
    public async Task Create_WithErrors_ShowsEachBesideItsField_KeepsTheValues_AndWritesNothing()
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync("/Contacts/Create");
        var before = await factory.SnapshotAsync();

        using var response = await form
            .Set("FirstName", " ")
            .Set("LastName", "")
            .Set("Email", "no-es-un-correo")
            .Set("Phone", new string('9', 41))
            .Set("JobTitle", "Técnica <b>jefa</b>")
            .PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("Escriba el nombre o los apellidos.", page.FieldError("LastName"));
        Assert.Equal("El correo electrónico no es válido.", page.FieldError("Email"));
        Assert.Equal("Escriba como máximo 40 caracteres.", page.FieldError("Phone"));
        Assert.Null(page.FieldError("JobTitle"));
        var again = page.GetForm(client);
        Assert.Equal("no-es-un-correo", again.Get("Email"));
        Assert.Equal(new string('9', 41), again.Get("Phone"));
        Assert.Equal("Técnica <b>jefa</b>", again.Get("JobTitle"));
        Assert.DoesNotContain("<b>jefa</b>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Create_WithAnAccountThatDoesNotExist_IsRefusedBesideTheAccount()
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync("/Contacts/Create");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("FirstName", "Ana").Set("AccountId", 999_999).PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("La cuenta elegida no existe.", page.FieldError("AccountId"));
        Assert.Equal("Ana", page.GetForm(client).Get("FirstName"));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Create_FindAccount_OffersTheMatchingAccounts_KeepsTheValues_AndWritesNothing()
    {
        var token = Token();
        var account = await AccountAsync($"Energía Ñandú {token}");
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync("/Contacts/Create");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("FirstName", "Elena").Set("AccountSearch", $"energia nandu {token}").PostAsync("command");

        var page = await response.PageAsync();
        Assert.Empty(page.ValidationErrors());
        var options = page.QuerySelectorAll("select[name='AccountId'] option").Select(o => (o.GetAttribute("value"), o.Squashed())).ToList();
        Assert.Contains((Invariant(account.Id), account.Name), options);
        Assert.Equal("Elena", page.GetForm(client).Get("FirstName"));
        await factory.AssertUnchangedAsync(before);

        using var saved = await page.GetForm(client).Set("AccountId", account.Id).PostAsync();
        var id = int.Parse(saved.RedirectTarget()["/Contacts/".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(account.Id, (await factory.InDbAsync(db => db.Contacts.SingleAsync(c => c.Id == id))).AccountId);
    }

    // ---- Edit

    [Fact]
    public async Task Edit_ShowsTheStoredValues_AndSavesTheChanges()
    {
        var account = await AccountAsync("Telecomunicaciones " + Token());
        var contact = await ContactAsync("José", "Martínez", email: "jose@correo.test", phone: "+34 600 000 000");
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Contacts/{contact.Id}/Edit");
        Assert.Equal(("José", "Martínez", "jose@correo.test", "+34 600 000 000", ""),
            (form.Get("FirstName"), form.Get("LastName"), form.Get("Email"), form.Get("Phone"), form.Get("AccountId")));

        using var response = await form.Set("LastName", "Martínez Ñúñez").Set("Phone", "").Set("AccountId", account.Id).PostAsync();

        Assert.Equal($"/Contacts/{contact.Id}", response.RedirectTarget());
        var stored = await factory.InDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == contact.Id));
        Assert.Equal(("Martínez Ñúñez", (string?)null, (int?)account.Id), (stored.LastName, stored.Phone, stored.AccountId));
        var terms = await factory.InDbAsync(db => db.ContactSearchTerms.Where(t => t.ContactId == contact.Id).Select(t => t.Term).ToListAsync());
        Assert.Contains("nunez", terms);
        Assert.DoesNotContain("34600000000", terms);
        Assert.Contains(account.SearchName.Split(' ')[0], terms);
        Assert.Equal("Se guardó el contacto José Martínez Ñúñez.", (await client.FollowAsync(response)).Flash());
    }

    [Fact]
    public async Task Edit_WithErrors_KeepsTheTypedValues_AndLeavesTheContactAsItWas()
    {
        var contact = await ContactAsync("Carmen", "Ruiz " + Token(), email: "carmen@correo.test");
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Contacts/{contact.Id}/Edit");
        var stored = await factory.InDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == contact.Id));

        using var response = await form.Set("FirstName", "").Set("LastName", "").Set("Email", "carmen@").Set("JobTitle", "Gerente").PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("Escriba el nombre o los apellidos.", page.FieldError("LastName"));
        Assert.Equal("El correo electrónico no es válido.", page.FieldError("Email"));
        Assert.Equal(("carmen@", "Gerente"), (page.GetForm(client).Get("Email"), page.GetForm(client).Get("JobTitle")));
        var after = await factory.InDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == contact.Id));
        Assert.Equal((stored.FirstName, stored.LastName, stored.Email, stored.JobTitle, stored.UpdatedAt),
            (after.FirstName, after.LastName, after.Email, after.JobTitle, after.UpdatedAt));
    }

    // ---- Helpers

    private async Task<(string Token, IReadOnlyList<Contact> Contacts)> ThreeContactsAsync()
    {
        var token = Token();
        var alfa = await AccountAsync($"Alfa {token}");
        var beta = await AccountAsync($"Beta {token}");
        var gamma = await AccountAsync($"Gamma {token}");
        // By name: A, B, C. By email: B, C, A. By phone: B, C, A. By account: C, A, B.
        var a = await ContactAsync(token, "Alonso", email: $"c-{token}@correo.test", phone: "+34 300 000 000", account: beta);
        var b = await ContactAsync(token, "Blanco", email: $"a-{token}@correo.test", phone: "+34 100 000 000", account: gamma);
        var c = await ContactAsync(token, "Castro", email: $"b-{token}@correo.test", phone: "+34 200 000 000", account: alfa);
        return (token, [a, b, c]);
    }

    private Task<AccountEntity> AccountAsync(string name) =>
        factory.InDbAsync(async db =>
        {
            var account = new AccountEntity(new AccountDetails(name, null, null, null, null, null), null, DateTime.UtcNow);
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return account;
        });

    private Task<Contact> ContactAsync(
        string firstName, string lastName, string? email = null, string? phone = null, AccountEntity? account = null, string? jobTitle = null) =>
        factory.InDbAsync(async db =>
        {
            var contact = new Contact(
                new ContactDetails(firstName, lastName, email, phone, null, jobTitle, account?.Id), account?.Name, null, DateTime.UtcNow);
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            return contact;
        });
}
