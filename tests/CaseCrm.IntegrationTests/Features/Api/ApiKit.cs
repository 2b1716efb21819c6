using System.Net.Http.Headers;
using CaseCrm.Domain.Access;
using CaseCrm.IntegrationTests.Infrastructure;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>Tokens and clients for the API tests.</summary>
public static class ApiKit
{
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
}
