using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.Web.Features.Accounts;
using CaseCrm.Web.Features.Activities;
using CaseCrm.Web.Features.CaseMerge;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Features.CaseWork;
using CaseCrm.Web.Features.Contacts;
using Microsoft.Extensions.Options;

namespace CaseCrm.Web.Features.Api;

/// <summary>
/// The examples of the OpenAPI document (<see cref="ApiDocument"/>), by .NET type: a request body or a response of that
/// type shows its example on /scalar, and so does every list of it (<c>T[]</c>, <see cref="ListPage{T}"/>). A new API type
/// gets its example with one line in <see cref="Examples"/>; they are real instances, serialized as the API serializes
/// (camelCase, enums by name), so an example cannot drift from its type. Problems (<c>application/problem+json</c>) get
/// theirs by status in <see cref="Problem"/>.
/// </summary>
public static class ApiExamples
{
    // One story across the examples: Ana Núñez (contact 42) of Contoso Ibérica (account 7) phoned on 3 November 2026 because
    // the Valencia office had no internet; Ana Agente took case CAS-000123, whose floors are its children CAS-000124 and
    // CAS-000125; a duplicate that arrived by email, CAS-000126, is merged into it; Sergio Supervisor follows it.
    private const string AgentId = "6f1d2c3b-8a4e-4f0a-9c1d-2b3a4c5d6e7f";
    private const string SupervisorId = "0b7e4c1a-3d2f-4e5b-8a6c-9d0e1f2a3b4c";
    private const string Title = "Sin conexión a internet en la oficina de Valencia";

    private static readonly DateTime Created = new(2026, 11, 3, 9, 15, 0, DateTimeKind.Utc);
    private static readonly DateTime Responded = Created.AddMinutes(27);
    private static readonly DateTime Updated = Created.AddHours(1).AddMinutes(50);
    private static readonly DateTime CallAt = new(2026, 11, 4, 8, 30, 0, DateTimeKind.Utc);

    private static readonly ContactItem Contact = new(42, "Ana Núñez", "Ana", "Núñez", "ana.nunez@contoso.example", "+34 600 11 22 33", 7, "Contoso Ibérica");

    private static readonly AccountItem Account = new(7, "Contoso Ibérica", "B46123456", "+34 961 23 45 67", "soporte@contoso.example");

    private static readonly ActivityItem Activity = new(
        310, ActivityType.Call, "Llamar a Ana Núñez: comprobar la conexión", ActivityStatus.Open, ActivityPriority.High, CallAt,
        AgentId, "Ana Agente", RegardingType.Case, 123, null, null, Title, Updated);

    private static readonly CaseListItem CaseRow = new(
        123, "CAS-000123", Title, CaseStatus.InProgress, CasePriority.High, "Incidencia", 42, "Ana Núñez", "Ana Agente", Updated,
        null, 2, Created.AddDays(2), Created.AddDays(2).AddHours(-9).AddMinutes(-36));

    private static readonly CaseItem Case = new(
        123, "CAS-000123", Title, CaseStatus.InProgress, CasePriority.High, CaseOrigin.Phone,
        "Desde las 9:00 no hay conexión en las plantas 2 y 3; el router de la planta baja parpadea en rojo.", null,
        new NamedRef(42, "Ana Núñez"), new NamedRef(7, "Contoso Ibérica"), new NamedRef(2, "Incidencia"), new UserRef(AgentId, "Ana Agente"),
        new CaseDueTimes(true, ServiceLevelState.Met, Created.AddHours(4), Responded, ServiceLevelState.OnTime, Created.AddDays(2), null),
        null,
        [new ChildItem(124, "CAS-000124", "Sin conexión en la planta 2", CaseStatus.InProgress, CasePriority.High, "Ana Agente", Updated),
            new ChildItem(125, "CAS-000125", "Sin conexión en la planta 3", CaseStatus.New, CasePriority.Normal, null, Created.AddMinutes(40))],
        null, "Ana Agente", Created, "Ana Agente", Updated, 7);

    private static readonly CommentItem Comment = new(
        981, "He hablado con Ana: el router se reinició y la planta 2 vuelve a tener conexión. @Sergio Supervisor", AgentId, "Ana Agente", Responded, null);

