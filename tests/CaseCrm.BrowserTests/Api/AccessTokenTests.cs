using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Api;

/// <summary>
/// "Tokens de acceso" (issue 20): the agent opens Preferencias → Gestionar tokens de acceso, creates "Centralita", copies the
/// secret shown once, and the API answers as her with it; "Revocar" (confirmed) stops it: the API answers 401.
/// </summary>
public sealed class AccessTokenTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Agent_CreatesAToken_UsesItOnTheApi_AndRevokesIt() => RunAsync(async () =>
    {
        await SignInAsync(DemoUsers.Agent);
        await Page.GotoAsync("/Preferences");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Gestionar tokens de acceso" }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Tokens de acceso");

        var name = "Centralita " + TestData.NewTag();
        await Page.GetByLabel("Nombre").FillAsync(name);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Crear token", Exact = true }).ClickAsync();
        await Expect(Page.FlashMessage()).ToContainTextAsync($"Token «{name}» creado.");
        var secret = await Page.Locator("#token-secret").InputValueAsync();
        Assert.StartsWith("ccrm_", secret, StringComparison.Ordinal);

        // The context's request client also carries the sign-in cookie: the API goes by the token alone.
        var api = Page.Context.APIRequest;
        var me = await api.GetAsync("/api/v1/me", new() { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + secret } });
        Assert.Equal(200, me.Status);
        Assert.Contains(DemoUsers.Agent.Email, await me.TextAsync(), StringComparison.Ordinal);

        await Page.ReloadAsync();
        await Expect(Page.Locator("#token-secret")).ToHaveCountAsync(0);
        Page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        var row = Page.Locator("#tokens tbody tr").Filter(new() { HasText = name });
        await row.GetByRole(AriaRole.Button, new() { Name = "Revocar" }).ClickAsync();
        await Expect(Page.FlashMessage()).ToContainTextAsync($"Token «{name}» revocado.");
        await Expect(row).ToContainTextAsync("Revocado");

        var refused = await api.GetAsync("/api/v1/me", new() { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + secret } });
        Assert.Equal(401, refused.Status);
    });
}
