using CaseCrm.Data;
using CaseCrm.IntegrationTests.Concurrency;
using CaseCrm.IntegrationTests.Infrastructure;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// docs/security.md: behind a TLS-terminating proxy listed in <c>ForwardedHeaders:KnownProxies</c>, a request the proxy
/// received over HTTPS counts as HTTPS (HSTS is sent); the same header from an address not listed, or with no proxy
/// configured, changes nothing.
/// </summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateEmptyAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1", "https", true)]       // the proxy is the one that connects (loopback here)
    [InlineData("127.0.0.1", null, false)]         // the proxy received plain HTTP
    [InlineData("10.1.2.3", "https", false)]       // the header comes from an address that is not the proxy
    [InlineData("", "https", false)]               // no proxy configured: forwarded headers are ignored
    public async Task HstsIsSent_OnlyForHttpsForwardedByAKnownProxy(string knownProxies, string? forwardedProto, bool hsts)
    {
        await using var host = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString, "Production", new Dictionary<string, string?>
        {
            ["Seed:Demo"] = "false",
            ["Seed:AdminEmail"] = ProductionSecurityFactory.AdminEmail,
            ["Seed:AdminPassword"] = ProductionSecurityFactory.AdminPassword,
            ["ForwardedHeaders:KnownProxies"] = knownProxies,
        });
        await Task.Run(host.Start);
        using var client = host.CreateBrowser(new System.Net.CookieContainer());

        using var health = await client.SendAsync(Forwarded("/health", forwardedProto));

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(hsts, health.Headers.Contains("Strict-Transport-Security"));
        if (hsts)
        {
            // The sign-in form sets its Secure antiforgery cookie: production pages work behind the proxy.
            using var login = await client.SendAsync(Forwarded("/Account/Login", forwardedProto));
            Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        }
    }

    private static HttpRequestMessage Forwarded(string path, string? forwardedProto)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        // HSTS is never sent to localhost: the proxy forwards the public host name.
        request.Headers.Host = "crm.cliente.test";
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return request;
    }

    [Fact]
    public async Task AWrongProxyAddress_StopsTheStart()
    {
        await using var host = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies"] = "10.0.0.1, proxy.interno",
        });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Task.Run(host.Start));
        Assert.Contains("proxy.interno", failure.Message, StringComparison.Ordinal);
    }
}
