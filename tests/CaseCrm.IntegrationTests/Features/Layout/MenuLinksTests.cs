using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Layout;

/// <summary>
/// The layout writes its links as plain hrefs (ADR 0032): every link of the top bar and the menu, for every role, opens a
/// page, the menu marks the section it is on, and the stylesheets and scripts carry their file version.
/// </summary>
public abstract class MenuLinksTests(CrmWebFactory factory)
{
    [Theory]
    [InlineData(Roles.Agent, 10)]
    [InlineData(Roles.Supervisor, 11)]
    [InlineData(Roles.Administrator, 18)]
    public async Task EveryLinkOfTheTopBarAndTheMenu_OpensItsPage(string role, int links)
    {
        var client = await factory.ClientAsync(role);
        var home = await client.GetDocumentAsync("/");
        var hrefs = home.QuerySelectorAll("header a[href^='/'], .sidemenu a.nav-link")
            .Select(a => a.GetAttribute("href")!)
            .Distinct()
            .ToList();

        Assert.Equal(links, hrefs.Count + 1); // the brand and the menu's "Inicio" are both "/"
        foreach (var href in hrefs)
        {
            using var response = await client.GetAsync(new Uri(href, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role}: {href} answered {(int)response.StatusCode}");
            var page = await response.ReadHtmlAsync();
            if (page.QuerySelector($".sidemenu a.nav-link[href='{href}']") is { } item)
            {
                Assert.Equal("page", item.GetAttribute("aria-current"));
            }
        }
    }

    [Fact]
    public async Task TheStylesheetsAndScripts_CarryTheirFileVersion()
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var page = await client.GetDocumentAsync("/");

        var assets = page.QuerySelectorAll("link[rel=stylesheet]").Select(l => l.GetAttribute("href")!)
            .Concat(page.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!))
            .ToList();
        Assert.Equal(6, assets.Count);
        Assert.All(assets, a => Assert.Matches(@"^/(lib|css|js)/.+\?v=[A-Za-z0-9_-]{20,}$", a));
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync(new Uri(asset, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public sealed class Sqlite(SqliteWebFactory factory) : MenuLinksTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : MenuLinksTests(factory), IClassFixture<PostgresWebFactory>;
}
