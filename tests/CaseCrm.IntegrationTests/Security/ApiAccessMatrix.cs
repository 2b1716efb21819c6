using System.Globalization;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>Who may use an API endpoint with a valid token of an active user (the pages' rights, design.md "Who uses it").</summary>
public enum ApiAccess
{
    /// <summary>Any token: Agente, Supervisor, Administrador.</summary>
    AnyToken,

    /// <summary>Supervisor and Administrador (the page action's <c>Policies.ManageCases</c> or the like).</summary>
    SupervisorOrAdmin,

    /// <summary>Administrador only.</summary>
    Administrator,
}

/// <summary>Who sends an API request of the matrix.</summary>
public enum ApiCaller
{
    Anonymous,
    AgentToken,
    SupervisorToken,
    AdministratorToken,

    /// <summary>An administrator's revoked token.</summary>
    RevokedToken,

    /// <summary>An administrator's expired token.</summary>
    ExpiredToken,

    /// <summary>A token of an administrator who has been disabled.</summary>
    DisabledUsersToken,

    /// <summary>An administrator's sign-in cookie, and no token.</summary>
    SignInCookieOnly,
}

/// <summary>
/// One row of the API matrix: who may, why, and what the probe sends (a query string, a JSON body). An allowed request
/// answers anything but 401, 403 or a server error (a body the probe did not fill in is a 422, a missing If-Match a 428).
/// </summary>
public sealed record ApiRule(ApiAccess Access, string Why)
{
    /// <summary>A query string for the probe, without "?".</summary>
    public Func<SecurityWorld, string>? Query { get; init; }

    /// <summary>The JSON body of the probe (default: <c>{}</c> for anything but GET).</summary>
    public Func<SecurityWorld, object>? Body { get; init; }

    /// <summary>An allowed request removes or re-links rows that other probes read: it gets rows of its own.</summary>
    public bool Destructive { get; init; }
}

/// <summary>
/// THE API authorization matrix: every endpoint under /api, by its route (<c>VERB /api/v1/...</c>, as the access matrix
/// names actions), and who may use it with a token. <c>ApiAccessMatrixTests</c> fails for an /api endpoint without a row
/// here, and probes every row as every <see cref="ApiCaller"/>. A row here also puts the endpoint in the pages' matrix
/// (<see cref="AccessMatrix"/>, as <see cref="Access.Api"/>: no cookie gets in) and among the routes without antiforgery.
/// </summary>
public static class ApiAccessMatrix
{
    public static readonly IReadOnlyDictionary<string, ApiRule> Rules = new Dictionary<string, ApiRule>(StringComparer.Ordinal)
    {
        ["GET /api/v1/me"] = new(ApiAccess.AnyToken, "who the token acts as"),
        ["GET /api/v1/contacts"] = new(ApiAccess.AnyToken, "the contact list's search, as every signed-in user") { Query = _ => "q=prueba&limit=5" },
        ["GET /api/v1/contacts/by-phone"] = new(ApiAccess.AnyToken, "caller id, as the contact list's search") { Query = _ => "number=600112233" },
        ["GET /api/v1/contacts/{id:int}"] = new(ApiAccess.AnyToken, "a contact, as its page"),
    };

    public static IReadOnlyList<ApiCaller> Callers { get; } = Enum.GetValues<ApiCaller>();

    /// <summary>Whether <paramref name="caller"/> may use an endpoint of <paramref name="access"/>.</summary>
    public static bool Allows(this ApiAccess access, ApiCaller caller) => caller switch
    {
        ApiCaller.AgentToken => access == ApiAccess.AnyToken,
        ApiCaller.SupervisorToken => access is ApiAccess.AnyToken or ApiAccess.SupervisorOrAdmin,
        ApiCaller.AdministratorToken => true,
        _ => false,
    };

    /// <summary>The status a refused caller gets: 401 without a valid token (whatever else it sends), 403 for a valid token of a role that may not.</summary>
    public static int RefusalStatus(this ApiCaller caller) =>
        caller is ApiCaller.AgentToken or ApiCaller.SupervisorToken or ApiCaller.AdministratorToken ? 403 : 401;

    public static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
