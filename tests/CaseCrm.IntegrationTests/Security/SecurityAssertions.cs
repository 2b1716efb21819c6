using Microsoft.AspNetCore.WebUtilities;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>Checks shared by the security tests.</summary>
public static class SecurityAssertions
{
    /// <summary>Text that only an exception page, a stack trace or a leaked internal would put in a response.</summary>
    private static readonly string[] InternalMarkers =
    [
        "Exception", "   at ", " at CaseCrm.", " at Microsoft.", ".cs:line", "StackTrace", "Stack trace", "stack trace",
        "SqliteException", "NpgsqlException", "Microsoft.EntityFrameworkCore", "System.", "SELECT ", "Data Source=",
        FailingCommandInterceptor.SecretMessage, "s3cr3t-del-servidor", "SecretTable", "db.internal",
    ];

    /// <summary>The markers of internals found in <paramref name="body"/> (empty when it reveals none).</summary>
    public static IReadOnlyList<string> InternalsIn(string body) =>
        InternalMarkers.Where(m => body.Contains(m, StringComparison.Ordinal)).ToList();

    /// <summary>True when <paramref name="location"/> is the sign-in challenge: /Account/Login with a ReturnUrl.</summary>
    public static bool IsSignInChallenge(Uri? location, out string? returnUrl)
    {
        returnUrl = null;
        if (location is null)
        {
            return false;
        }

        var absolute = location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost/"), location);
        if (absolute.AbsolutePath != "/Account/Login")
        {
            return false;
        }

        var query = QueryHelpers.ParseQuery(absolute.Query);
        if (!query.TryGetValue("ReturnUrl", out var value))
        {
            return false;
        }

        returnUrl = value.ToString();
        return true;
    }

    /// <summary>The path of a redirect's Location ("/Account/Login" for "http://localhost/Account/Login?x=1").</summary>
    public static string? PathOf(Uri? location) =>
        location is null ? null : (location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost/"), location)).AbsolutePath;
}
