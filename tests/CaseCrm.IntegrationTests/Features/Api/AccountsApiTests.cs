using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Accounts;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>
/// /api/v1/accounts…, on SQLite and PostgreSQL: the list answers the accounts the account list's search shows, the cursor
/// pages through every match once; one account or a problem+json 404; create (201 + Location) and update with the account
/// form's rules (422 field errors in the request's language, nothing written); a rename reaches its contacts' search.
/// </summary>
public abstract partial class AccountsApiTests(CrmWebFactory factory)
{
    private sealed record Item(int Id, string Name, string? TaxId);

    private sealed record Page(List<Item> Items, string? NextCursor);

    [Fact]
    public async Task TheCursor_PagesThroughEveryMatchOnce_InTheListsOrder()
    {
        var word = Token();
        var ids = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            // Some share a name: the cursor's tie-break on the id is needed.
            ids.Add(await AccountAsync($"{(i % 2 == 0 ? "Ébano" : "Zafiro")} {word}"));
        }

        var (_, api) = await factory.NewApiUserAsync(Roles.Agent);
        var (seen, pages) = await api.PageThroughAsync($"/api/v1/accounts?q={word}&limit=3");

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var listed = await (await factory.CreateSignedInClientAsync(Roles.Agent)).GetDocumentAsync("/Accounts?q=" + word);
        Assert.Equal(
            listed.QuerySelectorAll("tbody a[href^='/Accounts/']").Select(a => int.Parse(AccountLink().Match(a.GetAttribute("href")!).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)),
            seen);
    }

    [Theory]
    [InlineData("/api/v1/accounts?limit=0")]
    [InlineData("/api/v1/accounts?limit=101")]
    [InlineData("/api/v1/accounts?cursor=no-es-un-cursor")]
    [InlineData("/api/v1/accounts?cursor=eyJTIjpudWxsLCJJIjoxfQ")]
    public async Task ABadLimitOrCursor_IsAValidationProblem(string url)
    {
        var (_, api) = await factory.NewApiUserAsync(Roles.Agent);

        using var response = await api.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnAccount_IsReturned_AndAMissingOneIsAProblem404()
    {
        var id = await AccountAsync("Contoso " + Token());
        var (_, api) = await factory.NewApiUserAsync(Roles.Agent);

        var account = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{id}");
        Assert.Equal(id, account.GetProperty("id").GetInt32());

        using var missing = await api.GetAsync("/api/v1/accounts/2147483000");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Create_Answers201WithLocation_OwnedByTheTokensUser()
    {
        var (user, api) = await factory.NewApiUserAsync(Roles.Agent);
        var name = "Fábrica " + Token();

        using var response = await api.PostAsJsonAsync("/api/v1/accounts", new { name, taxId = "B12345678", website = "https://example.com" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/accounts/{id}", response.Headers.Location?.AbsolutePath);
        Assert.Equal((name, user.DisplayName), (created.GetProperty("name").GetString(), created.GetProperty("ownerName").GetString()));
        var stored = await factory.InDbAsync(db => db.Accounts.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal((user.Id, "B12345678"), (stored.OwnerId, stored.TaxId));
        Assert.Equal([id], (await api.GetFromJsonAsync<Page>("/api/v1/accounts?q=" + Uri.EscapeDataString(name)))!.Items.Select(a => a.Id));
    }

    [Theory]
    [InlineData(null, "Escriba el nombre de la cuenta.")]
    [InlineData("en-GB", "Enter the account name.")]
    public async Task ABadAccount_Is422WithItsFieldErrorsInTheRequestsLanguage_AndChangesNothing(string? language, string nameRequired)
    {
        var (_, api) = await factory.NewApiUserAsync(Roles.Agent);
        var existing = await AccountAsync("Intacta " + Token());

        foreach (var (method, url) in new[] { (HttpMethod.Post, "/api/v1/accounts"), (HttpMethod.Put, $"/api/v1/accounts/{existing}") })
        {
            var (status, problem) = await factory.RefusedAsync(api, c => c.SendJsonAsync(method, url, new { name = "", website = "javascript:alert(1)" }, language));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
            Assert.Equal(nameRequired, problem.FieldError("name"));
            Assert.True(problem.GetProperty("errors").TryGetProperty("website", out _));
        }

        var (missing, _) = await factory.RefusedAsync(api, c => c.PutAsJsonAsync("/api/v1/accounts/2147483000", new { name = "Nadie" }));
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task ARename_ReachesItsContactsSearch()
    {
        var data = await factory.NewDataAsync();
        var account = await data.AccountAsync("Antes " + Token());
        var contact = await data.ContactAsync(account);
        var (_, api) = await factory.NewApiUserAsync(Roles.Agent);
        var name = "Después " + Token();

        using var response = await api.PutAsJsonAsync($"/api/v1/accounts/{account.Id}", new { name, phone = "910000000" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(name, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        var found = await api.GetFromJsonAsync<JsonElement>("/api/v1/contacts?q=" + Uri.EscapeDataString(name));
        Assert.Equal(contact.Id, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt32());
    }

    private Task<int> AccountAsync(string name) => factory.InDbAsync(async db =>
    {
        var account = new CaseCrm.Domain.Accounts.Account(new AccountDetails(name, null, null, null, null, null), null, DateTime.UtcNow);
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        return account.Id;
    });

    [GeneratedRegex(@"^/Accounts/(\d+)$")]
    private static partial Regex AccountLink();

    public sealed class Sqlite(SqliteWebFactory factory) : AccountsApiTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : AccountsApiTests(factory), IClassFixture<PostgresWebFactory>;
}