    /// <summary>One example per type the API reads or writes: add a line for each new one.</summary>
    private static readonly Dictionary<Type, object> Examples = new()
    {
        [typeof(MeResponse)] = new MeResponse(AgentId, "Ana Agente", "agente@casecrm.test", "Agent"),

        // Contacts
        [typeof(ContactItem)] = Contact,
        [typeof(ContactDetailsItem)] = new ContactDetailsItem(
            42, "Ana Núñez", "Ana", "Núñez", "ana.nunez@contoso.example", "+34 600 11 22 33", "+34 611 22 33 44", "Jefa de compras",
            7, "Contoso Ibérica", "Ana Agente", Created, Created.AddDays(12).AddHours(3), 3),
        [typeof(ListPage<ContactItem>)] = new ListPage<ContactItem>([Contact], "eyJTIjoibnXDsWV6IGFuYSIsIkkiOjQyfQ"),
        [typeof(ContactBody)] = new ContactBody("Ana", "Núñez", "ana.nunez@contoso.example", "+34 600 11 22 33", "+34 611 22 33 44", "Jefa de compras", 7),

        // Accounts
        [typeof(ListPage<AccountItem>)] = new ListPage<AccountItem>([Account], "eyJTIjoiY29udG9zbyBpYmVyaWNhIiwiSSI6N30"),
        [typeof(AccountDetailsItem)] = new AccountDetailsItem(
            7, "Contoso Ibérica", "B46123456", "+34 961 23 45 67", "soporte@contoso.example", "https://contoso.example", "Calle de Colón 12, 46004 Valencia", "Sergio Supervisor"),
        [typeof(AccountBody)] = new AccountBody(
            "Contoso Ibérica", "B46123456", "+34 961 23 45 67", "soporte@contoso.example", "https://contoso.example", "Calle de Colón 12, 46004 Valencia"),

        // Activities
        [typeof(ListPage<ActivityItem>)] = new ListPage<ActivityItem>([Activity], "eyJUIjoiMjAyNi0xMS0wNFQwODozMDowMFoiLCJJIjozMTAsIlMiOnRydWV9"),
        [typeof(ActivityDetailsItem)] = new ActivityDetailsItem(
            310, ActivityType.Call, "Llamar a Ana Núñez: comprobar la conexión", "Confirmar que las plantas 2 y 3 siguen con conexión.",
            ActivityStatus.Open, ActivityPriority.High, AgentId, RegardingType.Case, 123, null, CallAt, null, null, [], CallDirection.Outgoing,
            "+34 600 11 22 33", null, CallAt, null, Updated, Updated, 1),
        [typeof(ActivityBody)] = new ActivityBody(
            ActivityType.Call, "Llamar a Ana Núñez: comprobar la conexión", "Confirmar que las plantas 2 y 3 siguen con conexión.",
            ActivityPriority.High, null, RegardingType.Case, 123, null, CallAt, null, null, null, CallDirection.Outgoing, "+34 600 11 22 33", null),

        // Cases
        [typeof(ListPage<CaseListItem>)] = new ListPage<CaseListItem>(
            [CaseRow], "eyJTIjoidXBkYXRlZCIsIkQiOnRydWUsIkkiOjEyMywiVCI6NjM5MjkzMDA3MDAwMDAwMDAwLCJTdCI6bnVsbCwiVGkiOm51bGx9"),
        [typeof(CaseItem)] = Case,
        [typeof(CaseBody)] = new CaseBody
        {
            Title = Title, AccountId = 7, CategoryId = 2, Priority = CasePriority.High, Status = CaseStatus.InProgress,
            Description = Case.Description, Origin = CaseOrigin.Phone,
        },
        [typeof(AssignBody)] = new AssignBody { AssigneeId = AgentId },
        [typeof(ResolveForm)] = new ResolveForm { Resolution = "Se sustituyó el router de la planta baja; el cliente confirma la conexión.", CancelOpenActivities = true },
        [typeof(CancelBody)] = new CancelBody { CancelOpenActivities = true },
        [typeof(CaseClosure)] = new CaseClosure(
            Case with
            {
                Status = CaseStatus.Resolved, Resolution = "Se sustituyó el router de la planta baja; el cliente confirma la conexión.",
                Due = new CaseDueTimes(false, ServiceLevelState.Met, Created.AddHours(4), Responded, ServiceLevelState.Met, Created.AddDays(2), Created.AddDays(1)),
                Children = [.. Case.Children.Select(c => c with { Status = CaseStatus.Resolved, UpdatedAt = Created.AddDays(1) })],
                UpdatedAt = Created.AddDays(1), Version = 9,
            },
            [.. Case.Children.Select(c => new ChildItem(c.Id, c.Number, c.Title, CaseStatus.Resolved))]),

        // Children and merge
        [typeof(ChildItem)] = Case.Children[0],
        [typeof(CaseFamily.AddChildrenRequest)] = new CaseFamily.AddChildrenRequest([124, 125]),
        [typeof(CaseFamily.NewChildRequest)] = new CaseFamily.NewChildRequest(
            "Sin conexión en la planta 3", 2, "La planta 3 tampoco tiene conexión desde las 9:00.", 7, CasePriority.Normal, CaseStatus.New, CaseOrigin.Phone),
        [typeof(MergeRequest)] = new MergeRequest(123, [126]),
        [typeof(MergePreview)] = new MergePreview(
            123,
            [new MergePreviewCase(123, "CAS-000123", Title, CaseStatus.InProgress, true, null, 1, 1, 0, 0, 2),
                new MergePreviewCase(126, "CAS-000126", "No funciona internet en Valencia", CaseStatus.New, false, null, 0, 0, 1, 1, 0)],
            []),

        // Comments
        [typeof(ListPage<CommentItem>)] = new ListPage<CommentItem>([Comment], "eyJUIjo2MzkyOTI5NTcyMDAwMDAwMDAwLCJJIjo5ODF9"),
        [typeof(CommentItem)] = Comment,
        [typeof(CommentForm)] = new CommentForm { Body = Comment.Body },
    };

