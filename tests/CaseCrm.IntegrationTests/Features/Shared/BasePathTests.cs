using System.Net;
using AngleSharp.Html.Dom;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace CaseCrm.IntegrationTests.Features.Shared;

/// <summary>The app behind a proxy that serves it under <c>/crm</c> (setting <c>PathBase</c>).</summary>
public sealed class BasePathFactory() : CrmWebFactory(DatabaseProvider.Sqlite)
{
    public const string PathBase = "/crm";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("PathBase", PathBase);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?> { ["PathBase"] = PathBase }));
    }
}

/// <summary>
/// Under a base path every link, form action, script and redirect of the main flows stays under it: sign in, the contact
/// list, a contact, "Agregar Caso" from its menu, the case page, and "Asociar casos secundarios".
/// </summary>
public sealed class BasePathTests(BasePathFactory factory) : IClassFixture<BasePathFactory>
{
    private const string Base = BasePathFactory.PathBase;

    [Fact]
    public async Task MainFlows_UnderABasePath_KeepEveryLinkAndRedirectUnderIt()
    {
        var data = await factory.NewDataAsync();
        var existing = await data.CaseAsync();
        var client = factory.CreateBrowserClient();

        // Sign in: the challenge, the login form and the return all carry the base path.
        using var challenge = await client.GetAsync(new Uri($"{Base}/Contacts", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var loginUrl = new Uri(new Uri("http://localhost/"), challenge.RedirectTarget()).PathAndQuery;
        Assert.StartsWith($"{Base}/Account/Login", loginUrl, StringComparison.Ordinal);
        var login = (await client.GetDocumentAsync(loginUrl)).GetForm(client);
        AssertUnderBase(login.Element.Owner!);
        var supervisor = DbInitializer.DemoUsers.Single(u => u.Role == Roles.Supervisor);
        using var signedIn = await login.Set("Email", supervisor.Email).Set("Password", supervisor.Password).PostAsync();
        Assert.Equal($"{Base}/Contacts", signedIn.RedirectTarget());

        // The contact list (searched to the test's contact), then the contact's page.
        var list = await client.GetDocumentAsync($"{Base}/Contacts?q={Uri.EscapeDataString(data.Contact.LastName!)}");
        AssertUnderBase(list);
        var contactLink = list.QuerySelector($"#contacts tr[data-contact-id='{data.Contact.Id}'] td a")!.GetAttribute("href")!;
        Assert.Equal($"{Base}/Contacts/{data.Contact.Id}", contactLink);
        var contactPage = await client.GetDocumentAsync(contactLink);
        AssertUnderBase(contactPage);

        // "Agregar Caso" from the contact's menu: the form, the save, the way back and the message's link to the new case.
        var addCase = contactPage.QuerySelectorAll(".contact-actions a").Select(a => a.GetAttribute("href")!).Single(h => h.Contains("/Cases/Create", StringComparison.Ordinal));
        Assert.StartsWith($"{Base}/Contacts/{data.Contact.Id}/Cases/Create", addCase, StringComparison.Ordinal);
        var formPage = await client.GetDocumentAsync(addCase);
        AssertUnderBase(formPage);
        var form = formPage.GetForm(client, "#case-form");
        using var saved = await form.Set("Title", "Bajo /crm").Set("CategoryId", data.Category.Id).Set("Description", "Creado bajo una ruta base").PostAsync();
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"{Base}/Contacts/{data.Contact.Id}", saved.RedirectTarget());
        var back = await client.FollowAsync(saved);
        var caseLink = back.QuerySelector("#flash-link")!.GetAttribute("href")!;
        Assert.Matches($"^{Base}/Cases/[0-9]+$", caseLink);

        // The case page, each of its tabs.
        foreach (var tab in new[] { "", "?tab=relations", "?tab=history" })
        {
            AssertUnderBase(await client.GetDocumentAsync(caseLink + tab));
        }

        // "Asociar casos secundarios" from the list: the page without JavaScript, then the association.
        var cases = await client.GetDocumentAsync($"{Base}/Cases?view=all");
        AssertUnderBase(cases);
        var newId = int.Parse(caseLink[(caseLink.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var selection = cases.GetForm(client, "#case-selection");
        Assert.Equal($"{Base}/Cases/Associate", selection.Element.GetAttribute("action"));
        var associatePage = await client.GetDocumentAsync($"{Base}/Cases/Associate?ids={existing.Id}&ids={newId}");
        AssertUnderBase(associatePage);
        using var associated = await associatePage.GetForm(client, "#associate-form").Set("parentId", existing.Id).PostAsync();
        Assert.Equal($"{Base}/Cases/{existing.Id}?tab=relations", associated.RedirectTarget());
        Assert.Equal(existing.Id, (await factory.CaseAsync(newId)).ParentId);
    }

    /// <summary>Every link, form action, stylesheet and script of the page is under the base path.</summary>
    private static void AssertUnderBase(AngleSharp.Dom.IDocument page)
    {
        var urls = page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!)
            .Concat(page.QuerySelectorAll("form[action]").Select(f => f.GetAttribute("action")!))
            .Concat(page.QuerySelectorAll("link[href]").Select(l => l.GetAttribute("href")!))
            .Concat(page.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!))
            .Concat(page.QuerySelectorAll("[data-lookup-url]").Select(e => e.GetAttribute("data-lookup-url")!))
            .Where(u => u.StartsWith('/'))
            .ToList();
        Assert.NotEmpty(urls);
        Assert.All(urls, u => Assert.True(u == Base || u.StartsWith(Base + "/", StringComparison.Ordinal), u));
    }
}
