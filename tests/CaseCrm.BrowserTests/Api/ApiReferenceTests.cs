using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Api;

/// <summary>
/// The API reference page (issue 20, ADR 0029): an integrator, not signed in, opens /scalar and sees the API's operations,
/// read from /openapi/v1.json; everything comes from the app itself (no other origin is asked), and the page runs under the
/// site's Content-Security-Policy with its one nonce exception: no violation reported, no error in the console.
/// </summary>
public sealed class ApiReferenceTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task TheReferencePage_ListsTheApisOperations_WithoutACspViolation() => RunAsync(async () =>
    {
        var console = new List<string>();
        var foreign = new List<string>();
        Page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                lock (console)
                {
                    console.Add($"{message.Type}: {message.Text}");
                }
            }
        };
        Page.PageError += (_, error) =>
        {
            lock (console)
            {
                console.Add("page error: " + error);
            }
        };
        Page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(Fixture.BaseUrl.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                lock (foreign)
                {
                    foreign.Add(request.Url);
                }
            }
        };
        // A violation is also an event in the page, which the console may word differently from one Chromium to another.
        await Page.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '') + ' ' + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 200) : '')));
            """);

        var response = await Page.GotoAsync("/scalar");

        Assert.NotNull(response);
        Assert.Contains("'nonce-", await response.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "CaseCrm API" })).ToBeVisibleAsync();
        // Every operation of the document, by its summary (the English of the actions' XML comments), in the sidebar.
        var document = await Page.Context.APIRequest.GetAsync("/openapi/v1.json");
        using var json = System.Text.Json.JsonDocument.Parse(await document.TextAsync());
        var summaries = json.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => o.Value.GetProperty("summary").GetString()!))
            .ToList();
        Assert.NotEmpty(summaries);
        var sidebar = Page.GetByRole(AriaRole.Complementary);
        foreach (var summary in summaries)
        {
            await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = summary }).First).ToBeVisibleAsync();
        }

        Output.WriteLine($"{summaries.Count} operations listed.");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var violations = await Page.EvaluateAsync<string[]>("() => window.__cspViolations");
        Output.WriteLine($"Console errors and warnings: {console.Count}; CSP violations: {violations.Length}; other origins: {foreign.Count}");
        foreach (var line in console.Concat(violations).Concat(foreign))
        {
            Output.WriteLine("  " + line);
        }

        Assert.True(violations.Length == 0, "CSP violations on /scalar:\n" + string.Join("\n", violations));
        Assert.True(!console.Any(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.StartsWith("page error", StringComparison.Ordinal)),
            "Console:\n" + string.Join("\n", console));
        Assert.True(foreign.Count == 0, "The reference page asked other origins:\n" + string.Join("\n", foreign));
        // The examples name this server (the document names none).
        await Expect(Page.Locator("code").Filter(new() { HasText = Fixture.BaseUrl.ToString().TrimEnd('/') + "/api/v1/" }).First).ToBeAttachedAsync();
        await SaveDocsScreenshotAsync("api-reference.png");
    });
}
