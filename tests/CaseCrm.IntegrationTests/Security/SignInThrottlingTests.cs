using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// Guessing is slowed per client address (10 sign-in POSTs a minute, then 429 with Retry-After), and a stranger's
/// flood cannot lock an account: the lockout needs more failures than one address may send (docs/security.md).
/// </summary>
public sealed class SignInThrottlingTests(ThrottledSecurityFactory factory, ITestOutputHelper output) : IClassFixture<ThrottledSecurityFactory>
{
    private const int PermitLimit = 10;

    [Fact]
    public async Task TheEleventhSignInFromOneAddress_Answers429WithRetryAfter_InTheUsersLanguage_OtherAddressesGoOn()
    {
        var (_, email, password) = await factory.CreateUserAsync(Roles.Agent);
        using var attacker = From(factory.NewSession(), "203.0.113.11");
        for (var attempt = 1; attempt <= PermitLimit; attempt++)
        {
            using var failed = await attacker.Client.SignInAsync(email, "adivinando-" + attempt);
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var refused = await attacker.Client.SignInAsync(email, password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta ?? throw new InvalidOperationException("No Retry-After.");
        output.WriteLine($"Retry-After: {retryAfter.TotalSeconds} s");
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var page = await refused.ReadHtmlAsync();
        Assert.Contains("Demasiados intentos", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(refused.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.FirstOrDefault(c => c.StartsWith(TestSession.AuthCookie, StringComparison.Ordinal)) : null);

        // Pages other than the sign-in POST, and other addresses, are not limited.
        using (var form = await attacker.GetAsync("/Account/Login"))
        {
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        }

        using var colleague = From(factory.NewSession(), "203.0.113.12");
        await colleague.SignInAsync(email, password);
    }

    [Fact]
    public async Task AFloodFromOneAddress_CannotLockTheAdministratorOut()
    {
        var (id, email, password) = await factory.CreateUserAsync(Roles.Administrator);
        using var attacker = From(factory.NewSession(), "198.51.100.7");
        var answers = new List<HttpStatusCode>();
        for (var attempt = 1; attempt <= 3 * PermitLimit; attempt++)
        {
            using var response = await attacker.Client.SignInAsync(email, "adivinando-" + attempt);
            answers.Add(response.StatusCode);
        }

        Assert.Equal(PermitLimit, answers.Count(a => a == HttpStatusCode.OK));
        Assert.Equal(2 * PermitLimit, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        Assert.Null(await factory.InDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.LockoutEnd).SingleAsync()));

        using var administrator = From(factory.NewSession(), "192.0.2.20");
        await administrator.SignInAsync(email, password);
        using var users = await administrator.GetAsync("/Users");
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
    }

    private static TestSession From(TestSession session, string address)
    {
        session.Client.DefaultRequestHeaders.Add(ClientAddressFromHeader.Header, address);
        return session;
    }
}
