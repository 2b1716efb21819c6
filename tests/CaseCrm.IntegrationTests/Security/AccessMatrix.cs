using System.Globalization;
using CaseCrm.Data.Identity;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>Who may use an action (design.md "Who uses it").</summary>
public enum Access
{
    /// <summary>Everyone, signed in or not: the sign-in page, the language switch, the error pages.</summary>
    Anyone,

    /// <summary>Any signed-in user: Agente, Supervisor, Administrador.</summary>
    SignedIn,

    /// <summary>Supervisor and Administrador.</summary>
    SupervisorOrAdmin,

    /// <summary>Administrador only.</summary>
    Administrator,

    /// <summary>
    /// The API (/api, ADR 0027): a personal access token only, never the sign-in cookie, so every principal of the matrix
    /// (signed in by cookie or anonymous) gets 401 with a Bearer challenge. What a token may do is in Features/Api's tests.
    /// </summary>
    Api,
}

/// <summary>Who makes the requests of a matrix row.</summary>
public enum Principal
{
    Anonymous,
    Agente,
    Supervisor,
    Administrador,
}

/// <summary>
/// One row of the matrix: who is allowed, why (design.md), and what the probe sends. An allowed GET answers 200 and an
/// allowed POST 200 or 302 (a form shown again, or done and redirected) unless <see cref="AllowedStatuses"/> says otherwise.
/// </summary>
public sealed record MatrixRule(Access Access, string Why)
{
    public IReadOnlyList<int>? AllowedStatuses { get; init; }

    /// <summary>Form values of the POST probe (default: none, so a form usually comes back with its errors).</summary>
    public Func<SecurityWorld, IEnumerable<KeyValuePair<string, string>>>? Form { get; init; }

    /// <summary>A query string for the probe, without "?".</summary>
    public Func<SecurityWorld, string>? Query { get; init; }

    /// <summary>The POST probe sends one small text file in this field (multipart).</summary>
    public string? FileField { get; init; }

    /// <summary>An allowed POST removes or re-links rows that other probes read: it gets rows of its own.</summary>
    public bool Destructive { get; init; }
}

