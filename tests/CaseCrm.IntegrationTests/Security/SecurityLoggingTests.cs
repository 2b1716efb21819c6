using System.Globalization;
using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.Data.Sqlite;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.Account;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Serilog.Events;
using Serilog.Formatting.Display;
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
        for (var i = 0; i <= factory.LockoutThreshold; i++)
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
        for (var i = 0; i <= factory.LockoutThreshold; i++)
        {
            (await attacker.Client.SignInAsync(locked.Email, Secret("fuerza-bruta"))).Dispose();
        }

        var log = factory.Logs.TextSince(since);
        Assert.NotEmpty(log);
        var leaks = secrets.SelectMany(s => log.Where(line => line.Contains(s, StringComparison.Ordinal)).Select(line => $"{s[..Math.Min(12, s.Length)]}… in: {line}")).ToList();
        output.WriteLine($"{log.Count} log events, {secrets.Count} secrets, {leaks.Count} leaks.");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    [Fact]
    public async Task AnEmailWithALineBreak_CannotForgeALogLine_InAnySink()
    {
        var since = DateTimeOffset.UtcNow;
        const string Forged = "[18:00:00 INF] User 1 signed in";
        using var session = factory.NewSession();

        (await session.Client.SignInAsync($"nadie@casecrm.test\r\n{Forged}\u2028\u001b[2K", "no-es-la-clave")).Dispose();
        (await session.GetAsync("/Account/Login?returnUrl=%0D%0A" + Uri.EscapeDataString(Forged))).Dispose();
        // The request log writes the (decoded) path.
        (await session.GetAsync("/Account/Nada%0D%0A" + Uri.EscapeDataString(Forged))).Dispose();

        var events = factory.Logs.Since(since);
        Assert.Contains(events, e => e.MessageTemplate.Text.StartsWith("Failed sign-in", StringComparison.Ordinal));
        Assert.Contains(events, e => IsRequestLog(e) && Property(e, "RequestPath")!.StartsWith("/Account/Nada", StringComparison.Ordinal));
        // The console's own output template: one event, one line (the forged text stays inside it, escaped).
        var console = new MessageTemplateTextFormatter("[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}", CultureInfo.InvariantCulture);
        foreach (var e in events)
        {
            var text = new StringWriter(CultureInfo.InvariantCulture);
            console.Format(e, text);
            var line = text.ToString();
            output.WriteLine(line.TrimEnd());
            Assert.DoesNotContain(line.TrimEnd('\r', '\n').ToCharArray(), c => char.IsControl(c) || c is '\u2028' or '\u2029');
        }
    }

    [Fact]
    public async Task AFailedSignIn_LogsTheEmailOnlyWhenItBelongsToAnAccount_OtherwiseAHash()
    {
        var since = DateTimeOffset.UtcNow;
        var user = await factory.CreateUserAsync(Roles.Agent);
        // A password typed in the email field: it must not reach the log.
        var typed = $"mi-clave-secreta-{Guid.NewGuid():N}";
        using var session = factory.NewSession();

        (await session.Client.SignInAsync(typed, "lo-que-sea")).Dispose();
        (await session.Client.SignInAsync(" " + user.Email.ToUpperInvariant() + " ", "no-es-la-clave")).Dispose();

        var log = factory.Logs.TextSince(since);
        Assert.DoesNotContain(log, line => line.Contains(typed, StringComparison.OrdinalIgnoreCase));
        var events = factory.Logs.Since(since);
        var unknown = Single(events, "Failed sign-in", "EmailHash", AccountController.EmailHash(typed));
        Assert.Equal(12, Property(unknown, "EmailHash")!.Length);
        Assert.False(unknown.Properties.ContainsKey("Email"));
        var known = Single(events, "Failed sign-in", "Email", user.Email);
        Assert.Equal(user.Id, Property(known, "UserId"));
    }

    [Fact]
    public async Task ARequestTheClientAborted_IsLoggedAsCancelled_NeverAsAnError()
    {
        var session = await factory.SharedSessionAsync(Principal.Agente);
        var cookie = $"{TestSession.AuthCookie}={session.Cookie(TestSession.AuthCookie)}";
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        var since = DateTimeOffset.UtcNow;

        try
        {
            // The contact list passes RequestAborted to its queries, as a client closing the connection would cancel it.
            await factory.Server.SendAsync(context =>
            {
                context.Request.Method = HttpMethods.Get;
                context.Request.Path = "/Contacts";
                context.Request.Headers.Cookie = cookie;
                context.RequestAborted = aborted.Token;
            });
        }
        catch (OperationCanceledException)
        {
            // The test server may hand the cancellation back to the client: it is the log that matters.
        }

        var events = factory.Logs.Since(since);
        foreach (var e in events)
        {
            output.WriteLine(LogCapture.Render(e));
        }

        Assert.DoesNotContain(events, e => e.Level >= LogEventLevel.Error);
        var request = Assert.Single(events, e => IsRequestLog(e) && Property(e, "RequestPath") == "/Contacts");
        Assert.Equal(LogEventLevel.Information, request.Level);
        Assert.Equal("499", Property(request, "StatusCode"));
    }

    [Fact]
    public async Task AWriteTheClientAbortedBeforeItsCommit_IsRolledBack_AndNoErrorIsLogged()
    {
        var data = await factory.DataAsync();
        var session = await factory.SharedSessionAsync(Principal.Agente, "abort-write");
        var title = "Abortado " + Guid.NewGuid().ToString("N")[..8];
        var form = (await session.Client.GetFormAsync($"/Contacts/{data.Contact.Id}/Cases/Create"))
            .Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "El cliente cerró la página al guardar.");
        using var client = new CancellationTokenSource();
        factory.CommitAborter.Arm(client);
        var since = DateTimeOffset.UtcNow;

        try
        {
            using var response = await form.PostAsync(ct: client.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up: it is what the server logged and wrote that matters.
        }

        var events = factory.Logs.Since(since);
        foreach (var e in events)
        {
            output.WriteLine(LogCapture.Render(e));
        }

        Assert.True(client.IsCancellationRequested, "the commit was never reached");
        Assert.False(await factory.InDbAsync(db => db.Cases.AnyAsync(c => c.Title == title)));
        Assert.DoesNotContain(events, e => e.Level >= LogEventLevel.Error);
        var request = Assert.Single(events, e => IsRequestLog(e) && Property(e, "RequestPath") == $"/Contacts/{data.Contact.Id}/Cases/Create");
        Assert.Equal(LogEventLevel.Information, request.Level);
        Assert.Equal("499", Property(request, "StatusCode"));
    }

    /// <summary>
    /// A form sent twice (a double click, a resent page): the second insert is refused by the submission key's unique index
    /// and answered with the first case (ADR 0014). That is the app working, not an error: nothing is logged at Error.
    /// </summary>
    [Fact]
    public async Task ACreateFormSentTwice_MakesOneCase_AndNoErrorIsLogged()
    {
        var data = await factory.DataAsync();
        var session = await factory.SharedSessionAsync(Principal.Agente, "sent-twice");
        var title = "Dos veces " + Guid.NewGuid().ToString("N")[..8];
        var form = (await session.Client.GetFormAsync($"/Contacts/{data.Contact.Id}/Cases/Create"))
            .Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "Doble clic en Guardar.");
        var since = DateTimeOffset.UtcNow;

        using (var first = await form.PostAsync())
        using (var second = await form.PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        }

        var events = factory.Logs.Since(since);
        foreach (var e in events)
        {
            output.WriteLine(LogCapture.Render(e));
        }

        Assert.Equal(1, await factory.InDbAsync(db => db.Cases.CountAsync(c => c.Title == title)));
        Assert.DoesNotContain(events, e => e.Level >= LogEventLevel.Error);
    }

    /// <summary>
    /// A create the client abandons while it writes, before or after each statement of its transaction: nothing is written,
    /// and the write line of SQLite (<see cref="SqliteWriteGate"/>) is free once the request has ended, so the next writer
    /// goes straight in. (The path that did keep a place under load, a connection the context pool closes without EF's
    /// interception, is reproduced by <c>SqliteWriteGateTests</c>; these aborts were already handled.)
    /// </summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public async Task AWriteTheClientAbortedMidway_IsRolledBack_AndTheWriteLineIsFreeAfterIt(int abortedAt, bool afterIt)
    {
        var data = await factory.DataAsync();
        var session = await factory.SharedSessionAsync(Principal.Agente, "abort-midway");
        var title = "A medias " + Guid.NewGuid().ToString("N")[..8];
        var form = (await session.Client.GetFormAsync($"/Contacts/{data.Contact.Id}/Cases/Create"))
            .Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "El cliente cerró la página al guardar.");
        using var client = new CancellationTokenSource();
        factory.CommandAborter.Arm(client, abortedAt, afterIt);
        var since = DateTimeOffset.UtcNow;
        try
        {
            using var response = await form.PostAsync(ct: client.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up: it is what the server did that matters.
        }

        Assert.True(client.IsCancellationRequested, $"the create ran fewer than {abortedAt} commands in its transaction");
        var path = $"/Contacts/{data.Contact.Id}/Cases/Create";
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (!factory.Logs.Since(since).Any(e => IsRequestLog(e) && Property(e, "RequestPath") == path) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Contains(factory.Logs.Since(since), e => IsRequestLog(e) && Property(e, "RequestPath") == path && Property(e, "StatusCode") == "499");
        Assert.False(await factory.InDbAsync(db => db.Cases.AnyAsync(c => c.Title == title)));
        Assert.True(SqliteWriteGate.IsFree(new SqliteConnectionStringBuilder(factory.Database.ConnectionString).DataSource), "the aborted request kept its place in SQLite's write line");
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
