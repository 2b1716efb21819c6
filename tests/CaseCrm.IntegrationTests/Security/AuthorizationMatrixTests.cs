using CaseCrm.Domain.Cases;
using System.Globalization;
using System.Net;
using System.Text;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// The authorization matrix: every action that reflection finds in the web assembly, requested by anonymous, Agente,
/// Supervisor and Administrador, answers as <see cref="AccessMatrix"/> says. Refused: anonymous GETs and POSTs go to
/// the sign-in page; signed-in users get the Spanish 403 page ("Acceso denegado") without internals; and a refused
/// request leaves every table as it was. No GET changes the database, whoever sends it.
/// </summary>
public sealed class AuthorizationMatrixTests(SqliteSecurityFactory factory, ITestOutputHelper output) : IClassFixture<SqliteSecurityFactory>
{
    private const string LogoutKey = "POST /Account/Logout";
    private static readonly byte[] FileContent = Encoding.UTF8.GetBytes("contenido de prueba");

    [Fact]
    public void EveryActionOfTheApp_IsInTheMatrix()
    {
        var endpoints = ActionCatalog.All;
        var missing = endpoints.Where(e => !AccessMatrix.Rules.ContainsKey(e.Key)).ToList();
        var stale = AccessMatrix.Rules.Keys.Except(endpoints.Select(e => e.Key)).ToList();

        foreach (var endpoint in endpoints)
        {
            var rule = AccessMatrix.Rules.GetValueOrDefault(endpoint.Key);
            var who = rule is null ? "NOT IN THE MATRIX" : string.Join(", ", AccessMatrix.Principals.Where(p => rule.Access.Allows(p)));
            output.WriteLine($"{endpoint.Key,-62} {endpoint.Controller.Name}.{endpoint.Method.Name,-14} {who}");
        }

        var covered = endpoints.Count - missing.Count;
        output.WriteLine("");
        output.WriteLine($"Matrix coverage: {ActionCatalog.Ratio(covered, endpoints.Count)} of the actions found by reflection, "
            + $"{endpoints.Select(e => e.Controller).Distinct().Count()} controllers, each probed as {AccessMatrix.Principals.Count} principals.");
        Assert.True(missing.Count == 0,
            "Actions missing from AccessMatrix.Rules (say who may use them):\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "AccessMatrix.Rules lists actions the app no longer has:\n" + string.Join("\n", stale));
    }

    [Fact]
    public void Reflection_FindsExactlyTheActionsThatMvcRoutes()
    {
        var registered = ActionCatalog.RegisteredKeys(factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>());
        var found = ActionCatalog.All.Select(e => e.Key).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(registered, found);
        Assert.True(found.Count >= 60, $"Only {found.Count} actions found: the reflection is broken.");
    }

    /// <summary>Endpoints that are not controller actions are listed too, so that a new minimal API cannot slip by.</summary>
    [Fact]
    public async Task EveryOtherEndpoint_IsKnown_AndBenchmarkEndpointsDoNotExistHere()
    {
        var others = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ControllerActionDescriptor>() is null
                && e.Metadata.GetMetadata<ISuppressMatchingMetadata>() is not { SuppressMatching: true })
            .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        output.WriteLine("Endpoints other than controller actions: " + string.Join(", ", others));
        Assert.Equal(AccessMatrix.OtherEndpoints.Keys.Order(StringComparer.Ordinal), others);

        using var anonymous = factory.NewSession();
        using var health = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        foreach (var url in new[] { "/Benchmark/Stats", "/Benchmark/Baseline/Contacts/1" })
        {
            using var benchmark = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, benchmark.StatusCode);
        }
    }

    [Theory]
    [InlineData(Principal.Anonymous)]
    [InlineData(Principal.Agente)]
    [InlineData(Principal.Supervisor)]
    [InlineData(Principal.Administrador)]
    public async Task EveryAction_AnswersAsTheMatrixSays(Principal principal)
    {
        var shared = await factory.SharedWorldAsync();
        var session = await factory.SharedSessionAsync(principal);
        // Allowed POSTs really act: they work on rows of this run (destructive ones on rows of their own), never on the
        // shared rows that the GETs and the refused requests read.
        var postWorld = new Lazy<Task<SecurityWorld>>(() => SecurityWorld.CreateAsync(factory));
        var failures = new List<string>();
        var probes = 0;
        foreach (var endpoint in ActionCatalog.All)
        {
            if (!AccessMatrix.Rules.TryGetValue(endpoint.Key, out var rule))
            {
                failures.Add($"{endpoint}: not in the matrix");
                continue;
            }

            foreach (var verb in endpoint.ProbeVerbs)
            {
                probes++;
                var world = !rule.Access.Allows(principal) || verb == "GET" ? shared
                    : rule.Destructive ? await SecurityWorld.CreateAsync(factory)
                    : await postWorld.Value;
                var problem = await ProbeAsync(endpoint, rule, verb, principal, session, world);
                if (problem is not null)
                {
                    failures.Add(problem);
                }
            }
        }

        output.WriteLine($"{principal}: {probes} probes, {failures.Count} failed.");
        Assert.True(failures.Count == 0, $"{principal}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task UnknownIdsInUrls_Answer404_AndChangeNothing()
    {
        var world = await factory.SharedWorldAsync();
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        var failures = new List<string>();
        // The API's unknown ids (a token, not this cookie session) are tested in Features/Api (problem+json 404).
        foreach (var endpoint in ActionCatalog.All.Where(e => e.Parameters.Any(p => p != "code") && AccessMatrix.Rules[e.Key].Access != Access.Api))
        {
            var rule = AccessMatrix.Rules[endpoint.Key];
            // Every id missing; and, for nested routes, a real parent with a missing last id.
            var paths = new List<string> { endpoint.Path(AccessMatrix.MissingValueOf) };
            if (endpoint.Parameters.Count > 1)
            {
                var last = endpoint.Parameters[^1];
                paths.Add(endpoint.Path(p => p == last ? AccessMatrix.MissingValueOf(p) : AccessMatrix.ValueOf(endpoint, p, world)));
            }

            foreach (var path in paths)
            {
                foreach (var verb in endpoint.ProbeVerbs)
                {
                    var before = await DbSnapshot.TakeAsync(factory.Database);
                    using var response = verb == "GET"
                        ? await admin.GetAsync(path)
                        : await admin.PostAsync(path, PlausibleForm(world, endpoint), file: rule.FileField is { } field ? (field, "nota.txt", FileContent) : null);
                    var changes = before.DifferencesFrom(await DbSnapshot.TakeAsync(factory.Database));
                    var status = (int)response.StatusCode;
                    output.WriteLine($"{verb,-4} {path,-50} → {status}");
                    if (status != 404 || changes.Count > 0)
                    {
                        failures.Add($"{verb} {path} ({endpoint.Key}): {status}{(response.Headers.Location is { } l ? " → " + l : "")}"
                            + (changes.Count > 0 ? "; changed: " + string.Join(" / ", changes) : ""));
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, "Unknown ids must answer 404 and change nothing:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Agent_AssigningACaseToSomeoneElse_IsRefusedAndChangesNothing_ASupervisorMay()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        var supervisorId = await UserIdAsync(Roles.Supervisor);
        var agent = await factory.SharedSessionAsync(Principal.Agente);
        var supervisor = await factory.SharedSessionAsync(Principal.Supervisor);
        var before = await DbSnapshot.TakeAsync(factory.Database);

        using var refused = await agent.PostAsync($"/Cases/{world.CaseId}/Assign", [KeyValuePair.Create("assigneeId", supervisorId)]);

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Empty(before.DifferencesFrom(await DbSnapshot.TakeAsync(factory.Database)));
        var page = await (await agent.Client.FollowRedirectAsync(refused)).ReadHtmlAsync();
        Assert.Contains("supervisor", page.QuerySelector(".alert-error")?.TextContent ?? "", StringComparison.OrdinalIgnoreCase);

        using var done = await supervisor.PostAsync($"/Cases/{world.CaseId}/Assign", [KeyValuePair.Create("assigneeId", supervisorId)]);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(supervisorId, (await factory.Database.FindCaseAsync(world.CaseId)).AssignedToId);
    }

    [Fact]
    public async Task Agent_CannotChangeOrDeleteAnotherUsersComment_ASupervisorMay()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        var supervisorId = await UserIdAsync(Roles.Supervisor);
        var comment = await factory.Database.NewCaseService().AddCommentAsync(world.CaseId, "Comentario del supervisor.", supervisorId);
        var agent = await factory.SharedSessionAsync(Principal.Agente);
        var supervisor = await factory.SharedSessionAsync(Principal.Supervisor);
        var before = await DbSnapshot.TakeAsync(factory.Database);

        using var edit = await agent.PostAsync($"/Cases/{world.CaseId}/Comments/{comment.Id}/Edit", [KeyValuePair.Create("Body", "Cambiado por el agente")]);
        using var delete = await agent.PostAsync($"/Cases/{world.CaseId}/Comments/{comment.Id}/Delete");

        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.NotEmpty((await edit.ReadHtmlAsync()).ValidationErrors());
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Empty(before.DifferencesFrom(await DbSnapshot.TakeAsync(factory.Database)));

        using var deleted = await supervisor.PostAsync($"/Cases/{world.CaseId}/Comments/{comment.Id}/Delete");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.False(await factory.InDbAsync(db => db.CaseComments.AnyAsync(c => c.Id == comment.Id)));
    }

    [Fact]
    public async Task Agent_CannotDeleteAnotherUsersAttachment_ASupervisorMay()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        var supervisorId = await UserIdAsync(Roles.Supervisor);
        var attachment = (await factory.Database.NewCaseService().AddAttachmentsAsync(world.CaseId, [UploadedFile.Of("informe.txt", FileContent)], supervisorId))[0];
        var agent = await factory.SharedSessionAsync(Principal.Agente);
        var supervisor = await factory.SharedSessionAsync(Principal.Supervisor);
        var before = await DbSnapshot.TakeAsync(factory.Database);

        using var refused = await agent.PostAsync($"/Cases/{world.CaseId}/Attachments/{attachment.Id}/Delete");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Empty(before.DifferencesFrom(await DbSnapshot.TakeAsync(factory.Database)));
        using var deleted = await supervisor.PostAsync($"/Cases/{world.CaseId}/Attachments/{attachment.Id}/Delete");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.False(await factory.InDbAsync(db => db.CaseAttachments.AnyAsync(a => a.Id == attachment.Id)));
    }

    /// <summary>
    /// An id in the URL is the one the action works on, whatever the body says: a form field named like a route
    /// parameter (a forged "contactId" or "id") must not replace it. design.md: "the contact comes from the route, never
    /// from a hidden field that the client can change unchecked".
    /// </summary>
    [Fact]
    public async Task AddCase_TakesTheContactFromTheRoute_NotFromAForgedFormField()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        var data = await factory.DataAsync();
        var otherContact = await data.ContactAsync();
        var agent = await factory.SharedSessionAsync(Principal.Agente);
        var form = await agent.Client.GetFormAsync($"/Contacts/{world.ContactId}/Cases/Create");
        var title = "Caso de ruta " + Guid.NewGuid().ToString("N")[..8];

        using var response = await form.Set("Title", title).Set("Description", "Descripción").Set("CategoryId", world.CategoryId)
            .Add("contactId", otherContact.Id).PostAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var contactOfCase = await factory.InDbAsync(db => db.Cases.Where(c => c.Title == title).Select(c => c.ContactId).SingleAsync());
        Assert.Equal(world.ContactId, contactOfCase);
    }

    /// <summary>
    /// For every POST with route parameters: the same request with each route parameter also sent as a form field
    /// naming a row that does not exist still answers as without it (the route value wins), instead of 404.
    /// </summary>
    [Fact]
    public async Task RouteParameters_WinOverFormFieldsOfTheSameName()
    {
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        var common = await SecurityWorld.CreateAsync(factory);
        var failures = new List<string>();
        foreach (var endpoint in ActionCatalog.All.Where(e => e.Verb == "POST" && e.Parameters.Count > 0))
        {
            var rule = AccessMatrix.Rules[endpoint.Key];
            var world = rule.Destructive ? await SecurityWorld.CreateAsync(factory) : common;
            var path = endpoint.Path(p => AccessMatrix.ValueOf(endpoint, p, world));
            var forged = (rule.Form?.Invoke(world) ?? []).Concat(endpoint.Parameters.Select(p => KeyValuePair.Create(p, AccessMatrix.MissingValueOf(p))));
            using var response = await admin.PostAsync(path, forged, file: rule.FileField is { } field ? (field, "nota.txt", FileContent) : null);
            output.WriteLine($"POST {path,-50} + forged {string.Join(",", endpoint.Parameters)} → {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                failures.Add($"{endpoint.Key}: a form field {string.Join("/", endpoint.Parameters)} replaced the id of the URL (answered 404)");
            }
        }

        Assert.True(failures.Count == 0, "Route ids must not be replaced by form fields:\n" + string.Join("\n", failures));
    }

    /// <summary>One request of the matrix; null when it answered as the matrix says, else what went wrong.</summary>
    private async Task<string?> ProbeAsync(ActionEndpoint endpoint, MatrixRule rule, string verb, Principal principal, TestSession session, SecurityWorld world)
    {
        var allowed = rule.Access.Allows(principal);
        var path = endpoint.Path(p => AccessMatrix.ValueOf(endpoint, p, world));
        var url = rule.Query is null ? path : $"{path}?{rule.Query(world)}";
        // Signing out changes the user's security stamp: do it as a user of its own, not as the shared demo user.
        using var own = endpoint.Key == LogoutKey && principal != Principal.Anonymous ? await OwnSessionAsync(principal) : null;
        var client = own ?? session;
        var checkDatabase = verb == "GET" || !allowed;
        var before = checkDatabase ? await DbSnapshot.TakeAsync(factory.Database) : null;

        using var response = verb switch
        {
            "GET" => await client.GetAsync(url),
            "POST" => await client.PostAsync(url, rule.Form?.Invoke(world), file: rule.FileField is { } field ? (field, "nota.txt", FileContent) : null),
            // The API's PUT (and any other method): no form, the same cookie or none.
            _ => await client.Client.SendAsync(new HttpRequestMessage(new HttpMethod(verb), url)),
        };
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var location = response.Headers.Location;
        var problems = new List<string>();
        var challenged = SecurityAssertions.IsSignInChallenge(location, out var returnUrl);

        if (rule.Access == Access.Api)
        {
            if (status != 401 || response.Headers.WwwAuthenticate.FirstOrDefault()?.Scheme != "Bearer")
            {
                problems.Add($"API: expected 401 with WWW-Authenticate: Bearer for a cookie or no credential, got {status}{(location is null ? "" : " → " + location)}");
            }
        }
        else if (allowed)
        {
            var expected = rule.AllowedStatuses ?? (verb == "GET" ? [200] : [200, 302]);
            if (!expected.Contains(status) || challenged)
            {
                problems.Add($"allowed: expected {string.Join(" or ", expected)}, got {status}{(location is null ? "" : " → " + location)}");
            }
        }
        else if (principal == Principal.Anonymous)
        {
            if (status != 302 || !challenged)
            {
                problems.Add($"anonymous: expected 302 to /Account/Login?ReturnUrl=…, got {status}{(location is null ? "" : " → " + location)}");
            }
            else if (returnUrl != url)
            {
                problems.Add($"anonymous: ReturnUrl is '{returnUrl}', not '{url}'");
            }
        }
        else
        {
            if (status != 403)
            {
                problems.Add($"refused: expected 403, got {status}{(location is null ? "" : " → " + location)}");
            }
            else if (!body.Contains("Acceso denegado", StringComparison.Ordinal))
            {
                problems.Add("refused: the 403 page does not say \"Acceso denegado\"");
            }
        }

        if (SecurityAssertions.InternalsIn(body) is { Count: > 0 } leaks)
        {
            problems.Add("the answer shows internals: " + string.Join(", ", leaks));
        }

        if (before is not null && before.DifferencesFrom(await DbSnapshot.TakeAsync(factory.Database)) is { Count: > 0 } changes)
        {
            problems.Add("the database changed: " + string.Join(" / ", changes));
        }

        var verdict = problems.Count == 0 ? "ok" : "FAIL";
        output.WriteLine($"{principal,-13} {verb,-4} {url,-58} → {status,3} {(allowed ? "allowed" : "refused"),-7} {verdict}");
        return problems.Count == 0 ? null : $"{verb} {url} [{endpoint.Key}] as {principal}: {string.Join("; ", problems)}";
    }

    private async Task<TestSession> OwnSessionAsync(Principal principal)
    {
        var (_, email, password) = await factory.CreateUserAsync(principal.Role());
        var session = factory.NewSession();
        await session.SignInAsync(email, password);
        return session;
    }

    private async Task<string> UserIdAsync(string role)
    {
        var email = DbInitializer.DemoUsers.Single(u => u.Role == role).Email;
        return await factory.InDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
    }

    /// <summary>
    /// Values that every form of the app would accept, so that only the missing id can make a request fail; none named
    /// like a route parameter of <paramref name="endpoint"/> (see RouteParameters_WinOverFormFieldsOfTheSameName).
    /// </summary>
    private static List<KeyValuePair<string, string>> PlausibleForm(SecurityWorld world, ActionEndpoint endpoint)
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        List<KeyValuePair<string, string>> values =
        [
            KeyValuePair.Create("Title", "Título " + unique),
            KeyValuePair.Create("Description", "Descripción"),
            KeyValuePair.Create("CategoryId", world.CategoryId.ToString(CultureInfo.InvariantCulture)),
            KeyValuePair.Create("Status", "New"),
            KeyValuePair.Create("Resolution", "Resuelto"),
            KeyValuePair.Create("Body", "Texto del comentario"),
            KeyValuePair.Create("Name", "Nombre " + unique),
            KeyValuePair.Create("FirstName", "Ana"),
            KeyValuePair.Create("LastName", "Prueba " + unique),
            KeyValuePair.Create("DisplayName", "Usuario " + unique),
            KeyValuePair.Create("Email", $"u{unique}@casecrm.test"),
            KeyValuePair.Create("Roles", Roles.Agent),
            KeyValuePair.Create("Password", "una-clave-larga"),
            KeyValuePair.Create("active", "false"),
            KeyValuePair.Create("childId", world.OtherCaseId.ToString(CultureInfo.InvariantCulture)),
            KeyValuePair.Create("assigneeId", ""),
        ];
        return values.Where(v => !endpoint.Parameters.Contains(v.Key, StringComparer.OrdinalIgnoreCase)).ToList();
    }
}
