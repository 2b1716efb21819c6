using System.Net;
using CaseCrm.Data;
using CaseCrm.IntegrationTests.Concurrency;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// What only the real server shows (TestServer does not check response headers as Kestrel does): redirects to return
/// URLs with non-ASCII text, the Server header, and the host filter of <c>AllowedHosts</c>.
/// </summary>
public sealed class KestrelPipelineTests : IAsyncLifetime
{
    private const string ReturnUrl = "/Contacts?q=Núñez";
    private const string EncodedReturnUrl = "/Contacts?q=N%C3%BA%C3%B1ez";
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateEmptyAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task ANonAsciiReturnUrl_IsFollowedEncoded_AfterSavingOnce_OnSignInCaseCreateAndLanguage()
    {
        await using var host = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString);
        await Task.Run(host.Start);
        using var browser = host.CreateBrowser(new CookieContainer());
        var agent = DbInitializer.DemoUsers.Single(u => u.Role == "Agente");

        // Sign-in.
        var login = await browser.GetFormAsync("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(ReturnUrl));
        using (var signedIn = await login.Set("Email", agent.Email).Set("Password", agent.Password).PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal(EncodedReturnUrl, signedIn.Headers.Location?.OriginalString);
        }

        // Add Case from a contact list searched for a name with accents: saved once, then back to that list.
        int contactId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            contactId = await scope.ServiceProvider.GetRequiredService<CrmDbContext>().Contacts.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        }

        var title = "Caso con vuelta " + Guid.NewGuid().ToString("N")[..8];
        var form = await browser.GetFormAsync($"/Contacts/{contactId}/Cases/Create?returnUrl=" + Uri.EscapeDataString(ReturnUrl), "#case-form");
        var categoryId = form.Element.QuerySelectorAll("select[name=CategoryId] option").Select(o => o.GetAttribute("value")).First(v => !string.IsNullOrEmpty(v));
        using (var created = await form.Set("Title", title).Set("Description", "Descripción").Set("CategoryId", categoryId).Set("returnUrl", ReturnUrl).PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            Assert.Equal(EncodedReturnUrl, created.Headers.Location?.OriginalString);
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<CrmDbContext>().Cases.CountAsync(c => c.Title == title));
        }

        // The language switch, and a return URL that is not local.
        foreach (var (returnUrl, expected) in new[] { (ReturnUrl, EncodedReturnUrl), ("https://ataque.test/", "/"), ("/Contacts?q=Ana María", "/Contacts?q=Ana%20Mar%C3%ADa") })
        {
            var language = await browser.GetFormAsync("/Cases", "#language-form");
            using var switched = await language.Set("culture", "en").Set("returnUrl", returnUrl).PostAsync();
            Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
            Assert.Equal(expected, switched.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task TheServerHeaderIsNotSent_AndOnlyTheAllowedHostsAreAnswered()
    {
        await using var host = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "127.0.0.1;crm.cliente.test",
        });
        await Task.Run(host.Start);
        using var browser = host.CreateBrowser(new CookieContainer());

        using var page = await browser.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Server"), "A Server header is sent.");

        foreach (var (hostName, status) in new[] { ("crm.cliente.test", HttpStatusCode.OK), ("ataque.test", HttpStatusCode.BadRequest) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
            request.Headers.Host = hostName;
            using var response = await browser.SendAsync(request);
            Assert.Equal(status, response.StatusCode);
        }
    }

    [Fact]
    public async Task AnUploadWithoutADeclaredLength_OverTheLimit_GetsTheMessageBesideTheUpload_AndSavesNothing()
    {
        await using var host = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Attachments:MaxFileBytes"] = (100 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Attachments:MaxCaseBytes"] = (250 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await Task.Run(host.Start);
        using var browser = host.CreateBrowser(new CookieContainer());
        var agent = DbInitializer.DemoUsers.Single(u => u.Role == "Agente");
        var login = await browser.GetFormAsync("/Account/Login");
        (await login.Set("Email", agent.Email).Set("Password", agent.Password).PostAsync()).Dispose();
        int caseId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            caseId = await scope.ServiceProvider.GetRequiredService<CrmDbContext>().Cases.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        }

        var form = (await browser.GetFormAsync($"/Cases/{caseId}", "#upload-form")).WithoutDeclaredLength();
        var content = new byte[90 * 1024];
        "%PDF-1.4\n"u8.CopyTo(content);
        for (var i = 0; i < 4; i++)
        {
            form.AttachFile("files", $"parte-{i}.pdf", content);
        }

        using var response = await form.PostAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Cases/{caseId}#attachments", response.Headers.Location?.OriginalString);
        var page = await browser.GetDocumentAsync($"/Cases/{caseId}");
        Assert.Equal(
            "La subida supera 324 KB, lo máximo que admiten los límites de archivos adjuntos. No se guardó nada.",
            page.QuerySelector("#attachment-error")?.TextContent.Trim());
        await using (var scope = host.Services.CreateAsyncScope())
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<CrmDbContext>().CaseAttachments.CountAsync(a => a.CaseId == caseId));
        }
    }
}
