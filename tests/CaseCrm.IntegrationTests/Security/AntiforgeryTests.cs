using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// Every POST route that reflection finds refuses, with 400 and without touching the database: a request without
/// the antiforgery token, a token of another session of the same user, and the complete token pair (cookie and field)
/// of another user. Each route is requested as the least privileged principal that may use it, so that only the token
/// can be what refuses it.
/// </summary>
public sealed class AntiforgeryTests(SqliteSecurityFactory factory, ITestOutputHelper output) : IClassFixture<SqliteSecurityFactory>
{
    private static readonly byte[] FileContent = Encoding.UTF8.GetBytes("contenido de prueba");

    public static TheoryData<string> PostRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var key in ActionCatalog.All.Where(e => e.ProbeVerbs.Contains("POST")).Select(e => e.Key).Distinct())
        {
            data.Add(key);
        }

        return data;
    }

    [Fact]
    public void TheGlobalFilterIsOn_AndOnlyTheErrorPageSkipsIt()
    {
        var filters = factory.Services.GetRequiredService<IOptions<MvcOptions>>().Value.Filters;
        Assert.Contains(filters, f => f is AutoValidateAntiforgeryTokenAttribute);

        var exempt = ActionCatalog.All
            .Where(e => e.Method.IsDefined(typeof(IgnoreAntiforgeryTokenAttribute), inherit: true)
                || e.Controller.IsDefined(typeof(IgnoreAntiforgeryTokenAttribute), inherit: true))
            .Select(e => e.Key)
            .Distinct()
            .Order(StringComparer.Ordinal);
        Assert.Equal(AccessMatrix.AntiforgeryExempt.Keys.Order(StringComparer.Ordinal), exempt);
        Assert.DoesNotContain(ActionCatalog.All, e => e.Method.IsDefined(typeof(ValidateAntiForgeryTokenAttribute), inherit: true)
            && e.Method.IsDefined(typeof(IgnoreAntiforgeryTokenAttribute), inherit: true));
        var posts = ActionCatalog.All.Count(e => e.ProbeVerbs.Contains("POST"));
        output.WriteLine($"POST routes: {posts}; exempt from antiforgery: {string.Join(", ", AccessMatrix.AntiforgeryExempt.Keys)}.");
    }

    [Theory]
    [MemberData(nameof(PostRoutes))]
    public async Task PostRoute_RefusesAMissingOrForeignToken(string key)
    {
        if (AccessMatrix.AntiforgeryExempt.ContainsKey(key))
        {
            output.WriteLine($"{key} is exempt: {AccessMatrix.AntiforgeryExempt[key]}");
            return;
        }

        var endpoint = ActionCatalog.All.First(e => e.Key == key);
        var rule = AccessMatrix.Rules[key];
        var principal = rule.Access.LeastAllowed();
        // Refused requests change nothing; only the closing accepted request acts, on rows of its own when it destroys.
        var world = rule.Destructive ? await SecurityWorld.CreateAsync(factory) : await factory.SharedWorldAsync();
        var url = endpoint.Path(p => AccessMatrix.ValueOf(endpoint, p, world));
        var form = rule.Form?.Invoke(world).ToList() ?? [];
        (string, string, byte[])? file = rule.FileField is { } field ? (field, "nota.txt", FileContent) : null;

        // Acting session, another session of the same user, and a session of another user. Users of their own: a route
        // here may sign out (new security stamp), which must not end the sessions of other tests.
        var signsOut = key == "POST /Account/Logout";
        var other = principal == Principal.Administrador ? Principal.Agente : Principal.Administrador;
        using var ownSession = signsOut ? await NewSessionAsync(principal, "logout") : null;
        var session = ownSession ?? await factory.SharedSessionAsync(principal, "antiforgery");
        using var ownElsewhere = signsOut ? await NewSessionAsync(principal, "logout") : null;
        var sameUserElsewhere = ownElsewhere ?? await factory.SharedSessionAsync(principal, "antiforgery", instance: 1);
        var otherUser = await factory.SharedSessionAsync(principal == Principal.Anonymous ? Principal.Anonymous : other, "antiforgery-other");
        await session.TokenAsync();

        await ExpectRefusedAsync("no token", () => session.PostAsync(url, form, withToken: false, file: file));
        await ExpectRefusedAsync("token of another session of the same user", async () =>
            await session.PostAsync(url, form, token: await sameUserElsewhere.TokenAsync(), file: file));

        if (principal != Principal.Anonymous)
        {
            // The whole pair of another user: their antiforgery cookie and their field token, with this user's sign-in cookie.
            var ownCookie = session.Cookie(TestSession.AntiforgeryCookie)!;
            var otherToken = await otherUser.TokenAsync();
            session.SetCookie(TestSession.AntiforgeryCookie, otherUser.Cookie(TestSession.AntiforgeryCookie)!);
            try
            {
                await ExpectRefusedAsync("cookie and token of another user", () => session.PostAsync(url, form, token: otherToken, file: file));
            }
            finally
            {
                session.SetCookie(TestSession.AntiforgeryCookie, ownCookie);
            }
        }

        // The same request with its own token passes the filter (so the refusals above came from the tokens).
        using var accepted = await session.PostAsync(url, form, file: file);
        Assert.NotEqual(HttpStatusCode.BadRequest, accepted.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, accepted.StatusCode);
    }

    private async Task ExpectRefusedAsync(string what, Func<Task<HttpResponseMessage>> send)
    {
        var before = await DbSnapshot.TakeAsync(factory.Database);
        using var response = await send();
        var body = await response.Content.ReadAsStringAsync();
        var changes = before.DifferencesFrom(await DbSnapshot.TakeAsync(factory.Database));
        output.WriteLine($"{what}: {(int)response.StatusCode}");

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: expected 400, got {(int)response.StatusCode} {response.Headers.Location}");
        Assert.Contains("No se pudo procesar la solicitud", body, StringComparison.Ordinal);
        Assert.Empty(SecurityAssertions.InternalsIn(body));
        Assert.True(changes.Count == 0, $"{what}: the database changed: {string.Join(" / ", changes)}");
    }

    private async Task<TestSession> NewSessionAsync(Principal principal, string slot)
    {
        var session = factory.NewSession();
        if (principal != Principal.Anonymous)
        {
            var (_, email, password) = await factory.SharedUserAsync(principal.Role(), slot);
            await session.SignInAsync(email, password);
        }

        return session;
    }
}
