using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Access;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>
/// "Tokens de acceso", on SQLite and PostgreSQL: a token made through the page shows its secret once and the database
/// holds only its hash and prefix; a name or an expiry out of range is refused beside its field with nothing saved;
/// revoking one's own works, another's is not found.
/// </summary>
public abstract class TokenPageTests(CrmWebFactory factory)
{
    [Fact]
    public async Task CreatingAToken_ShowsTheSecretOnce_AndStoresOnlyItsHash()
    {
        var (user, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var form = await client.GetFormAsync("/Account/Tokens", "#token-form");
        using var created = await form.Set("Name", "Centralita").Set("Expires", DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).PostAsync();

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await client.FollowAsync(created);
        var secret = page.QuerySelector("#token-secret")?.GetAttribute("value");
        Assert.NotNull(secret);
        Assert.StartsWith(PersonalAccessToken.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.Equal("Token «Centralita» creado.", page.Flash());

        var stored = await factory.InDbAsync(db => db.PersonalAccessTokens.AsNoTracking().SingleAsync(t => t.OwnerId == user.Id));
        Assert.Equal(("Centralita", PersonalAccessToken.Hash(secret), secret[..PersonalAccessToken.DisplayPrefixLength]), (stored.Name, stored.SecretHash, stored.Prefix));
        Assert.Equal(0, await factory.InDbAsync(db => db.PersonalAccessTokens.CountAsync(t => t.SecretHash == secret || t.Name == secret || t.Prefix == secret)));
        Assert.Equal("Tokens_StateActive", page.QuerySelector($"tr[data-token-id='{stored.Id}'] td[data-state]")?.GetAttribute("data-state"));

        // Shown once: the list opened again has no secret.
        var again = await client.GetDocumentAsync("/Account/Tokens");
        Assert.Null(again.QuerySelector("#token-secret"));
        Assert.DoesNotContain(secret, again.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 30, "Name")]
    [InlineData("Centralita", 0, "Expires")]
    [InlineData("Centralita", 400, "Expires")]
    public async Task ANameOrExpiryOutOfRange_IsRefusedBesideItsField_NothingSaved(string name, int days, string field)
    {
        var (user, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var form = await client.GetFormAsync("/Account/Tokens", "#token-form");
        using var refused = await form.Set("Name", name).Set("Expires", DateTime.UtcNow.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).PostAsync();

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotNull((await refused.PageAsync()).FieldError(field));
        Assert.Equal(0, await factory.InDbAsync(db => db.PersonalAccessTokens.CountAsync(t => t.OwnerId == user.Id)));
    }

    [Fact]
    public async Task Revoking_OnesOwnToken_StopsIt_AndAnothersIsNotFound()
    {
        var (user, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var (_, other) = await factory.NewSignedInUserAsync(Roles.Administrator);
        var id = await factory.InDbAsync(async db =>
        {
            var token = PersonalAccessToken.Create(user.Id, "Informes", DateTime.UtcNow.AddDays(10), DateTime.UtcNow).Token;
            db.PersonalAccessTokens.Add(token);
            await db.SaveChangesAsync();
            return token.Id;
        });

        using (var foreign = await other.PostWithTokenAsync($"/Account/Tokens/{id}/Revoke"))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        Assert.Null(await factory.InDbAsync(db => db.PersonalAccessTokens.Where(t => t.Id == id).Select(t => t.RevokedAt).SingleAsync()));
        var page = await client.GetDocumentAsync("/Account/Tokens");
        var revoke = page.GetForm(client, $"tr[data-token-id='{id}'] form");
        using var revoked = await revoke.PostAsync();
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.NotNull(await factory.InDbAsync(db => db.PersonalAccessTokens.Where(t => t.Id == id).Select(t => t.RevokedAt).SingleAsync()));
        Assert.Equal("Tokens_StateRevoked", (await client.FollowAsync(revoked)).QuerySelector($"tr[data-token-id='{id}'] td[data-state]")?.GetAttribute("data-state"));
    }

    public sealed class Sqlite(SqliteWebFactory factory) : TokenPageTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : TokenPageTests(factory), IClassFixture<PostgresWebFactory>;
}