    /// <summary>Every type that has an example (for the test that every request body and response has one).</summary>
    public static IReadOnlyCollection<Type> Types => Examples.Keys;

    /// <summary>The example of <paramref name="type"/> as JSON, serialized with the API's options; null when there is none.</summary>
    public static JsonNode? For(Type type, IServiceProvider services) =>
        Examples.TryGetValue(type, out var example)
            ? JsonSerializer.SerializeToNode(example, type, services.GetRequiredService<IOptions<Microsoft.AspNetCore.Mvc.JsonOptions>>().Value.JsonSerializerOptions)
            : null;

    /// <summary>What an implicit problem response means (the document's response description).</summary>
    public static string ProblemDescription(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "A query parameter or the body is not valid: `errors` names it.",
        StatusCodes.Status401Unauthorized => "No token, or one that is unknown, revoked, expired or of a disabled user (`WWW-Authenticate: Bearer`).",
        StatusCodes.Status403Forbidden => "The token's user may not do this: the operation needs another role.",
        StatusCodes.Status404NotFound => "The record does not exist.",
        StatusCodes.Status429TooManyRequests => "Too many requests with this token: wait the seconds of `Retry-After`.",
        _ => "A problem.",
    };

    /// <summary>The example body of a problem response of <paramref name="status"/> (the API's English wording).</summary>
    public static JsonNode Problem(int status)
    {
        var problem = new JsonObject
        {
            ["type"] = status switch
            {
                400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
                403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
                404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
                409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
                412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
                422 => "https://tools.ietf.org/html/rfc4918#section-11.2",
                429 => "https://tools.ietf.org/html/rfc6585#section-4",
                _ => null,
            },
            ["title"] = status switch
            {
                400 => "One or more validation errors occurred.",
                401 => "Unauthorized",
                403 => "Forbidden",
                404 => "Not Found",
                409 => "Conflict",
                412 => "Precondition Failed",
                422 => "Unprocessable Entity",
                429 => "Too Many Requests",
                _ => null,
            },
            ["status"] = status,
        };
        switch (status)
        {
            case 400:
                problem["errors"] = new JsonObject { ["limit"] = new JsonArray("The limit must be between 1 and 100.") };
                break;
            case 401:
                problem["detail"] = "Send a valid personal access token: Authorization: Bearer <token> (Preferencias → Gestionar tokens de acceso).";
                break;
            case 403:
                problem["detail"] = "Your role does not allow this operation.";
                break;
            case 404:
                problem["detail"] = "Contact 987654";
                break;
            case 409:
                Rule(problem, CaseRuleCode.StaleEdit, 123, "Someone else saved case CAS-000123 while you were editing it. Review the changes and save again.");
                break;
            case 422:
                Rule(problem, CaseRuleCode.ChildCannotHaveChildren, 124, "You can't create child cases for a child case: CAS-000124 is already a child of CAS-000123.");
                break;
            case 429:
                problem["detail"] = "Too many requests with this token: wait the seconds Retry-After says.";
                break;
        }

        problem["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
        foreach (var name in problem.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            problem.Remove(name);
        }

        return problem;
    }

    private static void Rule(JsonObject problem, CaseRuleCode code, int caseId, string message)
    {
        var text = "CASE-RULE-" + ((int)code).ToString(CultureInfo.InvariantCulture);
        problem["detail"] = message;
        problem["code"] = text;
        problem["violations"] = new JsonArray(new JsonObject { ["code"] = text, ["caseId"] = caseId, ["message"] = message });
    }
}
