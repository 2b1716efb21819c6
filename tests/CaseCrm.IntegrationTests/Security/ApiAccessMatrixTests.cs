using System.Net;
using System.Net.Http.Json;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Features.Api;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// The API authorization matrix (issue 20): every endpoint under /api that the app routes (its EndpointDataSource), requested
/// by anonymous, a token of each role, a revoked, an expired and a disabled user's token, and the sign-in cookie alone,
/// answers as <see cref="ApiAccessMatrix"/> says. Refused: 401 with <c>WWW-Authenticate: Bearer</c> without a valid token,
/// 403 for a role that may not, both as problem+json, and every table as it was. Allowed: neither 401 nor 403 nor a
/// server error. So nobody gets more through the API than the matrix grants.
/// </summary>
public sealed class ApiAccessMatrixTests(ApiMatrixSecurityFactory factory, ITestOutputHelper output) : IClassFixture<ApiMatrixSecurityFactory>
{
    [Fact]
    public void EveryApiEndpoint_HasARule()
    {
        var endpoints = ApiEndpointKeys();
        var missing = endpoints.Where(k => !ApiAccessMatrix.Rules.ContainsKey(k)).ToList();
        var stale = ApiAccessMatrix.Rules.Keys.Except(endpoints).ToList();
        foreach (var key in endpoints)
        {
            output.WriteLine($"{key,-50} {(ApiAccessMatrix.Rules.TryGetValue(key, out var rule) ? rule.Access.ToString() : "NO RULE")}");
        }

        Assert.True(endpoints.Count >= 4, $"Only {endpoints.Count} API endpoints found: the enumeration is broken.");
        Assert.True(missing.Count == 0,
            "API endpoints without a rule: add a line to ApiAccessMatrix.Rules (tests/CaseCrm.IntegrationTests/Security/ApiAccessMatrix.cs) "
            + "saying who may use it (ApiAccess.AnyToken, SupervisorOrAdmin or Administrator):\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "ApiAccessMatrix.Rules lists endpoints the app no longer has:\n" + string.Join("\n", stale));
    }

    /// <summary>
    /// Nobody gets more through the API than through the pages: every endpoint names the page action that does the same,
    /// and its rule grants no role that the page's rule does not (any token ↔ any signed-in user, supervisor and
    /// administrator ↔ the same, administrator ↔ the same). The probes above prove each rule holds.
    /// </summary>
    [Fact]
    public void NoEndpoint_AllowsMoreThanItsPage()
    {
        var failures = new List<string>();
        foreach (var (key, rule) in ApiAccessMatrix.Rules)
        {
            if (rule.Page is null)
            {
                Assert.Equal("GET /api/v1/me", key);
                continue;
            }

            if (!AccessMatrix.Rules.TryGetValue(rule.Page, out var page))
            {
                failures.Add($"{key}: its page {rule.Page} is not in AccessMatrix.Rules");
                continue;
            }

            var pageAllows = page.Access switch
            {
                Access.SignedIn or Access.Anyone => ApiAccess.AnyToken,
                Access.SupervisorOrAdmin => ApiAccess.SupervisorOrAdmin,
                Access.Administrator => ApiAccess.Administrator,
                _ => (ApiAccess?)null,
            };
            output.WriteLine($"{key,-55} {rule.Access,-18} {rule.Page,-50} {page.Access}");
            if (pageAllows is null || rule.Access < pageAllows)
            {
                failures.Add($"{key} allows {rule.Access}, its page {rule.Page} only {page.Access}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(AllCallers))]
    public async Task EveryApiEndpoint_AnswersAsTheMatrixSays(ApiCaller caller)
    {
        var shared = await factory.SharedWorldAsync();
        using var client = await ClientAsync(caller);
        var postWorld = new Lazy<Task<SecurityWorld>>(() => SecurityWorld.CreateAsync(factory));
        var failures = new List<string>();
        foreach (var key in ApiEndpointKeys())
        {
            if (!ApiAccessMatrix.Rules.TryGetValue(key, out var rule))
            {
                failures.Add($"{key}: no rule in ApiAccessMatrix");
                continue;
            }

            var endpoint = ActionCatalog.All.FirstOrDefault(e => e.Key == key);
            if (endpoint is null)
            {
                failures.Add($"{key}: not a controller action (the matrix fills route values from AccessMatrix.ValueOf for actions only)");
                continue;
            }

            var allowed = rule.Access.Allows(caller);
            var verb = endpoint.Verb == ActionCatalog.AnyVerb ? "GET" : endpoint.Verb;
            var world = !allowed || verb == "GET" ? shared
                : rule.Destructive ? await SecurityWorld.CreateAsync(factory)
                : await postWorld.Value;
            if (await ProbeAsync(client, endpoint, rule, verb, caller, world) is { } problem)
            {
                failures.Add(problem);
            }
        }

        Assert.True(failures.Count == 0, $"{caller}:\n" + string.Join("\n", failures));
    }

    public static TheoryData<ApiCaller> AllCallers => [.. ApiAccessMatrix.Callers];

    /// <summary>
    /// The token scheme's refusals themselves, whichever endpoint asks for them: 403 (a role the policy does not admit) and
    /// 401 are problem+json in the request's language, with no redirect.
    /// </summary>
    [Theory]
    [InlineData(403, "es", "Tu rol no permite esta operación.")]
    [InlineData(403, "en", "Your role does not allow this operation.")]
    [InlineData(401, "en", "Send a valid personal access token")]
    public async Task TheTokenSchemesRefusals_AreProblemJson_InTheRequestsLanguage(int status, string language, string detail)
    {
        // A client that accepts no JSON gets the status alone, not a server error.
        using (var plain = factory.ApiClient(null))
        {
            plain.DefaultRequestHeaders.Accept.ParseAdd("text/plain");
            using var refused = await plain.GetAsync("/api/v1/me");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Path = "/api/v1/cualquiera";
        context.Response.Body = new MemoryStream();
        var culture = System.Globalization.CultureInfo.GetCultureInfo(language);
        var (ui, current) = (System.Globalization.CultureInfo.CurrentUICulture, System.Globalization.CultureInfo.CurrentCulture);
        System.Globalization.CultureInfo.CurrentUICulture = culture;
        System.Globalization.CultureInfo.CurrentCulture = culture;
        try
        {
            var authentication = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationService>();
            if (status == 403)
            {
                await authentication.ForbidAsync(context, CaseCrm.Web.Features.Api.TokenAuthenticationHandler.SchemeName, null);
            }
            else
            {
                await authentication.ChallengeAsync(context, CaseCrm.Web.Features.Api.TokenAuthenticationHandler.SchemeName, null);
            }
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentUICulture, System.Globalization.CultureInfo.CurrentCulture) = (ui, current);
        }

        Assert.Equal(status, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal(status == 401 ? "Bearer" : "", context.Response.Headers.WWWAuthenticate.ToString());
        context.Response.Body.Position = 0;
        var body = await System.Text.Json.JsonSerializer.DeserializeAsync<ProblemBody>(context.Response.Body, WebJson);
        Assert.Equal(status, body?.Status);
        Assert.StartsWith(detail, body?.Detail, StringComparison.Ordinal);
    }

    /// <summary>Every endpoint the app routes under /api, as <c>VERB /template</c> (ANY when it takes every method).</summary>
    private List<string> ApiEndpointKeys() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ISuppressMatchingMetadata>() is not { SuppressMatching: true })
            .Select(e => (Endpoint: e, Template: (e.Metadata.GetMetadata<ControllerActionDescriptor>()?.AttributeRouteInfo?.Template ?? e.RoutePattern.RawText ?? "").TrimStart('/')))
            .Where(e => e.Template.Equals("api", StringComparison.OrdinalIgnoreCase) || e.Template.StartsWith("api/", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } verbs ? verbs : [ActionCatalog.AnyVerb])
                .Select(v => $"{v} /{e.Template}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private async Task<string?> ProbeAsync(HttpClient client, ActionEndpoint endpoint, ApiRule rule, string verb, ApiCaller caller, SecurityWorld world)
    {
        var allowed = rule.Access.Allows(caller);
        var path = endpoint.Path(p => AccessMatrix.ValueOf(endpoint, p, world));
        var url = rule.Query is null ? path : $"{path}?{rule.Query(world)}";
        var before = allowed && verb != "GET" ? null : await DbSnapshot.TakeAsync(factory.Database);
        using var request = new HttpRequestMessage(new HttpMethod(verb), url);
        if (verb != "GET")
        {
            request.Content = JsonContent.Create(rule.Body?.Invoke(world) ?? new { });
        }

        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        var problems = new List<string>();
        if (allowed)
        {
            if (status is 401 or 403 or >= 500)
            {
                problems.Add($"allowed: expected neither 401, 403 nor 5xx, got {status}");
            }
        }
        else
        {
            var expected = caller.RefusalStatus();
            if (status != expected)
            {
                problems.Add($"refused: expected {expected}, got {status}");
            }

            if (status == 401 && response.Headers.WwwAuthenticate.FirstOrDefault()?.Scheme != "Bearer")
            {
                problems.Add("401 without WWW-Authenticate: Bearer");
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                problems.Add($"refusal as {response.Content.Headers.ContentType?.MediaType ?? "no body"}, not application/problem+json");
            }
            else if (await response.Content.ReadFromJsonAsync<ProblemBody>() is not { } body || body.Status != status || string.IsNullOrEmpty(body.Detail))
            {
                problems.Add("the problem has no status or detail");
            }

            if (response.Headers.Location is { } location)
            {
                problems.Add($"refusal redirects to {location}");
            }
        }

        if (SecurityAssertions.InternalsIn(await response.Content.ReadAsStringAsync()) is { Count: > 0 } leaks)
        {
            problems.Add("the answer shows internals: " + string.Join(", ", leaks));
        }

        if (before is not null && before.DifferencesFrom(await DbSnapshot.TakeAsync(factory.Database)) is { Count: > 0 } changes)
        {
            problems.Add("the database changed: " + string.Join(" / ", changes));
        }

        output.WriteLine($"{caller,-19} {verb,-6} {url,-58} → {status,3} {(allowed ? "allowed" : "refused"),-7} {(problems.Count == 0 ? "ok" : "FAIL")}");
        return problems.Count == 0 ? null : $"{verb} {url} [{endpoint.Key}] as {caller}: {string.Join("; ", problems)}";
    }

    /// <summary>A client that sends what <paramref name="caller"/> has: nothing, a token, or an administrator's sign-in cookie.</summary>
    private async Task<HttpClient> ClientAsync(ApiCaller caller)
    {
        if (caller == ApiCaller.SignInCookieOnly)
        {
            var (_, email, password) = await factory.CreateUserAsync(Roles.Administrator);
            var session = factory.NewSession();
            await session.SignInAsync(email, password);
            // The session's client carries its cookie jar; the API must not read it.
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Account/Tokens")).StatusCode);
            return session.Client;
        }

        if (caller == ApiCaller.Anonymous)
        {
            return factory.ApiClient(null);
        }

        var role = caller switch
        {
            ApiCaller.AgentToken => Roles.Agent,
            ApiCaller.SupervisorToken => Roles.Supervisor,
            _ => Roles.Administrator,
        };
        var (userId, _, _) = await factory.CreateUserAsync(role);
        var (_, secret) = await factory.NewTokenAsync(
            userId,
            expiresAt: caller == ApiCaller.ExpiredToken ? DateTime.UtcNow.AddMinutes(-1) : null,
            revoked: caller == ApiCaller.RevokedToken);
        if (caller == ApiCaller.DisabledUsersToken)
        {
            await factory.InDbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false)));
        }

        return factory.ApiClient(secret);
    }

    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private sealed record ProblemBody(int? Status, string? Title, string? Detail);
}

/// <summary>The security app with a rate limit no matrix run reaches (each caller makes one request per API endpoint).</summary>
public sealed class ApiMatrixSecurityFactory() : SecurityWebFactory(DatabaseProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Serilog:MinimumLevel:Default"] = "Information",
        ["Api:PermitLimit"] = "100000",
    };
}
