using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Contacts;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
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
        var (seen, pages) = await api.PageThroughAsync($"/api/v1/contacts?q={word}&limit=3");

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

    [Fact]
    public async Task FindByPhone_MatchesANumberAcrossItsInternationalPrefix_AndOnlyAtTheEnd()
    {
        // Nine random digits starting with 6 (a Spanish mobile), unique to this test.
        var national = "6" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Spaced(string digits) => $"{digits[..3]} {digits[3..5]} {digits[5..7]} {digits[7..]}";
        var local = await ContactAsync("Local", Token(), Spaced(national));
        var international = await ContactAsync("Internacional", Token(), "+34 " + Spaced(national));
        var withZeros = await ContactAsync("Con ceros", Token(), "0034" + national);
        var longer = await ContactAsync("Más largo", Token(), national + "9"); // contains the number, but ends otherwise
        var (_, api) = await factory.NewApiUserAsync(Roles.Agent);

        foreach (var asked in new[] { "+34 " + Spaced(national), "0034" + national, national, "+34" + national, Spaced(national), "(+34) " + national })
        {
            var found = await api.GetFromJsonAsync<List<Item>>("/api/v1/contacts/by-phone?number=" + Uri.EscapeDataString(asked));
            Assert.Equal([local, international, withZeros], found!.Select(c => c.Id).Order());
        }

        Assert.DoesNotContain(longer, (await api.GetFromJsonAsync<List<Item>>("/api/v1/contacts/by-phone?number=" + national))!.Select(c => c.Id));
    }

    [Fact]
    public async Task Create_Answers201WithLocation_OwnedByTheTokensUser_AndTheListFindsIt()
    {
        var (user, api) = await factory.NewApiUserAsync(Roles.Agent);
        var account = await factory.NewDataAsync();
        var last = "Núñez " + Token();

        using var response = await api.PostAsJsonAsync("/api/v1/contacts", new
        {
            firstName = "Ana", lastName = last, email = "ana@example.com", phone = "+34 600 11 22 33", accountId = account.Account.Id,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/contacts/{id}", response.Headers.Location?.AbsolutePath);
        Assert.Equal(("Ana " + last, account.Account.Name, user.DisplayName), (created.GetProperty("name").GetString(), created.GetProperty("accountName").GetString(), created.GetProperty("ownerName").GetString()));
        Assert.EndsWith("Z", created.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        var stored = await factory.InDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal((user.Id, account.Account.Id, "+34 600 11 22 33"), (stored.OwnerId, stored.AccountId, stored.Phone));
        var listed = await api.GetFromJsonAsync<Page>("/api/v1/contacts?q=" + Uri.EscapeDataString(account.Account.Name + " " + last));
        Assert.Equal([id], listed!.Items.Select(c => c.Id));
    }

    [Theory]
    [InlineData(null, "Escriba el nombre o los apellidos.", "La cuenta elegida no existe.")]
    [InlineData("es-ES", "Escriba el nombre o los apellidos.", "La cuenta elegida no existe.")]
    [InlineData("en", "Enter the first or the last name.", "The chosen account does not exist.")]
    public async Task ABadContact_Is422WithItsFieldErrorsInTheRequestsLanguage_AndChangesNothing(string? language, string nameRequired, string accountMissing)
    {
        var (_, api) = await factory.NewApiUserAsync(Roles.Agent);
        var existing = await ContactAsync("Sin", "Cambios " + Token(), "600000000");

        foreach (var (method, url) in new[] { (HttpMethod.Post, "/api/v1/contacts"), (HttpMethod.Put, $"/api/v1/contacts/{existing}") })
        {
            var (status, problem) = await factory.RefusedAsync(api, c => c.SendJsonAsync(method, url, new { firstName = " ", email = "no-es-un-correo" }, language));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
            Assert.Equal(nameRequired, problem.FieldError("lastName"));
            Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _));

            (status, problem) = await factory.RefusedAsync(api, c => c.SendJsonAsync(method, url, new { lastName = "Ruiz", accountId = 2147483000 }, language));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
            Assert.Equal(accountMissing, problem.FieldError("accountId"));
        }
    }

    [Fact]
    public async Task Update_ReplacesTheFields_AndItsNewAccountReachesItsActivitiesAndSearch()
    {
        var data = await factory.NewDataAsync();
        var other = await data.AccountAsync("Otra " + Token());
        var (user, api) = await factory.NewApiUserAsync(Roles.Agent);
        var id = await ContactAsync("Eva", "Sanz " + Token(), "611111111");
        await factory.Database.NewActivityService().CreateAsync(
            CaseCrm.Domain.Activities.ActivityType.Task,
            new CaseCrm.Domain.Activities.ActivityFields("Llamar", null, CaseCrm.Domain.Activities.ActivityPriority.Normal, user.Id,
                new CaseCrm.Domain.Activities.Regarding(CaseCrm.Domain.Activities.RegardingType.Contact, id)),
            user.Id);

        using var response = await api.PutAsJsonAsync($"/api/v1/contacts/{id}", new { firstName = "Eva", lastName = "Sanz Gil", accountId = other.Id });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Eva Sanz Gil", other.Name), (updated.GetProperty("name").GetString(), updated.GetProperty("accountName").GetString()));
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("phone").ValueKind); // left out: emptied, as a PUT replaces every field
        Assert.Equal(other.Id, await factory.InDbAsync(db => db.Activities.Where(a => a.ContactId == id).Select(a => a.AroundAccountId).SingleAsync()));
        var listed = await api.GetFromJsonAsync<Page>("/api/v1/contacts?q=" + Uri.EscapeDataString(other.Name));
        Assert.Equal([id], listed!.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task Update_OfAMissingContact_Is404_AndBadJson400_AndNothingChanges()
    {
        var (_, api) = await factory.NewApiUserAsync(Roles.Agent);
        var id = await ContactAsync("Luis", "Mora " + Token(), null);

        var (status, _) = await factory.RefusedAsync(api, c => c.PutAsJsonAsync("/api/v1/contacts/2147483000", new { lastName = "Nadie" }));
        Assert.Equal(HttpStatusCode.NotFound, status);

        foreach (var body in new[] { "{\"lastName\": ", "{\"lastName\": \"X\", \"accountId\": 1e40}", "{\"lastName\": [1]}", "" })
        {
            (status, _) = await factory.RefusedAsync(api, c => c.PutAsync($"/api/v1/contacts/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json")));
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }
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