/// <summary>
/// THE authorization matrix: every action of the app, by <see cref="ActionEndpoint.Key"/>, and who may use it.
/// A new action that is not listed here fails <c>AuthorizationMatrixTests.EveryActionOfTheApp_IsInTheMatrix</c>.
/// Rights that depend on the record (assigning someone else, changing another's comment or attachment) are enforced
/// inside the action by <c>CaseService</c> and have their own tests in <c>AuthorizationMatrixTests</c>.
/// </summary>
public static class AccessMatrix
{
    public static readonly IReadOnlyDictionary<string, MatrixRule> Rules = WithApiRows(new Dictionary<string, MatrixRule>(StringComparer.Ordinal)
    {
        // Sign-in, sign-out, own password (AccountController).
        ["GET /Account/Login"] = new(Access.Anyone, "anonymous visitors see only the sign-in page"),
        ["POST /Account/Login"] = new(Access.Anyone, "signing in"),
        ["POST /Account/Logout"] = new(Access.SignedIn, "signing out ends one's own sessions"),
        ["GET /Account/ChangePassword"] = new(Access.SignedIn, "one's own password"),
        ["POST /Account/ChangePassword"] = new(Access.SignedIn, "one's own password"),

        // Start page, language switch, error pages (HomeController).
        ["GET /Home/Index"] = new(Access.SignedIn, "Inicio: each role's start page"),
        // Informes (ReportsController).
        ["GET /Reports/Index"] = new(Access.SupervisorOrAdmin, "Informes: the team's service-level reports are the supervisor's"),
        ["GET /Reports/Export"] = new(Access.SupervisorOrAdmin, "Informes: the team's service-level reports are the supervisor's")
        {
            Query = _ => "measure=Resolution",
        },
        ["POST /Home/Language"] = new(Access.Anyone, "the language can be chosen on the sign-in page too"),
        ["GET /Search"] = new(Access.SignedIn, "the top bar's quick search (a single match redirects)") { Query = _ => "q=zzz-sin-coincidencias", AllowedStatuses = [200, 302] },
        ["ANY /Error/{code:int}"] = new(Access.Anyone, "error pages are shown to everyone, in any method (re-executed)") { AllowedStatuses = [404] },

        // Ventas → Cuentas: every role sees and edits accounts.
        ["GET /Accounts"] = new(Access.SignedIn, "Agente: see accounts"),
        ["GET /Accounts/Export"] = new(Access.SignedIn, "Exportar CSV: whoever sees the list exports it"),
        ["GET /Accounts/{id:int}"] = new(Access.SignedIn, "Agente: see accounts"),
        ["GET /Accounts/Lookup"] = new(Access.SignedIn, "account picker of the forms") { Query = _ => "q=cuenta" },
        ["GET /Accounts/Create"] = new(Access.SignedIn, "Agente: accounts"),
        ["POST /Accounts/Create"] = new(Access.SignedIn, "Agente: accounts"),
        ["GET /Accounts/{id:int}/Edit"] = new(Access.SignedIn, "Agente: accounts"),
        ["POST /Accounts/{id:int}/Edit"] = new(Access.SignedIn, "Agente: accounts"),

        // Ventas → Contactos.
        ["GET /Contacts"] = new(Access.SignedIn, "Agente: see contacts"),
        ["GET /Contacts/Export"] = new(Access.SignedIn, "Exportar CSV: whoever sees the list exports it"),
        ["GET /Contacts/{id:int}"] = new(Access.SignedIn, "Agente: see contacts"),
        ["GET /Contacts/Create"] = new(Access.SignedIn, "Agente: create contacts"),
        ["POST /Contacts/Create"] = new(Access.SignedIn, "Agente: create contacts"),
        ["GET /Contacts/{id:int}/Edit"] = new(Access.SignedIn, "Agente: edit contacts"),
        ["POST /Contacts/{id:int}/Edit"] = new(Access.SignedIn, "Agente: edit contacts"),

        // Servicio → Casos (CasesController).
        ["GET /Cases"] = new(Access.SignedIn, "Agente: see cases"),
        ["GET /Cases/Export"] = new(Access.SignedIn, "Exportar CSV: whoever sees the list exports it (with its view and filters)"),
        ["GET /Contacts/{contactId:int}/Cases/Create"] = new(Access.SignedIn, "Agente: add cases to contacts"),
        ["POST /Contacts/{contactId:int}/Cases/Create"] = new(Access.SignedIn, "Agente: add cases to contacts"),
        ["GET /Cases/{id:int}"] = new(Access.SignedIn, "Agente: see cases"),
        ["GET /Cases/{id:int}/Edit"] = new(Access.SignedIn, "Agente: edit cases"),
        ["POST /Cases/{id:int}/Edit"] = new(Access.SignedIn, "Agente: edit cases"),
        ["GET /Cases/{id:int}/Resolve"] = new(Access.SignedIn, "Agente: resolve cases"),
        ["POST /Cases/{id:int}/Resolve"] = new(Access.SignedIn, "Agente: resolve cases"),
        ["GET /Cases/{id:int}/Cancel"] = new(Access.SignedIn, "Agente: close cases (cancel as resolve)"),
        ["POST /Cases/{id:int}/Cancel"] = new(Access.SignedIn, "Agente: close cases (cancel as resolve)") { Destructive = true },
        ["POST /Cases/{id:int}/Reopen"] = new(Access.SupervisorOrAdmin, "Supervisor: reopen closed cases"),

        // Saved views of the case list (SavedViewsController): one's own and the shared ones; the world's is the shared
        // administrator's, shared, so an agent sees it but may not change it (404); sharing is the Supervisor's (SavedViewTests).
        ["GET /Cases/Views"] = new(Access.SignedIn, "everyone: their saved views and the shared ones"),
        ["GET /Cases/Views/Create"] = new(Access.SignedIn, "Agente: save the case list's filters as a view") { Query = _ => "view=all&priority=Urgent" },
        ["POST /Cases/Views/Create"] = new(Access.SignedIn, "Agente: save the case list's filters as a view"),
        ["GET /Cases/Views/{id:int}"] = new(Access.SignedIn, "its owner, or a supervisor for a shared view; others 404") { AllowedStatuses = [200, 404] },
        ["POST /Cases/Views/{id:int}"] = new(Access.SignedIn, "its owner, or a supervisor for a shared view; others 404") { AllowedStatuses = [200, 302, 404] },
        ["POST /Cases/Views/{id:int}/Delete"] = new(Access.SignedIn, "its owner, or a supervisor for a shared view; others 404")
        {
            AllowedStatuses = [302, 404],
            Destructive = true,
        },

        // Email from a case (EmailController): replies are every agent's; writing to every child's customer is the Supervisor's.
        ["GET /Cases/{id:int}/Reply"] = new(Access.SignedIn, "Agente: answer the customer from the case"),
        ["POST /Cases/{id:int}/Reply"] = new(Access.SignedIn, "Agente: answer the customer from the case"),
        ["GET /Cases/{id:int}/WriteToChildren"] = new(Access.SupervisorOrAdmin, "Supervisor: one update to every active child's contact"),
        ["POST /Cases/{id:int}/WriteToChildren"] = new(Access.SupervisorOrAdmin, "Supervisor: one update to every active child's contact"),
        ["POST /Cases/{id:int}/Emails/{emailId:int}/Retry"] = new(Access.SignedIn, "Agente: send again a reply the server refused"),

        // Working a case (CaseWorkController).
        ["POST /Cases/{id:int}/Assign"] = new(Access.SignedIn, "Agente may (un)assign himself only; assigning others is the Supervisor's, checked by CaseService"),
        ["POST /Cases/{id:int}/Take"] = new(Access.SignedIn, "Agente: take cases"),
        ["POST /Cases/{id:int}/Comments"] = new(Access.SignedIn, "Agente: comment on cases"),
        ["GET /Cases/{id:int}/Comments/{commentId:int}/Edit"] = new(Access.SignedIn, "Agente: own comments (others': Supervisor, CaseService)"),
        ["POST /Cases/{id:int}/Comments/{commentId:int}/Edit"] = new(Access.SignedIn, "Agente: own comments (others': Supervisor, CaseService)"),
        ["POST /Cases/{id:int}/Comments/{commentId:int}/Delete"] = new(Access.SignedIn, "Agente: own comments (others': Supervisor, CaseService)") { Destructive = true },
        ["POST /Cases/{id:int}/Attachments"] = new(Access.SignedIn, "Agente: attach files") { FileField = "files" },
        ["GET /Cases/{id:int}/Attachments/{attachmentId:int}"] = new(Access.SignedIn, "Agente: download attachments"),
        ["POST /Cases/{id:int}/Attachments/{attachmentId:int}/Delete"] = new(Access.SignedIn, "Agente: own attachments (others': Supervisor, CaseService)") { Destructive = true },

        // Parent and child cases (CaseFamilyController).
        ["GET /Cases/{id:int}/Children/Create"] = new(Access.SignedIn, "Agente: create a child case from a case"),
        ["POST /Cases/{id:int}/Children/Create"] = new(Access.SignedIn, "Agente: create a child case from a case"),
        ["POST /Cases/{id:int}/Children/Add"] = new(Access.SupervisorOrAdmin, "Supervisor: add an existing case as child")
        {
            Destructive = true,
            Form = w => [KeyValuePair.Create("childId", Id(w.OtherCaseId))],
        },
        ["POST /Cases/{id:int}/Children/{childId:int}/Remove"] = new(Access.SupervisorOrAdmin, "Supervisor: remove a child from its parent") { Destructive = true },
        ["GET /Cases/Associate"] = new(Access.SupervisorOrAdmin, "Supervisor: associate cases as parent/children")
        {
            Query = w => $"ids={Id(w.OtherCaseId)}&ids={Id(w.SecondOtherCaseId)}",
        },
        ["POST /Cases/Associate"] = new(Access.SupervisorOrAdmin, "Supervisor: associate cases as parent/children")
        {
            Destructive = true,
            Form = w => [KeyValuePair.Create("ids", Id(w.OtherCaseId)), KeyValuePair.Create("ids", Id(w.SecondOtherCaseId)), KeyValuePair.Create("parentId", Id(w.OtherCaseId))],
        },
        ["GET /Cases/Merge"] = new(Access.SupervisorOrAdmin, "Supervisor: merge cases (choose the one that stays, preview)")
        {
            Query = w => $"ids={Id(w.OtherCaseId)}&ids={Id(w.SecondOtherCaseId)}",
        },
        ["POST /Cases/Merge"] = new(Access.SupervisorOrAdmin, "Supervisor: merge cases")
        {
            Destructive = true,
            Form = w => [KeyValuePair.Create("ids", Id(w.OtherCaseId)), KeyValuePair.Create("ids", Id(w.SecondOtherCaseId)), KeyValuePair.Create("keep", Id(w.OtherCaseId))],
        },

        // "Editar seleccionados" (BulkEditController).
        ["GET /Cases/BulkEdit"] = new(Access.SupervisorOrAdmin, "Supervisor: edit the cases selected in the list together")
        {
            Query = w => $"ids={Id(w.OtherCaseId)}&ids={Id(w.SecondOtherCaseId)}",
        },
        ["POST /Cases/BulkEdit"] = new(Access.SupervisorOrAdmin, "Supervisor: edit the cases selected in the list together")
        {
            Destructive = true,
            Form = w => [KeyValuePair.Create("Ids", Id(w.OtherCaseId)), KeyValuePair.Create("Ids", Id(w.SecondOtherCaseId)), KeyValuePair.Create("Priority", "High")],
        },

        // Activities (ActivitiesController): everyone signed in logs and works their own; another's need a supervisor
        // (Activity.MayChange, checked by the domain: the action answers with the rule's message).
        ["GET /Activities"] = new(Access.SignedIn, "Agente: my activities (a supervisor picks any owner)"),
        ["GET /Activities/Export"] = new(Access.SignedIn, "Exportar CSV: my activities (a supervisor picks any owner), as the list"),
        ["GET /Activities/Regarding"] = new(Access.SignedIn, "Agente: the \"Referente a\" look-up as you type (JSON)"),
        ["GET /Activities/Create"] = new(Access.SignedIn, "Agente: log calls, plan tasks, book appointments"),
        ["POST /Activities/Create"] = new(Access.SignedIn, "Agente: log calls, plan tasks, book appointments"),
        ["GET /Activities/{id:int}"] = new(Access.SignedIn, "Agente: open an activity (read-only unless own or Supervisor)"),
        ["POST /Activities/{id:int}"] = new(Access.SignedIn, "Agente: edit own activities (others': Supervisor, Activity)"),
        ["POST /Activities/{id:int}/Complete"] = new(Access.SignedIn, "Agente: own activities (others': Supervisor, Activity)") { Destructive = true },
        ["POST /Activities/{id:int}/Cancel"] = new(Access.SignedIn, "Agente: own activities (others': Supervisor, Activity)") { Destructive = true },
        ["POST /Activities/{id:int}/Reopen"] = new(Access.SignedIn, "Agente: own activities (others': Supervisor, Activity)") { Destructive = true },

        // Calendario (CalendarController): one's own calendar and feed; a supervisor sees anyone's or the team's.
        ["GET /Calendar"] = new(Access.SignedIn, "Agente: my calendar (a supervisor picks a user or the team)"),
        ["POST /Calendar/Feed"] = new(Access.SignedIn, "Agente: my own private feed address"),
        ["POST /Calendar/Feed/Revoke"] = new(Access.SignedIn, "Agente: my own private feed address"),
        ["GET /Calendar/Feed/{token}.ics"] = new(Access.Anyone, "calendar apps fetch the feed without signing in: the secret in the URL is the credential")
        {
            AllowedStatuses = [404],
        },

        // The bell (NotificationsController): each user's own notifications; another's answer 404 (NotificationTests).
        ["GET /Notifications"] = new(Access.SignedIn, "everyone: their own notifications"),
        ["POST /Notifications/{id:long}/Read"] = new(Access.SignedIn, "everyone: their own notification (the world's is the shared administrator's: others get 404)")
        {
            AllowedStatuses = [302, 404],
        },
        ["POST /Notifications/{id:long}/Open"] = new(Access.SignedIn, "everyone: their own notification (the world's is the shared administrator's: others get 404)")
        {
            AllowedStatuses = [302, 404],
        },
        ["POST /Notifications/ReadAll"] = new(Access.SignedIn, "everyone: their own notifications"),
        ["GET /Notifications/Mentions"] = new(Access.SignedIn, "Agente: the people a comment may mention as you type (JSON)") { Query = _ => "q=a" },

        // Preferencias: each user's own.
        ["GET /Preferences"] = new(Access.SignedIn, "everyone: their own time zone"),
        ["POST /Preferences"] = new(Access.SignedIn, "everyone: their own time zone"),

        // The API (/api/v1): tokens only, listed in ApiAccessMatrix (added to this matrix below).

        // Tokens de acceso (TokensController): each user's own personal access tokens for the API; another's is not found.
        ["GET /Account/Tokens"] = new(Access.SignedIn, "everyone: their own access tokens"),
        ["POST /Account/Tokens"] = new(Access.SignedIn, "everyone: their own access tokens"),
        ["POST /Account/Tokens/{id:int}/Revoke"] = new(Access.SignedIn, "everyone: their own access tokens (the world's is the shared administrator's: another's answers 404)") { AllowedStatuses = [302, 404] },

        // Configuración (Administrador only): categories, parent/child settings, users.
        ["GET /Categories"] = new(Access.Administrator, "Administrador: case categories"),
        ["POST /Categories"] = new(Access.Administrator, "Administrador: case categories"),
        ["GET /Categories/{id:int}/Edit"] = new(Access.Administrator, "Administrador: case categories"),
        ["POST /Categories/{id:int}/Edit"] = new(Access.Administrator, "Administrador: case categories"),
        ["POST /Categories/{id:int}/Active"] = new(Access.Administrator, "Administrador: case categories") { Destructive = true },
        ["GET /Mailboxes"] = new(Access.Administrator, "Administrador: mailboxes cases arrive in"),
        ["GET /Mailboxes/Create"] = new(Access.Administrator, "Administrador: mailboxes cases arrive in"),
        ["POST /Mailboxes/Create"] = new(Access.Administrator, "Administrador: mailboxes cases arrive in"),
        ["GET /Mailboxes/{id:int}"] = new(Access.Administrator, "Administrador: mailboxes (passwords never shown)"),
        ["POST /Mailboxes/{id:int}"] = new(Access.Administrator, "Administrador: mailboxes (passwords never shown)"),
        ["GET /QuickReplies"] = new(Access.Administrator, "Administrador: quick replies and acknowledgements"),
        ["GET /QuickReplies/Create"] = new(Access.Administrator, "Administrador: quick replies and acknowledgements"),
        ["POST /QuickReplies/Create"] = new(Access.Administrator, "Administrador: quick replies and acknowledgements"),
        ["GET /QuickReplies/{id:int}"] = new(Access.Administrator, "Administrador: quick replies and acknowledgements"),
        ["POST /QuickReplies/{id:int}"] = new(Access.Administrator, "Administrador: quick replies and acknowledgements"),
        ["POST /QuickReplies/{id:int}/Delete"] = new(Access.Administrator, "Administrador: quick replies") { Destructive = true },
        ["GET /Import"] = new(Access.Administrator, "Administrador: Importar contacts and accounts"),
        ["POST /Import"] = new(Access.Administrator, "Administrador: Importar contacts and accounts") { FileField = "File" },
        // The token names an upload of the shared administrator (SecurityWorld): the POST probe maps no name, so the form comes back.
        ["GET /Import/{token}"] = new(Access.Administrator, "Administrador: Importar, preview and mapping"),
        ["POST /Import/{token}"] = new(Access.Administrator, "Administrador: Importar, the import itself"),
        ["GET /ServiceLevels"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["GET /ServiceLevels/Calendars/Create"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["POST /ServiceLevels/Calendars/Create"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["GET /ServiceLevels/Calendars/{id:int}"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["POST /ServiceLevels/Calendars/{id:int}"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["GET /ServiceLevels/Calendars/{id:int}/Holidays/{year:int}"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["POST /ServiceLevels/Calendars/{id:int}/Holidays/{year:int}"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["POST /ServiceLevels/Calendars/{id:int}/Delete"] = new(Access.Administrator, "Administrador: service-level calendars and policies") { Destructive = true },
        ["GET /ServiceLevels/Policies/Create"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["POST /ServiceLevels/Policies/Create"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["GET /ServiceLevels/Policies/{id:int}"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["POST /ServiceLevels/Policies/{id:int}"] = new(Access.Administrator, "Administrador: service-level calendars and policies"),
        ["POST /ServiceLevels/Policies/{id:int}/Delete"] = new(Access.Administrator, "Administrador: service-level calendars and policies") { Destructive = true },
        ["GET /Settings/ParentChild"] = new(Access.Administrator, "Administrador: parent/child settings"),
        ["POST /Settings/ParentChild"] = new(Access.Administrator, "Administrador: parent/child settings"),
        ["GET /Users"] = new(Access.Administrator, "Administrador: users and roles"),
        ["GET /Users/Create"] = new(Access.Administrator, "Administrador: users and roles"),
        ["POST /Users/Create"] = new(Access.Administrator, "Administrador: users and roles"),
        ["GET /Users/{id}/Edit"] = new(Access.Administrator, "Administrador: users and roles"),
        ["POST /Users/{id}/Edit"] = new(Access.Administrator, "Administrador: users and roles"),
        ["POST /Users/{id}/Active"] = new(Access.Administrator, "Administrador: disable users") { Destructive = true },
        ["GET /Users/{id}/Disable"] = new(Access.Administrator, "Administrador: confirm disabling a user"),
        ["GET /Users/{id}/Password"] = new(Access.Administrator, "Administrador: reset passwords"),
        ["POST /Users/{id}/Password"] = new(Access.Administrator, "Administrador: reset passwords"),
    });

    /// <summary>
    /// Endpoints that are not controller actions (minimal APIs, health checks), by route pattern, with who may use them.
    /// Benchmark endpoints exist only in the benchmark host (benchmarks/CaseCrm.Benchmarks) and must answer 404 in the app.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, MatrixRule> OtherEndpoints = new Dictionary<string, MatrixRule>(StringComparer.Ordinal)
    {
        ["/health"] = new(Access.Anyone, "load balancers probe it without signing in; it says only Healthy or Unhealthy"),
        ["/openapi/{documentName}.json"] = new(Access.Anyone, "the API's description (OpenAPI), public as any API reference; the API itself needs a token (OpenApiDocumentTests)"),
        // The API reference page (Scalar, ADR 0029) and its files, from the Scalar.AspNetCore package: public, as the document.
        ["/scalar/{documentName?}"] = new(Access.Anyone, "the API reference page, public as the document it shows (ADR 0029)"),
        ["/scalar/favicon.svg"] = new(Access.Anyone, "the API reference page's icon"),
        ["/scalar/scalar.aspnetcore.js"] = new(Access.Anyone, "the API reference page's start script"),
        ["/scalar/scalar.js"] = new(Access.Anyone, "the API reference page's viewer"),
    };

    /// <summary>
    /// Actions that skip the global antiforgery filter, and why. Only the error page does: a failed POST is re-executed
    /// there as a POST, and it changes nothing.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> AntiforgeryExempt = WithApiRows(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ANY /Error/{code:int}"] = "the error page renders a status; it changes nothing and is re-executed for failed POSTs",
    });

    public static readonly IReadOnlyList<Principal> Principals = Enum.GetValues<Principal>();

    /// <summary>
    /// Every endpoint of <see cref="ApiAccessMatrix"/> is an <see cref="Access.Api"/> row here (no cookie, signed in or not,
    /// gets in): one row in ApiAccessMatrix is enough for a new API endpoint. A row written here as well wins.
    /// </summary>
    private static Dictionary<string, MatrixRule> WithApiRows(Dictionary<string, MatrixRule> rules)
    {
        foreach (var (key, rule) in ApiAccessMatrix.Rules)
        {
            rules.TryAdd(key, new MatrixRule(Access.Api, "the API, with a token: " + rule.Why) { Query = rule.Query });
        }

        return rules;
    }

    /// <summary>The API takes no cookie, hence no antiforgery token (ADR 0027): every ApiAccessMatrix endpoint is exempt.</summary>
    private static Dictionary<string, string> WithApiRows(Dictionary<string, string> exempt)
    {
        foreach (var key in ApiAccessMatrix.Rules.Keys)
        {
            exempt.TryAdd(key, "the API: bearer token only, no cookie (ADR 0027)");
        }

        return exempt;
    }

    public static bool Allows(this Access access, Principal principal) => access switch
    {
        Access.Anyone => true,
        Access.SignedIn => principal != Principal.Anonymous,
        Access.SupervisorOrAdmin => principal is Principal.Supervisor or Principal.Administrador,
        Access.Administrator => principal == Principal.Administrador,
        _ => false,
    };

    /// <summary>The least privileged principal that the rule allows (whom the antiforgery tests act as).</summary>
    public static Principal LeastAllowed(this Access access) => Principals.First(p => access.Allows(p));

    /// <summary>The role name of a signed-in principal (Roles.*).</summary>
    public static string Role(this Principal principal) => principal switch
    {
        Principal.Agente => Roles.Agent,
        Principal.Supervisor => Roles.Supervisor,
        Principal.Administrador => Roles.Administrator,
        _ => throw new ArgumentOutOfRangeException(nameof(principal), principal, "Anonymous has no role."),
    };

    /// <summary>
    /// The value of a route parameter for <paramref name="endpoint"/>: the id of a real row of <paramref name="world"/>.
    /// A parameter that this does not know fails the matrix, so that a new kind of route gets a real row here.
    /// </summary>
    public static string ValueOf(ActionEndpoint endpoint, string parameter, SecurityWorld world) => (endpoint.ControllerName, parameter) switch
    {
        ("Accounts" or "AccountsApi", "id") => Id(world.AccountId),
        ("Contacts" or "ContactsApi", "id") => Id(world.ContactId),
        ("Cases" or "CaseWork" or "CaseFamily" or "Email" or "CasesApi" or "CaseCommentsApi" or "CaseFamilyApi", "id") => Id(world.CaseId),
        ("QuickReplies", "id") => Id(world.QuickReplyId),
        ("SavedViews", "id") => Id(world.SavedViewId),
        ("ServiceLevels", "id") => Id(endpoint.Template.Contains("Policies", StringComparison.Ordinal) ? world.PolicyId : world.CalendarId),
        ("ServiceLevels", "year") => "2026",
        (_, "emailId") => Id(world.EmailId),
        ("Categories", "id") => Id(world.CategoryId),
        ("Users", "id") => world.UserId,
        ("Activities" or "ActivitiesApi", "id") => Id(world.ActivityId),
        ("Mailboxes", "id") => Id(world.MailboxId),
        ("Notifications", "id") => world.NotificationId.ToString(CultureInfo.InvariantCulture),
        ("Tokens", "id") => Id(world.TokenId),
        ("Calendar", "token") => "ningun-secreto-valido-de-la-prueba-de-seguridad",
        ("Import", "token") => world.ImportToken,
        (_, "contactId") => Id(world.ContactId),
        (_, "commentId") => Id(world.CommentId),
        (_, "attachmentId") => Id(world.AttachmentId),
        (_, "childId") => Id(world.ChildId),
        ("Home", "code") => "404",
        _ => throw new InvalidOperationException(
            $"The matrix does not know which row to put in {{{parameter}}} of {endpoint}: add it to AccessMatrix.ValueOf."),
    };

    /// <summary>A value that names no row, for the route parameter (ids that do not exist answer 404).</summary>
    public static string MissingValueOf(string parameter) => parameter switch
    {
        "code" => "404",
        "year" => "1999",
        "token" => "otro-secreto-que-no-existe-en-la-base-de-datos",
        "id" or "contactId" or "commentId" or "attachmentId" or "childId" or "emailId" => "987654",
        _ => throw new InvalidOperationException($"No missing value known for {{{parameter}}}."),
    };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
