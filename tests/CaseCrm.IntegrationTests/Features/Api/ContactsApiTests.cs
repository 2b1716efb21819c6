using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Contacts;
using CaseCrm.IntegrationTests.Infrastructure;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>
/// GET /api/v1/contacts…, on SQLite and PostgreSQL: the search and "find by phone" answer the contacts the contact list's
/// search shows; the cursor pages through every match once; a missing contact is a problem+json 404; a bad limit or
/// cursor a validation problem (400).
/// </summary>
public abstract class ContactsApiTests(CrmWebFactory factory)
{
    private const string Rows = "#contacts tbody tr[data-contact-id]";

    private sealed record Item(int Id, string Name, string? Phone);

    private sealed record Page(List<Item> Items, string? NextCursor);

    [Fact]
    public async Task TheSearch_AndFindByPhone_AnswerTheContactsTheListShows()
    {
        var word = Token();
        var phone = "+34 6" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await ContactAsync("Ana", word + " " + i, i < 2 ? phone : null));
        }

        using var api = factory.ApiClient((await factory.NewTokenAsync((await factory.NewUserAsync(Roles.Agent)).Id)).Secret);
        var page = await factory.CreateSignedInClientAsync(Roles.Agent);

        var listed = (await page.GetDocumentAsync("/Contacts?q=" + word)).RowIds(Rows, "data-contact-id");
        var found = await api.GetFromJsonAsync<Page>("/api/v1/contacts?q=" + word);
        Assert.Equal(ids, listed);
        Assert.Equal(listed, found!.Items.Select(c => c.Id));
        Assert.Null(found.NextCursor);

        var digits = SearchDigits(phone);
        var byPhoneOnPage = (await page.GetDocumentAsync("/Contacts?q=" + digits)).RowIds(Rows, "data-contact-id");
        var byPhone = await api.GetFromJsonAsync<List<Item>>("/api/v1/contacts/by-phone?number=" + Uri.EscapeDataString(phone));
        Assert.NotNull(byPhone);
        Assert.Equal(ids[..2], byPhone.Select(c => c.Id));
        Assert.Equal(byPhoneOnPage, byPhone.Select(c => c.Id));
        Assert.All(byPhone, c => Assert.Equal(phone, c.Phone));
    }

    [Fact]
    public async Task TheCursor_PagesThroughEveryMatchOnce()
    {
        var word = Token();
        var ids = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            // Same last name for some: the cursor's tie-break on the id is needed.
            ids.Add(await ContactAsync(i % 2 == 0 ? "Eva" : "Luis", word, null));
        }

        using var api = factory.ApiClient((await factory.NewTokenAsync((await factory.NewUserAsync(Roles.Agent)).Id)).Secret);
        var seen = new List<int>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetFromJsonAsync<Page>($"/api/v1/contacts?q={word}&limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page!.Items.Select(c => c.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var all = await api.GetFromJsonAsync<Page>($"/api/v1/contacts?q={word}&limit=100");
        Assert.Equal(all!.Items.Select(c => c.Id), seen);
    }

    [Fact]
    public async Task AContact_IsReturned_AndAMissingOneIsAProblem404()
    {
        var id = await ContactAsync("Marta", "Ríos " + Token(), "+34 911 22 33 44");
        using var api = factory.ApiClient((await factory.NewTokenAsync((await factory.NewUserAsync(Roles.Agent)).Id)).Secret);

        var contact = await api.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{id}");
        Assert.Equal(id, contact.GetProperty("id").GetInt32());
        Assert.Equal("+34 911 22 33 44", contact.GetProperty("phone").GetString());

        using var missing = await api.GetAsync("/api/v1/contacts/2147483000");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/contacts?limit=0")]
    [InlineData("/api/v1/contacts?limit=101")]
    [InlineData("/api/v1/contacts?cursor=no-es-un-cursor")]
    [InlineData("/api/v1/contacts/by-phone?number=12")]
    public async Task ABadLimitCursorOrNumber_IsAValidationProblem(string url)
    {
        using var api = factory.ApiClient((await factory.NewTokenAsync((await factory.NewUserAsync(Roles.Agent)).Id)).Secret);

        using var response = await api.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string SearchDigits(string phone) => new([.. phone.Where(char.IsAsciiDigit)]);

    private Task<int> ContactAsync(string firstName, string lastName, string? phone) => factory.InDbAsync(async db =>
    {
        var contact = new Contact(new ContactDetails(firstName, lastName, null, phone, null, null, null), null, null, DateTime.UtcNow);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        return contact.Id;
    });

    public sealed class Sqlite(SqliteWebFactory factory) : ContactsApiTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ContactsApiTests(factory), IClassFixture<PostgresWebFactory>;
}
