using System.Net;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Serilog.Events;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// Issue 14, outside scan round two: NUL in multipart forms, bidirectional controls in text, methods no route has,
/// and the headers every response carries — on SQLite and PostgreSQL.
/// </summary>
public abstract class PipelineHardeningTests(SecurityWebFactory factory)
{
    [Fact]
    public async Task ANulInAMultipartForm_IsA400_AndNothingIsStored()
    {
        var world = await factory.SharedWorldAsync();
        var admin = await factory.SharedSessionAsync(Principal.Administrador, "pipeline");
        var tag = "nul-" + Guid.NewGuid().ToString("N")[..8];
        var failures = new List<string>();
        var file = ("extra", "nota.txt", "hola"u8.ToArray());

        async Task ExpectRefusedAsync(string what, string url, IEnumerable<KeyValuePair<string, string>> values, (string, string, byte[]) part)
        {
            using var response = await admin.PostAsync(url, values, file: part);
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"{what}: {(int)response.StatusCode}");
            }
        }

        await ExpectRefusedAsync("contact first name", "/Contacts/Create", [KeyValuePair.Create("FirstName", "Ana\0Bea"), KeyValuePair.Create("LastName", tag)], file);
        await ExpectRefusedAsync("comment", $"/Cases/{world.CaseId}/Comments", [KeyValuePair.Create("Body", tag + "\0x")], file);

        // A field whose name holds a NUL, written byte by byte: HttpClient will not send one, a hostile client does.
        var body = string.Join("\r\n",
            "--b", $"Content-Disposition: form-data; name=\"{HtmlForm.AntiforgeryField}\"", "", await admin.TokenAsync(),
            "--b", "Content-Disposition: form-data; name=\"FirstName\"", "", "Ana",
            "--b", "Content-Disposition: form-data; name=\"Last\0Name\"", "", tag,
            "--b--", "");
        using (var raw = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body)))
        {
            raw.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
            using var response = await admin.Client.PostAsync(new Uri("/Contacts/Create", UriKind.Relative), raw);
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"field name: {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(0, await factory.InDbAsync(db => db.Contacts.CountAsync(c => c.LastName == tag)));
        Assert.Equal(0, await factory.InDbAsync(db => db.CaseComments.CountAsync(c => c.Body.StartsWith(tag))));
        Assert.Equal(0, await factory.InDbAsync(db => db.CaseAttachments.CountAsync(a => a.FileName.StartsWith(tag))));
    }

    [Fact]
    public async Task BidiControls_AreRemovedFromWhatAFormSaves()
    {
        var admin = await factory.SharedSessionAsync(Principal.Administrador, "pipeline");
        var tag = "bidi-" + Guid.NewGuid().ToString("N")[..8];
        var form = await admin.Client.GetFormAsync("/Contacts/Create");

        using var response = await form.Set("FirstName", "Ana\u202E\u2066gnp.exe\u2069\u200F").Set("LastName", tag).PostAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await factory.InDbAsync(db => db.Contacts.Where(c => c.LastName == tag).Select(c => c.FirstName).SingleAsync());
        Assert.Equal("Anagnp.exe", saved);
    }

    [Theory]
    [InlineData("PUT", "/")]
    [InlineData("DELETE", "/Cases")]
    [InlineData("PATCH", "/Contacts")]
    [InlineData("OPTIONS", "/")]
    [InlineData("HEAD", "/Account/Logout")]
    public async Task AMethodTheRouteDoesNotHave_Is405_WithTheLocalizedPage_AndNoErrorLogged(string method, string url)
    {
        var since = DateTimeOffset.UtcNow;
        var agent = await factory.SharedSessionAsync(Principal.Agente, "pipeline");

        using var response = await agent.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        if (method != "HEAD")
        {
            Assert.Equal("Operación no admitida", (await response.ReadHtmlAsync()).QuerySelector("main h1")?.TextContent.Trim());
        }

        Assert.DoesNotContain(factory.Logs.Since(since), e => e.Level >= LogEventLevel.Error);
    }

    [Fact]
    public async Task Head_IsAnsweredAsGet_WithoutTheBody()
    {
        using var anonymous = factory.NewSession();

        using var response = await anonymous.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/Account/Login"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Responses_CarryPermissionsAndOpenerPolicies_AndSignedInPagesAndJsonAreNotStored()
    {
        var agent = await factory.SharedSessionAsync(Principal.Agente, "pipeline");
        using var anonymous = factory.NewSession();
        var failures = new List<string>();
        foreach (var (session, url, noStore) in new[]
        {
            (agent, "/Cases", true), (agent, "/Contacts", true), (agent, "/Accounts/Lookup?q=a", true), (agent, "/no/such/page", true),
            (anonymous, "/Account/Login", false), (anonymous, "/css/site.css", false),
        })
        {
            using var response = await session.GetAsync(url);
            if (!response.Headers.TryGetValues("Permissions-Policy", out var permissions) || !permissions.Single().Contains("camera=()", StringComparison.Ordinal))
            {
                failures.Add($"{url}: no Permissions-Policy");
            }

            if (!response.Headers.TryGetValues("Cross-Origin-Opener-Policy", out var opener) || opener.Single() != "same-origin")
            {
                failures.Add($"{url}: no Cross-Origin-Opener-Policy: same-origin");
            }

            if (noStore && response.Headers.CacheControl?.NoStore != true)
            {
                failures.Add($"{url}: Cache-Control is '{response.Headers.CacheControl}'");
            }

            if (url.EndsWith(".css", StringComparison.Ordinal) && response.Headers.CacheControl?.NoStore == true)
            {
                failures.Add($"{url}: a static file is no-store");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    public sealed class Sqlite(SqliteSecurityFactory factory) : PipelineHardeningTests(factory), IClassFixture<SqliteSecurityFactory>;

    public sealed class Postgres(PostgresSecurityFactory factory) : PipelineHardeningTests(factory), IClassFixture<PostgresSecurityFactory>;
}
