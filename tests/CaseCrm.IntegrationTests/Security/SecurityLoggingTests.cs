using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Serilog.Events;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// The security log (design.md: "Logs record sign-ins, failures and denied actions with user and time; never passwords
/// or tokens"), read from the app's own Serilog pipeline through a sink added in ConfigureTestServices.
/// </summary>
public sealed class SecurityLoggingTests(SqliteSecurityFactory factory, ITestOutputHelper output) : IClassFixture<SqliteSecurityFactory>
{
    [Fact]
    public async Task SignIns_Failures_Lockouts_AndRefusals_AreLoggedWithUserAndTime()
    {
        var since = DateTimeOffset.UtcNow;
        var user = await factory.CreateUserAsync(Roles.Agent);
        using var session = factory.NewSession();

        (await session.Client.SignInAsync(user.Email, "no-es-la-clave-1")).Dispose();
        await session.SignInAsync(user.Email, user.Password);
        using (var refused = await session.GetAsync("/Users"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var refusedPost = await session.PostAsync("/Categories", [KeyValuePair.Create("Name", "Intrusa")]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refusedPost.StatusCode);
        }

        var locked = await factory.CreateUserAsync(Roles.Agent);
        using var attacker = factory.NewSession();
        for (var i = 0; i < 6; i++)
        {
            (await attacker.Client.SignInAsync(locked.Email, "adivinando-" + i)).Dispose();
        }

        var events = factory.Logs.Since(since);
        foreach (var e in events.Where(e => e.Level >= LogEventLevel.Information && !IsRequestLog(e)))
        {
            output.WriteLine(LogCapture.Render(e));
        }

        var signedIn = Single(events, "signed in", "UserId", user.Id);
        var failed = Single(events, "Failed sign-in", "Email", user.Email);
        var deniedGet = Single(events, "Access denied", "User", user.Email, e => Property(e, "Path") == "/Users");
        var deniedPost = Single(events, "Access denied", "User", user.Email, e => Property(e, "Path") == "/Categories" && Property(e, "Method") == "POST");
        var lockedOut = events.Where(e => e.MessageTemplate.Text.Contains("locked-out", StringComparison.Ordinal) && Property(e, "UserId") == locked.Id).ToList();
        Assert.NotEmpty(lockedOut);
        Assert.Equal(LogEventLevel.Warning, failed.Level);
        Assert.Equal(LogEventLevel.Warning, deniedGet.Level);
        foreach (var e in new[] { signedIn, failed, deniedGet, deniedPost, lockedOut[0] })
        {
            Assert.InRange(e.Timestamp, since.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        }
    }

    [Fact]
    public async Task NoPasswordOrToken_EverReachesTheLog()
    {
        var since = DateTimeOffset.UtcNow;
        var secrets = new List<string>();
        string Secret(string name)
        {
            var value = $"{name}-{Guid.NewGuid():N}";
            secrets.Add(value);
            return value;
        }

        // Sign-in with a wrong and then the right password; a sign-in for nobody; a lockout.
        var user = await factory.CreateUserAsync(Roles.Agent, password: Secret("clave-inicial"));
        using var session = factory.NewSession();
        (await session.Client.SignInAsync(user.Email, Secret("clave-equivocada"))).Dispose();
        (await session.Client.SignInAsync("nadie@casecrm.test", Secret("clave-de-nadie"))).Dispose();
        await session.SignInAsync(user.Email, user.Password);
        secrets.Add(session.Cookie(TestSession.AuthCookie)!);
        secrets.Add(session.Cookie(TestSession.AntiforgeryCookie)!);
        secrets.Add(await session.TokenAsync());

        // Changing one's password, an administrator creating a user and resetting a password.
        var change = await session.Client.GetFormAsync("/Account/ChangePassword");
        (await change.Set("CurrentPassword", user.Password).Set("NewPassword", Secret("clave-nueva")).PostAsync()).Dispose();
        var tooShort = await session.Client.GetFormAsync("/Account/ChangePassword");
        (await tooShort.Set("CurrentPassword", Secret("actual-falsa")).Set("NewPassword", "corta").PostAsync()).Dispose();
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        var create = await admin.Client.GetFormAsync("/Users/Create", "#user-form");
        (await create.Set("DisplayName", "Usuario del registro").Set("Email", $"log-{Guid.NewGuid():N}@casecrm.test")
            .Set("Password", Secret("clave-creada")).SetAll("Roles", [Roles.Agent]).PostAsync()).Dispose();
        var reset = await admin.Client.GetFormAsync($"/Users/{user.Id}/Password");
        (await reset.Set("Password", Secret("clave-restablecida")).PostAsync()).Dispose();

        var locked = await factory.CreateUserAsync(Roles.Agent);
        using var attacker = factory.NewSession();
        for (var i = 0; i < 6; i++)
        {
            (await attacker.Client.SignInAsync(locked.Email, Secret("fuerza-bruta"))).Dispose();
        }

        var log = factory.Logs.TextSince(since);
        Assert.NotEmpty(log);
        var leaks = secrets.SelectMany(s => log.Where(line => line.Contains(s, StringComparison.Ordinal)).Select(line => $"{s[..Math.Min(12, s.Length)]}… in: {line}")).ToList();
        output.WriteLine($"{log.Count} log events, {secrets.Count} secrets, {leaks.Count} leaks.");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private static bool IsRequestLog(LogEvent e) => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal);

    private static string? Property(LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) ? (value as ScalarValue)?.Value?.ToString() ?? value.ToString() : null;

    private static LogEvent Single(IReadOnlyList<LogEvent> events, string text, string property, string value, Func<LogEvent, bool>? also = null)
    {
        var matching = events.Where(e => e.MessageTemplate.Text.Contains(text, StringComparison.Ordinal) && Property(e, property) == value && (also?.Invoke(e) ?? true)).ToList();
        Assert.True(matching.Count >= 1, $"No log event '{text}' with {property}={value}.");
        return matching[0];
    }
}
