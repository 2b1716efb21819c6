using System.Net;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace CaseCrm.IntegrationTests.Account;

/// <summary>Signing in through the real login form: anonymous access, redirects, the cookie, errors and antiforgery.</summary>
public sealed class SignInTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    private const string AuthCookie = "CaseCrm.Auth";
    private static readonly DemoUser Agent = DbInitializer.DemoUsers.Single(u => u.Role == Roles.Agent);

    [Fact]
    public async Task LoginPage_IsServedToAnonymousVisitors()
    {
        var client = factory.CreateBrowserClient();

        var form = await client.GetFormAsync("/Account/Login");

        Assert.Equal("post", form.Method);
        Assert.False(string.IsNullOrEmpty(form.AntiforgeryToken));
        Assert.Equal("", form.Get("Email"));
        Assert.Equal("", form.Get("Password"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/Cases")]
    public async Task ProtectedPages_RedirectAnonymousVisitorsToTheLoginPage(string path)
    {
        var client = factory.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = Absolute(response.Headers.Location);
        Assert.Equal("/Account/Login", location.AbsolutePath);
        Assert.Equal(path, QueryHelpers.ParseQuery(location.Query)["ReturnUrl"].ToString());
    }

    [Fact]
    public async Task SignIn_WithTheDemoAgent_SetsTheCookieAndShowsTheAgent()
    {
        var client = factory.CreateBrowserClient();

        using var signIn = await client.SignInAsync(Agent.Email, Agent.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthCookie + "=", StringComparison.Ordinal));

        // The start page ("Inicio"): a signed-in user is not sent back to the login page, and the layout names them.
        using var start = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var shownUser = (await start.ReadHtmlAsync()).QuerySelector(".user-name")?.TextContent.Trim();
        Assert.Contains(shownUser, new[] { Agent.DisplayName, Agent.Email });
    }

    [Fact]
    public async Task SignIn_ReturnsToALocalReturnUrlOnly()
    {
        var local = factory.CreateBrowserClient();
        var foreign = factory.CreateBrowserClient();

        var localForm = await local.GetFormAsync("/Account/Login?ReturnUrl=%2FContacts%3Fq%3Dana");
        using var toLocal = await localForm.Set("Email", Agent.Email).Set("Password", Agent.Password).PostAsync();
        var foreignForm = await foreign.GetFormAsync("/Account/Login?ReturnUrl=https%3A%2F%2Fevil.test%2F");
        using var toForeign = await foreignForm.Set("Email", Agent.Email).Set("Password", Agent.Password).PostAsync();

        Assert.Equal("/Contacts?q=ana", toLocal.Headers.Location?.OriginalString);
        Assert.Equal("/", toForeign.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("agente@casecrm.test", "not-the-password")]
    [InlineData("nadie@casecrm.test", "agente-demo-2026")]
    public async Task SignIn_WithWrongCredentials_ShowsTheSpanishErrorAndStaysOnTheLoginPage(string email, string password)
    {
        var client = factory.CreateBrowserClient();

        using var response = await client.SignInAsync(email, password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(AuthCookie + "=", StringComparison.Ordinal)));
        var page = await response.ReadHtmlAsync();
        Assert.Equal(["El correo o la contraseña no son correctos."], page.ValidationErrors());
        var form = page.GetForm(client);
        Assert.Equal("/Account/Login", form.Action.AbsolutePath);
        Assert.Equal(email, form.Get("Email"));
        Assert.Equal("", form.Get("Password"));

        using var stillAnonymous = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal("/Account/Login", Absolute(stillAnonymous.Headers.Location).AbsolutePath);
    }

    [Fact]
    public async Task SignIn_WithoutTheAntiforgeryToken_IsRefused()
    {
        var client = factory.CreateBrowserClient();
        var form = await client.GetFormAsync("/Account/Login");

        using var response = await form.Set("Email", Agent.Email).Set("Password", Agent.Password).Remove(HtmlForm.AntiforgeryField).PostAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(AuthCookie + "=", StringComparison.Ordinal)));
    }

    private static Uri Absolute(Uri? location) =>
        location is null ? throw new InvalidOperationException("The response has no Location.")
        : location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost/"), location);
}
