using System.Net;
using CaseCrm.Data;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// A load balancer that ends TLS talks plain HTTP to the instances and says so in <c>X-Forwarded-Proto: https</c>.
/// In Production the cookies are Secure-only and antiforgery refuses a request it believes is not HTTPS, so the
/// instances must honour the forwarded scheme: <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> (docs/scaling.md).
/// This runs a production configuration that way — no demo data, the administrator from configuration — and signs in
/// through the balancer's view of the world.
/// </summary>
public sealed class LoadBalancerTests
{
    [Fact]
    public async Task Production_BehindATlsTerminatingBalancer_WithForwardedHeaders_SignInAndFormsWork()
    {
        await using var database = await TestDatabase.CreateEmptyAsync(DatabaseProvider.Postgres);
        var settings = new Dictionary<string, string?>
        {
            ["Seed:Demo"] = "false",
            ["Seed:AdminEmail"] = "admin@empresa.test",
            ["Seed:AdminPassword"] = "una-clave-larga-2026",
            // The configuration key behind the environment variable ASPNETCORE_FORWARDEDHEADERS_ENABLED.
            ["FORWARDEDHEADERS_ENABLED"] = "true",
        };
        await using var host = new KestrelCrmHost(DatabaseProvider.Postgres, database.ConnectionString, "Production", settings);
        await Task.Run(host.Start);
        var balancer = new BalancerHandler();
        using var client = new HttpClient(balancer) { BaseAddress = host.Address };

        using var signIn = await client.SignInAsync("admin@empresa.test", "una-clave-larga-2026");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains(balancer.SetCookies, c => c.Name == "CaseCrm.Auth" && c.Secure && c.HttpOnly);
        // Every cookie that carries a value is Secure (deleting one, with an empty value, needs no flag).
        Assert.All(balancer.SetCookies.Where(c => c.Value.Length > 0), c => Assert.True(c.Secure, $"{c.Name} is not Secure."));
        using var users = await client.GetAsync(new Uri("/Users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        await using var db = database.NewContext();
        Assert.Equal(["admin@empresa.test"], db.Users.Where(u => u.IsActive).Select(u => u.Email).ToList());
    }

    /// <summary>
    /// What the balancer does for the browser: says the original request was HTTPS, and — since the browser is on HTTPS —
    /// keeps and sends back the Secure cookies that a plain-HTTP client would drop.
    /// </summary>
    private sealed class BalancerHandler() : DelegatingHandler(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        private readonly Dictionary<string, string> _jar = [];

        public List<SetCookieHeaderValue> SetCookies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            if (_jar.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _jar.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                foreach (var cookie in SetCookieHeaderValue.ParseList(values.ToList()))
                {
                    SetCookies.Add(cookie);
                    if (cookie.Value.Length == 0)
                    {
                        _jar.Remove(cookie.Name.ToString());
                    }
                    else
                    {
                        _jar[cookie.Name.ToString()] = cookie.Value.ToString();
                    }
                }
            }

            return response;
        }
    }
}
