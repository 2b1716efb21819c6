using System.Net;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// The app as production runs it (environment Production, Seed:Demo=false, the administrator from Seed:AdminEmail and
/// Seed:AdminPassword): no demo user or demo data exists, only that administrator signs in, cookies are Secure, and
/// errors reveal nothing. Without the administrator's settings the app refuses to start.
/// </summary>
public sealed class ProductionConfigurationTests(ProductionSecurityFactory factory, ITestOutputHelper output) : IClassFixture<ProductionSecurityFactory>
{
    [Fact]
    public async Task OnlyTheConfiguredAdministratorExists_AndNoDemoData()
    {
        Assert.True(factory.Services.GetRequiredService<IHostEnvironment>().IsProduction());
        // Besides the administrator, only the system user of email intake, which cannot sign in.
        var users = await factory.InDbAsync(db => db.Users.Where(u => u.IsActive).Select(u => u.Email).ToListAsync());
        Assert.Equal([ProductionSecurityFactory.AdminEmail], users);
        var system = await factory.InDbAsync(db => db.Users.SingleAsync(u => !u.IsActive));
        Assert.Equal((CaseCrm.Data.Identity.SystemUsers.MailId, null), (system.Id, system.PasswordHash));
        var roles = await factory.InDbAsync(db => db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).ToListAsync());
        Assert.Equal([Roles.Administrator], roles);
        Assert.Equal(0, await factory.InDbAsync(db => db.Accounts.CountAsync()));
        Assert.Equal(0, await factory.InDbAsync(db => db.Contacts.CountAsync()));
        Assert.Equal(0, await factory.InDbAsync(db => db.Cases.CountAsync()));
        // What every installation needs is there: the seeded categories.
        Assert.Equal(DbInitializer.SeedCategories.Order(), (await factory.InDbAsync(db => db.Categories.Select(c => c.Name).ToListAsync())).Order());
    }

    [Theory]
    [InlineData("agente@casecrm.test", "agente-demo-2026")]
    [InlineData("supervisor@casecrm.test", "supervisor-demo-2026")]
    [InlineData("admin@casecrm.test", "admin-demo-2026")]
    public async Task TheDemoSignIns_DoNotWork(string email, string password)
    {
        using var session = factory.NewSession(ProductionSecurityFactory.Https);

        using var response = await session.Client.SignInAsync(email, password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["El correo o la contraseña no son correctos."], (await response.ReadHtmlAsync()).ValidationErrors());
        Assert.Null(SignInHardeningTests.AuthCookieSetBy(response));
    }

    [Fact]
    public async Task TheConfiguredAdministrator_SignsIn_WithSecureHttpOnlyLaxCookies()
    {
        using var session = factory.NewSession(ProductionSecurityFactory.Https);
        using var login = await session.GetAsync("/Account/Login");
        var antiforgery = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(TestSession.AntiforgeryCookie + "=", StringComparison.Ordinal));

        using var response = await session.Client.SignInAsync(ProductionSecurityFactory.AdminEmail, ProductionSecurityFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = SignInHardeningTests.AuthCookieSetBy(response) ?? throw new InvalidOperationException("No sign-in cookie.");
        output.WriteLine(auth[auth.IndexOf(';', StringComparison.Ordinal)..]);
        Assert.Contains("secure", SignInHardeningTests.Attributes(auth));
        Assert.Contains("httponly", SignInHardeningTests.Attributes(auth));
        Assert.Contains("samesite=lax", SignInHardeningTests.Attributes(auth));
        Assert.Contains("secure", SignInHardeningTests.Attributes(antiforgery));
        Assert.Contains("httponly", SignInHardeningTests.Attributes(antiforgery));

        using var users = await session.GetAsync("/Users");
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
    }

    [Fact]
    public async Task TheServerError_RevealsNoInternals_InProduction()
    {
        using var session = factory.NewSession(ProductionSecurityFactory.Https);
        await session.SignInAsync(ProductionSecurityFactory.AdminEmail, ProductionSecurityFactory.AdminPassword);

        using var response = await session.GetAsync("/Contacts?q=" + FailingCommandInterceptor.Trigger);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Algo salió mal", body, StringComparison.Ordinal);
        Assert.Empty(SecurityAssertions.InternalsIn(body));
        Assert.Empty(HeadersAndErrorPagesTests.HeaderProblems(response));
    }

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/Cases")]
    [InlineData("/no/such/page")]
    public async Task APageOverPlainHttp_SaysWhatIsWrong_AndTheLogNamesKnownProxies(string url)
    {
        var since = DateTimeOffset.UtcNow;
        using var session = factory.NewSession(new Uri("http://localhost/"));

        using var response = await session.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        Assert.Equal("Esta aplicación solo funciona con HTTPS", page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Contains("ForwardedHeaders:KnownProxies", page.Body?.TextContent, StringComparison.Ordinal);
        Assert.Empty(HeadersAndErrorPagesTests.HeaderProblems(response));
        var logged = factory.Logs.TextSince(since);
        Assert.Contains(logged, e => e.Contains("ForwardedHeaders:KnownProxies", StringComparison.Ordinal) && e.Contains("HTTPS", StringComparison.Ordinal));

        // The health check stays reachable for a load balancer that probes over HTTP.
        using var health = await session.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task WithoutTheAdministratorsSettings_TheAppRefusesToStart()
    {
        await using var misconfigured = new MisconfiguredProductionFactory();

        var failure = await Record.ExceptionAsync(misconfigured.InitializeAsync);

        Assert.NotNull(failure);
        Assert.Contains("Seed:AdminPassword", failure.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Production without Seed:AdminEmail / Seed:AdminPassword.</summary>
    private sealed class MisconfiguredProductionFactory() : SecurityWebFactory(DatabaseProvider.Sqlite)
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Seed:Demo"] = "false",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }
}
