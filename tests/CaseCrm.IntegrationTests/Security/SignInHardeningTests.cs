using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// Sign-in hardening (design.md "Security"): lockout after 5 failures, the cookie's flags and idle timeout, sessions
/// that end when their user signs out, changes password, gets a new password or is disabled (the security stamp is
/// checked every minute: the tests move the validator's clock instead of waiting), and passwords of 8 to 128 characters
/// without composition rules.
/// </summary>
public sealed class SignInHardeningTests(SqliteSecurityFactory factory, ITestOutputHelper output) : IClassFixture<SqliteSecurityFactory>
{
    private const string FailedMessage = "El correo o la contraseña no son correctos.";
    private const string LockedOutMessage = "La cuenta está bloqueada temporalmente por demasiados intentos fallidos. Inténtelo más tarde.";
    private const string PasswordLengthMessage = "Entre 8 y 128 caracteres, cualesquiera.";

    /// <summary>Past the one-minute interval of the security-stamp check.</summary>
    private static readonly TimeSpan PastTheCheckInterval = TimeSpan.FromSeconds(61);

    [Fact]
    public async Task TheConfiguredNumberOfFailures_LocksTheAccount_TheNextSignInWithTheRightPasswordIsRefused()
    {
        var (id, email, password) = await factory.CreateUserAsync(Roles.Agent);
        using var session = factory.NewSession();
        var threshold = factory.LockoutThreshold;
        Assert.Equal(20, threshold);

        for (var attempt = 1; attempt <= threshold; attempt++)
        {
            using var failed = await session.Client.SignInAsync(email, "contraseña-equivocada");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            var errors = (await failed.ReadHtmlAsync()).ValidationErrors();
            // The last failure is the one that locks: from then on the page says so.
            Assert.Equal([attempt < threshold ? FailedMessage : LockedOutMessage], errors);
        }

        using var next = await session.Client.SignInAsync(email, password);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal([LockedOutMessage], (await next.ReadHtmlAsync()).ValidationErrors());
        Assert.Null(AuthCookieSetBy(next));
        var lockoutEnd = await factory.InDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.LockoutEnd).SingleAsync());
        // One minute (SignIn:LockoutDuration): long enough to slow guessing, too short to be a weapon (docs/security.md).
        Assert.InRange(lockoutEnd!.Value, DateTimeOffset.UtcNow.AddSeconds(30), DateTimeOffset.UtcNow.AddSeconds(61));
        using var stillAnonymous = await session.GetAsync("/Cases");
        Assert.True(SecurityAssertions.IsSignInChallenge(stillAnonymous.Headers.Location, out _));
    }

    [Fact]
    public async Task FewerFailuresThanTheThreshold_ThenTheRightPassword_SignsInAndResetsTheCount()
    {
        var (id, email, password) = await factory.CreateUserAsync(Roles.Agent);
        using var session = factory.NewSession();
        for (var attempt = 1; attempt < factory.LockoutThreshold; attempt++)
        {
            using var failed = await session.Client.SignInAsync(email, "contraseña-equivocada");
            Assert.Equal([FailedMessage], (await failed.ReadHtmlAsync()).ValidationErrors());
        }

        await session.SignInAsync(email, password);

        Assert.Equal(0, await factory.InDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.AccessFailedCount).SingleAsync()));
    }

    [Fact]
    public async Task AnUnknownEmail_CostsAPasswordCheck_AsAKnownEmailWithAWrongPasswordDoes()
    {
        var (_, email, _) = await factory.CreateUserAsync(Roles.Agent);
        var inactive = await factory.CreateUserAsync(Roles.Agent);
        await factory.InDbAsync(db => db.Users.Where(u => u.Id == inactive.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false)));
        using var session = factory.NewSession();

        async Task<int> ChecksOfASignInAsync(string typedEmail)
        {
            var form = await session.Client.GetFormAsync("/Account/Login");
            var before = factory.PasswordChecks.Count;
            using var response = await form.Set("Email", typedEmail).Set("Password", "contraseña-equivocada").PostAsync();
            Assert.Equal([FailedMessage], (await response.ReadHtmlAsync()).ValidationErrors());
            return factory.PasswordChecks.Count - before;
        }

        var known = await ChecksOfASignInAsync(email);
        var unknown = await ChecksOfASignInAsync($"nadie-{Guid.NewGuid():N}@casecrm.test");
        var disabled = await ChecksOfASignInAsync(inactive.Email);

        output.WriteLine($"password checks: known {known}, unknown {unknown}, disabled {disabled}");
        // The same work, hence about the same time, whether or not the email belongs to an (active) account.
        Assert.Equal(1, known);
        Assert.Equal(known, unknown);
        Assert.Equal(known, disabled);
    }

    [Fact]
    public async Task TheSignInCookie_IsHttpOnly_SameSiteLax_AndEndsAfterEightIdleHours()
    {
        var (_, email, password) = await factory.CreateUserAsync(Roles.Agent);
        using var session = factory.NewSession();

        using var response = await session.Client.SignInAsync(email, password);

        var cookie = AuthCookieSetBy(response) ?? throw new InvalidOperationException("No sign-in cookie.");
        output.WriteLine(cookie[..Math.Min(cookie.Length, 30)] + "…" + cookie[cookie.IndexOf(';', StringComparison.Ordinal)..]);
        var attributes = Attributes(cookie);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("path=/", attributes);
        // "Keep me signed in" unticked: a session cookie.
        Assert.DoesNotContain(attributes, a => a.StartsWith("expires=", StringComparison.Ordinal));

        var options = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        Assert.Equal(TimeSpan.FromHours(8), options.ExpireTimeSpan);
        Assert.True(options.SlidingExpiration);
        Assert.True(options.Cookie.HttpOnly);
        // Development (this app) follows the request; every other environment sends it over HTTPS only (ProductionConfigurationTests).
        Assert.Equal(CookieSecurePolicy.SameAsRequest, options.Cookie.SecurePolicy);
        var stamp = factory.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(1), stamp.ValidationInterval);
        var antiforgery = factory.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        Assert.True(antiforgery.Cookie.HttpOnly);
    }

    [Fact]
    public async Task KeepMeSignedIn_GivesACookieThatExpiresInEightHours()
    {
        var (_, email, password) = await factory.CreateUserAsync(Roles.Agent);
        using var session = factory.NewSession();
        var form = await session.Client.GetFormAsync("/Account/Login");

        using var response = await form.Set("Email", email).Set("Password", password).Set("RememberMe", true).PostAsync();

        var expires = AuthCookieSetBy(response)!.Split(';').Select(a => a.Trim())
            .Single(a => a.StartsWith("expires=", StringComparison.OrdinalIgnoreCase))["expires=".Length..];
        var when = DateTimeOffset.Parse(expires, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(when, DateTimeOffset.UtcNow.AddHours(8).AddMinutes(-2), DateTimeOffset.UtcNow.AddHours(8).AddMinutes(2));
    }

    [Fact]
    public async Task ACookieReplayedAfterSignOut_IsRefused_AnotherUsersSessionGoesOn()
    {
        var user = await factory.CreateUserAsync(Roles.Agent);
        var bystander = await factory.CreateUserAsync(Roles.Agent);
        using var session = await SignedInAsync(user);
        using var other = await SignedInAsync(bystander);
        var stolen = session.Cookie(TestSession.AuthCookie)!;

        using (var signOut = await session.PostAsync("/Account/Logout"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            Assert.Equal("/Account/Login", SecurityAssertions.PathOf(signOut.Headers.Location));
        }

        factory.StampClock.Advance(PastTheCheckInterval);
        using var replay = factory.NewSession();
        replay.SetCookie(TestSession.AuthCookie, stolen);

        await ExpectSignedOutAsync(replay);
        await ExpectSignedInAsync(other);
    }

    [Fact]
    public async Task DisablingAUser_EndsTheirSessions_AndTheyCannotSignInAgain()
    {
        var user = await factory.CreateUserAsync(Roles.Agent);
        using var session = await SignedInAsync(user);
        var admin = await factory.SharedSessionAsync(Principal.Administrador);

        using (var disable = await admin.PostAsync($"/Users/{user.Id}/Active", [KeyValuePair.Create("active", "false")]))
        {
            Assert.Equal(HttpStatusCode.Redirect, disable.StatusCode);
        }

        factory.StampClock.Advance(PastTheCheckInterval);
        await ExpectSignedOutAsync(session);
        using var again = factory.NewSession();
        using var refused = await again.Client.SignInAsync(user.Email, user.Password);
        Assert.Equal([FailedMessage], (await refused.ReadHtmlAsync()).ValidationErrors());
        Assert.Null(AuthCookieSetBy(refused));
    }

    [Fact]
    public async Task ChangingOnesPassword_EndsTheOtherSessions_ButNotThisOne()
    {
        var user = await factory.CreateUserAsync(Roles.Agent);
        using var here = await SignedInAsync(user);
        using var elsewhere = await SignedInAsync(user);
        const string newPassword = "otra frase que sirve de clave";

        var form = await here.Client.GetFormAsync("/Account/ChangePassword");
        using (var changed = await form.Set("CurrentPassword", user.Password).Set("NewPassword", newPassword).PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        factory.StampClock.Advance(PastTheCheckInterval);
        await ExpectSignedInAsync(here);
        await ExpectSignedOutAsync(elsewhere);
        using var old = factory.NewSession();
        using var refused = await old.Client.SignInAsync(user.Email, user.Password);
        Assert.Equal([FailedMessage], (await refused.ReadHtmlAsync()).ValidationErrors());
        using var fresh = await SignedInAsync(user with { Password = newPassword });
    }

    [Fact]
    public async Task AnAdministratorResettingAPassword_EndsTheUsersSessions()
    {
        var user = await factory.CreateUserAsync(Roles.Agent);
        using var session = await SignedInAsync(user);
        var admin = await factory.SharedSessionAsync(Principal.Administrador);

        var form = await admin.Client.GetFormAsync($"/Users/{user.Id}/Password");
        using (var reset = await form.Set("Password", "clave puesta por la administradora").PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        }

        factory.StampClock.Advance(PastTheCheckInterval);
        await ExpectSignedOutAsync(session);
    }

    [Theory]
    [InlineData(8, 'a')]
    [InlineData(9, 'ñ')]
    [InlineData(64, ' ')]
    [InlineData(128, 'z')]
    public async Task Passwords_Of8To128Characters_AreAccepted_WithoutCompositionRules(int length, char filler)
    {
        // Only lower case letters (or spaces): no digit, capital or symbol is demanded.
        var password = ("x" + new string(filler, length - 2) + "y")[..length];
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        var email = $"len{length}-{Guid.NewGuid():N}@casecrm.test";

        var form = await admin.Client.GetFormAsync("/Users/Create", "#user-form");
        using var created = await form.Set("DisplayName", $"Usuario {length}").Set("Email", email).Set("Password", password)
            .SetAll("Roles", [Roles.Agent]).PostAsync();

        Assert.True(created.StatusCode == HttpStatusCode.Redirect, string.Join(" ", (await created.ReadHtmlAsync()).ValidationErrors()));
        using var session = factory.NewSession();
        await session.SignInAsync(email, password);

        // And as one's own new password.
        var change = await session.Client.GetFormAsync("/Account/ChangePassword");
        var next = new string('q', length);
        using var changed = await change.Set("CurrentPassword", password).Set("NewPassword", next).PostAsync();
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(129)]
    [InlineData(0)]
    public async Task Passwords_Of7Or129Characters_AreRefused(int length)
    {
        var password = new string('k', length);
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        var email = $"len{length}-{Guid.NewGuid():N}@casecrm.test";

        var form = await admin.Client.GetFormAsync("/Users/Create", "#user-form");
        using var refused = await form.Set("DisplayName", "Usuario").Set("Email", email).Set("Password", password)
            .SetAll("Roles", [Roles.Agent]).PostAsync();

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(PasswordLengthMessage, (await refused.ReadHtmlAsync()).FieldError("Password"));
        Assert.False(await factory.InDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));

        // Neither as one's own new password, nor as a reset by an administrator.
        var user = await factory.CreateUserAsync(Roles.Agent);
        using var session = await SignedInAsync(user);
        var change = await session.Client.GetFormAsync("/Account/ChangePassword");
        using var notChanged = await change.Set("CurrentPassword", user.Password).Set("NewPassword", password).PostAsync();
        Assert.Equal(HttpStatusCode.OK, notChanged.StatusCode);
        Assert.Equal(PasswordLengthMessage, (await notChanged.ReadHtmlAsync()).FieldError("NewPassword"));

        var reset = await admin.Client.GetFormAsync($"/Users/{user.Id}/Password");
        using var notReset = await reset.Set("Password", password).PostAsync();
        Assert.Equal(HttpStatusCode.OK, notReset.StatusCode);
        Assert.Equal(PasswordLengthMessage, (await notReset.ReadHtmlAsync()).FieldError("Password"));
        using var stillOld = await SignedInAsync(user);
    }

    private async Task<TestSession> SignedInAsync((string Id, string Email, string Password) user)
    {
        var session = factory.NewSession();
        await session.SignInAsync(user.Email, user.Password);
        return session;
    }

    private static async Task ExpectSignedOutAsync(TestSession session)
    {
        using var response = await session.GetAsync("/Cases");
        Assert.True(SecurityAssertions.IsSignInChallenge(response.Headers.Location, out _),
            $"Expected the sign-in page, got {(int)response.StatusCode} {response.Headers.Location}");
    }

    private static async Task ExpectSignedInAsync(TestSession session)
    {
        using var response = await session.GetAsync("/Cases");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The Set-Cookie header that sets the sign-in cookie (not one that deletes it), or null.</summary>
    public static string? AuthCookieSetBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith(TestSession.AuthCookie + "=", StringComparison.Ordinal) && !c.StartsWith(TestSession.AuthCookie + "=;", StringComparison.Ordinal))
            : null;

    /// <summary>A Set-Cookie header's attributes, lower case: "httponly", "samesite=lax", "expires=…".</summary>
    public static IReadOnlyList<string> Attributes(string setCookie) =>
        setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
}
