using System.Net;
using AngleSharp.Html.Dom;
using CaseCrm.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// Security headers on every page (Content-Security-Policy without 'unsafe-inline', nosniff, Referrer-Policy, no
/// framing), pages that need no inline script or style, and 400/403/404/500 pages in the reader's language that reveal
/// nothing of the server: no exception text, no stack trace, no SQL, no connection string — in Development too.
/// </summary>
public sealed class HeadersAndErrorPagesTests(SqliteSecurityFactory factory, ITestOutputHelper output) : IClassFixture<SqliteSecurityFactory>
{
    private static readonly string[] SafeReferrerPolicies = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];

    [Fact]
    public async Task EveryPageOfTheApp_SendsTheSecurityHeaders_AndNeedsNoInlineScriptOrStyle()
    {
        var world = await factory.SharedWorldAsync();
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        using var anonymous = factory.NewSession();
        var failures = new List<string>();
        var pages = 0;
        foreach (var endpoint in ActionCatalog.All.Where(e => e.ProbeVerbs.Contains("GET")))
        {
            var rule = AccessMatrix.Rules[endpoint.Key];
            var path = endpoint.Path(p => AccessMatrix.ValueOf(endpoint, p, world));
            var url = rule.Query is null ? path : $"{path}?{rule.Query(world)}";
            using var response = await admin.GetAsync(url);
            pages++;
            failures.AddRange(HeaderProblems(response).Select(p => $"{url}: {p}"));
            if (response.Headers.TryGetValues("Content-Security-Policy", out var policy) && policy.Single() != StrictPolicy)
            {
                failures.Add($"{url}: the policy is not the site's: {policy.Single()}");
            }
            if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                failures.AddRange(InlineCode(await response.ReadHtmlAsync()).Select(p => $"{url}: {p}"));
            }
        }

        // And on what anonymous visitors, refusals, static files, the API and its document get: all of them the site's one
        // policy, exactly (the API reference page alone has an exception: TheApiReferencePage_…).
        foreach (var (session, url) in new[]
        {
            (anonymous, "/Account/Login"), (anonymous, "/Cases"), (anonymous, "/no/such/page"), (admin, "/css/site.css"), (admin, "/js/site.js"),
            (anonymous, "/openapi/v1.json"), (anonymous, "/api/v1/me"), (admin, "/api/v1/me"), (anonymous, "/scalar/scalar.js"), (anonymous, "/scalar"),
        })
        {
            using var response = await session.GetAsync(url);
            pages++;
            failures.AddRange(HeaderProblems(response).Select(p => $"{url}: {p}"));
            if (response.Headers.GetValues("Content-Security-Policy").Single() != StrictPolicy)
            {
                failures.Add($"{url}: the policy is not the site's: {response.Headers.GetValues("Content-Security-Policy").Single()}");
            }
        }

        output.WriteLine($"{pages} responses checked.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task TheContentSecurityPolicy_AllowsNoInlineOrForeignCode()
    {
        using var session = factory.NewSession();
        using var response = await session.GetAsync("/Account/Login");

        var csp = Directives(response.Headers.GetValues("Content-Security-Policy").Single());

        Assert.Equal(["'self'"], csp["default-src"]);
        Assert.Equal(["'self'"], csp["script-src"]);
        Assert.Equal(["'self'"], csp["style-src"]);
        Assert.Equal(["'none'"], csp["object-src"]);
        Assert.Equal(["'none'"], csp["frame-ancestors"]);
        Assert.Contains("base-uri", csp.Keys);
        Assert.Contains("form-action", csp.Keys);
        Assert.DoesNotContain(csp.Values.SelectMany(v => v), v => v is "'unsafe-inline'" or "'unsafe-eval'" or "*" or "http:" or "https:");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains(response.Headers.GetValues("Referrer-Policy").Single(), SafeReferrerPolicies);
    }

    /// <summary>
    /// The one exception to the policy (ADR 0029): on the API reference page, scripts run by a nonce drawn for each response
    /// (every script tag carries it) and inline styles are allowed; nothing else is relaxed (no inline script without the
    /// nonce, no eval, no other origin), and the page's own files and every other response keep the site's policy.
    /// </summary>
    [Fact]
    public async Task TheApiReferencePage_IsTheOnlyException_ANoncePerResponse()
    {
        using var anonymous = factory.NewSession();
        var nonces = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await anonymous.GetAsync("/scalar/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            var csp = Directives(policy);
            Assert.Equal(2, csp["script-src"].Length);
            Assert.Equal("'self'", csp["script-src"][0]);
            var nonce = csp["script-src"][1];
            Assert.Matches("^'nonce-[A-Za-z0-9_-]{43}'$", nonce);
            Assert.Equal(["'self'", "'unsafe-inline'"], csp["style-src"]);
            // Everything else exactly as the site's policy.
            Assert.Equal(StrictPolicy, policy.Replace(" " + nonce, "", StringComparison.Ordinal).Replace(" 'unsafe-inline'", "", StringComparison.Ordinal));
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            var value = nonce["'nonce-".Length..^1];
            var page = await response.ReadHtmlAsync();
            Assert.True(page.Scripts.Length >= 3, "The page's start script, Scalar's viewer and ours.");
            Assert.All(page.Scripts, s => Assert.Equal(value, s.GetAttribute("nonce")));
            nonces.Add(value);
        }

        Assert.NotEqual(nonces[0], nonces[1]);
    }

    private const string StrictPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    [Theory]
    [InlineData("es", "/Cases/987654", 404, "Página no encontrada")]
    [InlineData("es", "/no/such/page", 404, "Página no encontrada")]
    [InlineData("es", "/Users", 403, "Acceso denegado")]
    [InlineData("es", "/Contacts?q=" + FailingCommandInterceptor.Trigger, 500, "Algo salió mal")]
    [InlineData("en", "/Cases/987654", 404, "Page not found")]
    [InlineData("en", "/Users", 403, "Access denied")]
    [InlineData("en", "/Contacts?q=" + FailingCommandInterceptor.Trigger, 500, "Something went wrong")]
    public async Task ErrorPages_SpeakTheUsersLanguage_AndRevealNoInternals(string language, string url, int status, string title)
    {
        var agent = await factory.SharedSessionAsync(Principal.Agente, "errors-" + language);
        if (language == "en")
        {
            agent.SetCookie(TestSession.CultureCookie, "c=en|uic=en");
        }

        using var response = await agent.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        var page = await response.ReadHtmlAsync();
        Assert.Equal(title, page.QuerySelector("main h1")?.TextContent.Trim());
        Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
        Assert.Empty(SecurityAssertions.InternalsIn(body));
        Assert.Empty(HeaderProblems(response));
        Assert.False(response.Headers.Contains("Server") && response.Headers.GetValues("Server").Any(v => v.Contains('/')), "The Server header names a version.");
        Assert.False(response.Headers.Contains("X-Powered-By"));
    }

    [Theory]
    [InlineData("es", "No se pudo procesar la solicitud")]
    [InlineData("en", "The request could not be processed")]
    public async Task TheAntiforgeryRefusal_IsA400PageInTheUsersLanguage(string language, string title)
    {
        using var anonymous = factory.NewSession();
        if (language == "en")
        {
            anonymous.SetCookie(TestSession.CultureCookie, "c=en|uic=en");
        }

        using var response = await anonymous.PostAsync("/Account/Login", [KeyValuePair.Create("Email", "a@b.test"), KeyValuePair.Create("Password", "x")], withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(title, (await response.ReadHtmlAsync()).QuerySelector("main h1")?.TextContent.Trim());
        Assert.Empty(SecurityAssertions.InternalsIn(body));
    }

    [Fact]
    public async Task AnUnexpectedFailure_IsLoggedOnTheServer_NotShownToTheUser()
    {
        var since = DateTimeOffset.UtcNow;
        var agent = await factory.SharedSessionAsync(Principal.Agente, "errors-log");

        using var response = await agent.GetAsync("/Contacts?q=" + FailingCommandInterceptor.Trigger);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain(FailingCommandInterceptor.SecretMessage, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(factory.Logs.Since(since), e => e.Exception?.Message == FailingCommandInterceptor.SecretMessage);
    }

    /// <summary>
    /// A save that fails for another reason than the name its unique index guards is an error (a 500, logged with its
    /// exception), not "that name is taken": since EF's own save failures are Debug (ADR 0039), a failure the page took for
    /// a lost race for the name would have reached no log at all.
    /// </summary>
    [Fact]
    public async Task ASavedViewThatFailsToSave_ForAnotherReasonThanItsName_IsAnErrorInTheLog()
    {
        var since = DateTimeOffset.UtcNow;
        var agent = await factory.SharedSessionAsync(Principal.Agente, "errors-log-save");
        var form = (await agent.Client.GetFormAsync("/Cases/Views/Create?view=all&priority=Urgent"))
            .Set("Name", "Vista " + FailingCommandInterceptor.Trigger);

        using var response = await form.PostAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain(FailingCommandInterceptor.SecretMessage, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(factory.Logs.Since(since), e => e.Level == Serilog.Events.LogEventLevel.Error
            && e.Exception?.InnerException?.Message == FailingCommandInterceptor.SecretMessage);
    }

    /// <summary>What is missing or weak in a response's security headers.</summary>
    public static IEnumerable<string> HeaderProblems(HttpResponseMessage response)
    {
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

        var csp = Header("Content-Security-Policy");
        if (csp is null)
        {
            yield return "no Content-Security-Policy";
        }
        else
        {
            var directives = Directives(csp);
            if (!directives.ContainsKey("default-src"))
            {
                yield return "CSP without default-src";
            }

            if (directives.Values.SelectMany(v => v).Any(v => v is "'unsafe-inline'" or "'unsafe-eval'"))
            {
                yield return "CSP allows unsafe-inline or unsafe-eval";
            }
        }

        if (Header("X-Content-Type-Options") != "nosniff")
        {
            yield return "no X-Content-Type-Options: nosniff";
        }

        if (Header("Referrer-Policy") is not { } referrer || !SafeReferrerPolicies.Contains(referrer))
        {
            yield return $"Referrer-Policy is '{Header("Referrer-Policy")}'";
        }

        if (Header("X-Frame-Options") != "DENY")
        {
            yield return "no X-Frame-Options: DENY";
        }
    }

    /// <summary>Inline code a strict CSP would block: script blocks (not JSON data blocks), style blocks and attributes, handlers.</summary>
    private static IEnumerable<string> InlineCode(IHtmlDocument document)
    {
        // A data block (type="application/json") is never run; style.md puts script data there or in data- attributes.
        foreach (var script in document.Scripts.Where(s => !s.HasAttribute("src") && s.GetAttribute("type") != "application/json"))
        {
            yield return "inline <script> " + script.TextContent.Trim()[..Math.Min(30, script.TextContent.Trim().Length)];
        }

        if (document.QuerySelectorAll("style").Length > 0)
        {
            yield return "inline <style>";
        }

        foreach (var element in document.All)
        {
            if (element.HasAttribute("style"))
            {
                yield return $"style attribute on <{element.LocalName}>";
            }

            foreach (var attribute in element.Attributes.Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)))
            {
                yield return $"<{element.LocalName} {attribute.Name}>";
            }
        }
    }

    private static Dictionary<string, string[]> Directives(string csp) =>
        csp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..]);
}
