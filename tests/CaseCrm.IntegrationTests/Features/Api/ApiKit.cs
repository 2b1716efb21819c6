using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Access;
using CaseCrm.IntegrationTests.Features;
using CaseCrm.IntegrationTests.Infrastructure;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>Tokens and clients for the API tests.</summary>
public static class ApiKit
{
    /// <summary>Follows <c>nextCursor</c> from <paramref name="url"/> (at most 10 pages): the item ids in the order seen, and the pages read.</summary>
    public static async Task<(List<int> Ids, int Pages)> PageThroughAsync(this HttpClient api, string url)
    {
        var seen = new List<int>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>(url + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt32()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        return (seen, pages);
    }

    /// <summary>Stores a token of <paramref name="userId"/> (as the token page would) and returns its id and secret.</summary>
    public static Task<(int Id, string Secret)> NewTokenAsync(this CrmWebFactory factory, string userId, DateTime? expiresAt = null, bool revoked = false) =>
        factory.InDbAsync(async db =>
        {
            var (token, secret) = PersonalAccessToken.Create(userId, "Prueba", expiresAt ?? DateTime.UtcNow.AddDays(30), DateTime.UtcNow.AddDays(-1));
            if (revoked)
            {
                token.Revoke(DateTime.UtcNow);
            }

            db.PersonalAccessTokens.Add(token);
            await db.SaveChangesAsync();
            return (token.Id, secret);
        });

    /// <summary>A client without cookies that sends <paramref name="secret"/> as its bearer token and does not follow redirects.</summary>
    public static HttpClient ApiClient(this CrmWebFactory factory, string? secret)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        return client;
    }

    /// <summary>A new user of <paramref name="role"/> and an API client acting as them with a token of their own.</summary>
    public static async Task<(AppUser User, HttpClient Client)> NewApiUserAsync(this CrmWebFactory factory, string role)
    {
        var user = await factory.NewUserAsync(role);
        return (user, factory.ApiClient((await factory.NewTokenAsync(user.Id)).Secret));
    }

    /// <summary>
    /// Sends <paramref name="request"/> (after one request of the same client, so that the token's "last used" is already
    /// written) and fails unless no row of any table changed; returns the response's status and problem.
    /// </summary>
    public static async Task<(System.Net.HttpStatusCode Status, JsonElement Problem)> RefusedAsync(
        this CrmWebFactory factory, HttpClient client, Func<HttpClient, Task<HttpResponseMessage>> request)
    {
        using (await client.GetAsync("/api/v1/me"))
        {
        }

        var before = await Security.DbSnapshot.TakeAsync(factory.Database);
        using var response = await request(client);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(before.DifferencesFrom(await Security.DbSnapshot.TakeAsync(factory.Database)));
        return (response.StatusCode, problem);
    }

    /// <summary>A JSON request of <paramref name="method"/>, in <paramref name="language"/> when given (Accept-Language).</summary>
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string url, object? body, string? language = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        return client.SendAsync(request);
    }

    /// <summary>The first message of a validation problem's field (camelCase, as the JSON names it).</summary>
    public static string FieldError(this JsonElement problem, string field) => problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
}
