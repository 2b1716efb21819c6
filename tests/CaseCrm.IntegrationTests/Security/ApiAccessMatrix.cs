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

    /// <summary>
    /// The page action (its key in <see cref="AccessMatrix.Rules"/>) that does the same for a person: the API endpoint must
    /// not let anyone do more than it (<c>ApiAccessMatrixTests.NoEndpoint_AllowsMoreThanItsPage</c>). Null only for what no
    /// page does (who am I).
    /// </summary>
    public string? Page { get; init; }
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
        ["GET /api/v1/contacts"] = new(ApiAccess.AnyToken, "the contact list's search, as every signed-in user") { Query = _ => "q=prueba&limit=5", Page = "GET /Contacts" },
        ["GET /api/v1/contacts/by-phone"] = new(ApiAccess.AnyToken, "caller id, as the contact list's search") { Query = _ => "number=600112233", Page = "GET /Contacts" },
        ["GET /api/v1/contacts/{id:int}"] = new(ApiAccess.AnyToken, "a contact, as its page") { Page = "GET /Contacts/{id:int}" },
        ["GET /api/v1/cases"] = new(ApiAccess.AnyToken, "the case list, as Servicio → Casos") { Page = "GET /Cases" },
        ["GET /api/v1/cases/{id:int}"] = new(ApiAccess.AnyToken, "a case, as its page") { Page = "GET /Cases/{id:int}" },
        ["POST /api/v1/contacts/{contactId:int}/cases"] = new(ApiAccess.AnyToken, "add cases to contacts, as Agregar Caso") { Page = "POST /Contacts/{contactId:int}/Cases/Create" },
        ["PUT /api/v1/cases/{id:int}"] = new(ApiAccess.AnyToken, "edit cases, as Editar (If-Match)") { Page = "POST /Cases/{id:int}/Edit" },
        ["POST /api/v1/cases/{id:int}/resolve"] = new(ApiAccess.AnyToken, "resolve cases, as Resolver") { Page = "POST /Cases/{id:int}/Resolve" },
        ["POST /api/v1/cases/{id:int}/cancel"] = new(ApiAccess.AnyToken, "cancel cases, as Cancelar") { Page = "POST /Cases/{id:int}/Cancel" },
        ["POST /api/v1/cases/{id:int}/reopen"] = new(ApiAccess.SupervisorOrAdmin, "reopen closed cases (Policies.ManageCases, as Reabrir)") { Page = "POST /Cases/{id:int}/Reopen" },
        ["POST /api/v1/cases/{id:int}/take"] = new(ApiAccess.AnyToken, "take cases, as Tomar caso") { Page = "POST /Cases/{id:int}/Take" },
        ["POST /api/v1/cases/{id:int}/assign"] = new(ApiAccess.AnyToken, "an agent (un)assigns only himself, others are the supervisor's, checked by CaseService") { Page = "POST /Cases/{id:int}/Assign" },
        ["GET /api/v1/cases/{id:int}/comments"] = new(ApiAccess.AnyToken, "a case's comments, as its timeline") { Page = "GET /Cases/{id:int}" },
        ["POST /api/v1/cases/{id:int}/comments"] = new(ApiAccess.AnyToken, "comment on cases") { Page = "POST /Cases/{id:int}/Comments" },
        ["GET /api/v1/cases/{id:int}/children"] = new(ApiAccess.AnyToken, "a case's children, as its Relaciones tab") { Page = "GET /Cases/{id:int}" },
        ["POST /api/v1/cases/{id:int}/children"] = new(ApiAccess.SupervisorOrAdmin, "associate children (Policies.ManageCases, as Agregar/Asociar)") { Page = "POST /Cases/{id:int}/Children/Add" },
        ["DELETE /api/v1/cases/{id:int}/children/{childId:int}"] = new(ApiAccess.SupervisorOrAdmin, "remove a child (Policies.ManageCases, as Quitar)") { Page = "POST /Cases/{id:int}/Children/{childId:int}/Remove" },
        ["POST /api/v1/cases/{id:int}/children/new"] = new(ApiAccess.AnyToken, "create a child case, as Crear caso secundario") { Page = "POST /Cases/{id:int}/Children/Create" },
        ["POST /api/v1/cases/merge"] = new(ApiAccess.SupervisorOrAdmin, "merge cases (Policies.ManageCases, as Combinar casos)") { Page = "POST /Cases/Merge" },
        ["GET /api/v1/cases/merge/preview"] = new(ApiAccess.SupervisorOrAdmin, "the merge preview (Policies.ManageCases)") { Page = "GET /Cases/Merge" },
        ["POST /api/v1/contacts"] = new(ApiAccess.AnyToken, "create contacts, as every signed-in user") { Page = "POST /Contacts/Create" },
        ["PUT /api/v1/contacts/{id:int}"] = new(ApiAccess.AnyToken, "edit contacts, as every signed-in user") { Page = "POST /Contacts/{id:int}/Edit" },
        ["GET /api/v1/accounts"] = new(ApiAccess.AnyToken, "the account list's search, as every signed-in user") { Page = "GET /Accounts" },
        ["GET /api/v1/accounts/{id:int}"] = new(ApiAccess.AnyToken, "an account, as its page") { Page = "GET /Accounts/{id:int}" },
        ["POST /api/v1/accounts"] = new(ApiAccess.AnyToken, "create accounts, as every signed-in user") { Page = "POST /Accounts/Create" },
        ["PUT /api/v1/accounts/{id:int}"] = new(ApiAccess.AnyToken, "edit accounts, as every signed-in user") { Page = "POST /Accounts/{id:int}/Edit" },
        ["GET /api/v1/activities"] = new(ApiAccess.AnyToken, "my activities (another owner's: supervisor, 403), a case's or contact's activities") { Page = "GET /Activities" },
        ["GET /api/v1/activities/{id:int}"] = new(ApiAccess.AnyToken, "an activity, as its page") { Page = "GET /Activities/{id:int}" },
        ["POST /api/v1/activities"] = new(ApiAccess.AnyToken, "log calls, plan tasks, book appointments") { Page = "POST /Activities/Create" },
        ["POST /api/v1/activities/{id:int}/complete"] = new(ApiAccess.AnyToken, "own activities (others': supervisor, CASE-RULE-42)") { Page = "POST /Activities/{id:int}/Complete" },
        ["POST /api/v1/activities/{id:int}/cancel"] = new(ApiAccess.AnyToken, "own activities (others': supervisor, CASE-RULE-42)") { Page = "POST /Activities/{id:int}/Cancel" },
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
