using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>
/// The API's authentication, on SQLite and PostgreSQL (ADR 0027): a token acts as its user with that user's role; a revoked,
/// expired, unknown token or one of a disabled user answers 401 with <c>WWW-Authenticate: Bearer</c>; the sign-in cookie is
/// never accepted by the API (401, not a redirect) and a token never by the pages (redirected to sign in); the rate limit
/// per token answers 429 with Retry-After.
/// </summary>
public abstract class ApiAuthenticationTests(CrmWebFactory factory)
{
    private sealed record Me(string Id, string Name, string Email, string Role);

    [Theory]
    [InlineData(Roles.Agent)]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.Administrator)]
    public async Task AToken_ActsAsItsUser_WithTheirRole_AndNotesItsUse(string role)
    {
        var user = await factory.NewUserAsync(role);
        var (id, secret) = await factory.NewTokenAsync(user.Id);
        using var client = factory.ApiClient(secret);

        var me = await client.GetFromJsonAsync<Me>("/api/v1/me");

        Assert.Equal(new Me(user.Id, user.DisplayName, user.Email!, role), me);
        Assert.NotNull(await factory.InDbAsync(db => db.PersonalAccessTokens.Where(t => t.Id == id).Select(t => t.LastUsedAt).SingleAsync()));
    }

    public static TheoryData<string> Refused => ["revoked", "expired", "disabled", "unknown", "none", "malformed"];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ARevokedExpiredUnknownOrDisabledUsersToken_Answers401WithBearerChallenge(string kind)
    {
        var user = await factory.NewUserAsync(Roles.Administrator, active: kind != "disabled");
        var secret = kind switch
        {
            "revoked" => (await factory.NewTokenAsync(user.Id, revoked: true)).Secret,
            "expired" => (await factory.NewTokenAsync(user.Id, expiresAt: DateTime.UtcNow.AddMinutes(-1))).Secret,
            "disabled" => (await factory.NewTokenAsync(user.Id)).Secret,
            "unknown" => "ccrm_" + Guid.NewGuid().ToString("N"),
            "malformed" => new string('x', 500),
            _ => null,
        };
        using var client = factory.ApiClient(secret);

        using var response = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task DisablingAUser_StopsTheirTokenAtOnce()
    {
        var user = await factory.NewUserAsync(Roles.Agent);
        var (_, secret) = await factory.NewTokenAsync(user.Id);
        using var client = factory.ApiClient(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        await factory.InDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task TheSignInCookie_IsNotAcceptedByTheApi_401NotARedirect()
    {
        var client = await factory.CreateSignedInClientAsync(Roles.Administrator);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Tokens")).StatusCode);

        using var response = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task AToken_IsNotAcceptedByThePages_RedirectedToSignIn()
    {
        var user = await factory.NewUserAsync(Roles.Administrator);
        var (_, secret) = await factory.NewTokenAsync(user.Id);
        using var client = factory.ApiClient(secret);

        using var page = await client.GetAsync("/Cases");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/Account/Login", page.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRateLimit_IsPerToken_And429ComesWithRetryAfter()
    {
        var user = await factory.NewUserAsync(Roles.Agent);
        var (_, secret) = await factory.NewTokenAsync(user.Id);
        var (_, other) = await factory.NewTokenAsync(user.Id);
        using var client = factory.ApiClient(secret);
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 21 && refused is null; i++)
        {
            var response = await client.GetAsync("/api/v1/me");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        refused.Dispose();
        using var second = factory.ApiClient(other);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/me")).StatusCode);
    }

    public sealed class Sqlite(SqliteWebFactory factory) : ApiAuthenticationTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ApiAuthenticationTests(factory), IClassFixture<PostgresWebFactory>;
}
