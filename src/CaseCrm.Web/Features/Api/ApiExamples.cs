using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseCrm.Domain.Cases;
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
    private static readonly DateTime Created = new(2026, 11, 3, 9, 15, 0, DateTimeKind.Utc);

    private static readonly ContactItem Contact = new(42, "Ana Núñez", "Ana", "Núñez", "ana.nunez@contoso.example", "+34 600 11 22 33", 7, "Contoso Ibérica");

    /// <summary>One example per type the API reads or writes: add a line for each new one.</summary>
    private static readonly Dictionary<Type, object> Examples = new()
    {
        [typeof(MeResponse)] = new MeResponse("6f1d2c3b-8a4e-4f0a-9c1d-2b3a4c5d6e7f", "Ana Agente", "agente@casecrm.test", "Agent"),
        [typeof(ContactItem)] = Contact,
        [typeof(ContactDetailsItem)] = new ContactDetailsItem(
            42, "Ana Núñez", "Ana", "Núñez", "ana.nunez@contoso.example", "+34 600 11 22 33", "+34 611 22 33 44", "Jefa de compras",
            7, "Contoso Ibérica", "Ana Agente", Created, Created.AddDays(12).AddHours(3), 3),
        [typeof(ListPage<ContactItem>)] = new ListPage<ContactItem>([Contact], "eyJTIjoibnXDsWV6IGFuYSIsIkkiOjQyfQ"),
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
