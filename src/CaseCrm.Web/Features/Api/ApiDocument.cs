using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CaseCrm.Web.Features.Api;

/// <summary>
/// The API's OpenAPI document (<c>/openapi/v1.json</c>, committed as docs/api/openapi-v1.json and compared in CI): the
/// /api endpoints only, in English, with the bearer token as their security scheme, an example for every type that
/// <see cref="ApiExamples"/> knows (request bodies and responses), and the answers every endpoint may give without
/// saying so — 400/401/403/404/429 — as <c>application/problem+json</c> with an example each. Deterministic: no server
/// address, paths and schemas in ordinal order, so the same code always gives the same bytes.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/openapi/{documentName}.json";

    private const string ProblemJson = "application/problem+json";

    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        // A controller's tag is its name without "Api": ContactsApiController → "Contacts".
        services.Configure<MvcOptions>(o => o.Conventions.Add(new ApiTagsConvention()));
        return services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (ApiExamples.For(context.JsonTypeInfo.Type, context.ApplicationServices) is { } example)
                {
                    schema.Examples = [example];
                }

                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, ct) => AddImplicitProblemsAsync(operation, context, ct));
            o.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                MakeDeterministic(document);
                return Task.CompletedTask;
            });
        });
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "CaseCrm API",
            Version = "v1",
            Description = """
                The CaseCrm REST API for integrations: a phone system that opens the caller's contact, a web form that creates
                cases, reporting tools that export them. It applies the same rules as the pages, with the same error codes.

                **Authentication.** Create a personal access token in CaseCrm (Preferencias → Gestionar tokens de acceso) and
                send it as `Authorization: Bearer <token>`. The request acts as the token's user with that user's role (Agent,
                Supervisor or Administrator). The sign-in cookie is never accepted here.

                **Errors** are `application/problem+json` (RFC 9457): `detail` in the language of `Accept-Language` (Spanish
                unless English is asked for); a broken case rule (422, 409) carries its stable `code` (`CASE-RULE-n`) and
                `violations`; invalid fields (422) and parameters (400) are listed in `errors`.

                **Lists** are paged by an opaque `cursor` (the previous page's `nextCursor`) with `limit` 1–100.

                **Rate limit:** each token has a number of requests a minute; beyond it, 429 with `Retry-After`.
                """.ReplaceLineEndings("\n"),
        };
        // No server: the reference page and clients use the address they read the document from.
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            ["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal access token (ccrm_…), created in CaseCrm under Preferencias → Gestionar tokens de acceso.",
            },
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
    }

    /// <summary>Paths and schemas in ordinal order, whatever order the endpoints were found in.</summary>
    private static void MakeDeterministic(OpenApiDocument document)
    {
        var paths = new OpenApiPaths();
        foreach (var (path, item) in document.Paths.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (item is OpenApiPathItem { Operations: { Count: > 1 } operations } pathItem)
            {
                pathItem.Operations = operations.OrderBy(o => o.Key.Method, StringComparer.Ordinal).ToDictionary(o => o.Key, o => o.Value);
            }

            paths.Add(path, item);
        }

        document.Paths = paths;
        if (document.Components?.Schemas is { } schemas)
        {
            document.Components.Schemas = schemas.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        }

        if (document.Tags is { } tags)
        {
            document.Tags = new HashSet<OpenApiTag>(tags.OrderBy(t => t.Name, StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// What every API endpoint may answer without declaring it, added where the action does not declare it itself: 401 (no
    /// valid token), 429 (rate limit), 403 where a policy or role is required, 404 where the route names a record, 400 where
    /// there are query parameters or a body. Every problem response gets its example.
    /// </summary>
    private static async Task AddImplicitProblemsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Responses ??= new OpenApiResponses();
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var parameters = context.Description.ParameterDescriptions;
        var implicitStatuses = new List<int> { StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests };
        if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
        {
            implicitStatuses.Add(StatusCodes.Status403Forbidden);
        }

        if (parameters.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path))
        {
            implicitStatuses.Add(StatusCodes.Status404NotFound);
        }

        if (parameters.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Query || p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body))
        {
            implicitStatuses.Add(StatusCodes.Status400BadRequest);
        }

        foreach (var status in implicitStatuses)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                // The same component as an action's [ProducesResponseType(typeof(ProblemDetails), …)] makes.
                var type = status == StatusCodes.Status400BadRequest ? typeof(ValidationProblemDetails) : typeof(ProblemDetails);
                var document = context.Document ?? throw new InvalidOperationException("The operation has no document.");
                document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, ct));
                operation.Responses[key] = new OpenApiResponse
                {
                    Description = ApiExamples.ProblemDescription(status),
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(type.Name, document) },
                    },
                };
            }
        }

        // JSON only: MVC's formatters would also list text/plain, text/json and application/*+json, which the API does not promise.
        foreach (var content in operation.Responses.Values.Select(r => r.Content).Append(operation.RequestBody?.Content).OfType<IDictionary<string, OpenApiMediaType>>())
        {
            foreach (var other in content.Keys.Where(k => k is "text/plain" or "text/json" or "application/*+json").ToList())
            {
                content.Remove(other);
            }
        }

        // Statuses in order (200, 201, 400, 401, …), whatever order the action and this transformer added them in.
        var sorted = new OpenApiResponses();
        foreach (var (key, response) in operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sorted.Add(key, response);
        }

        operation.Responses = sorted;
        foreach (var (key, response) in operation.Responses)
        {
            if (response.Content?.TryGetValue(ProblemJson, out var media) == true && media is OpenApiMediaType { Example: null } problem
                && int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                problem.Example = ApiExamples.Problem(code);
            }
        }
    }

    /// <summary>Names each API controller's operations by its feature: "ContactsApi" → "Contacts".</summary>
    private sealed class ApiTagsConvention : IControllerModelConvention
    {
        public void Apply(ControllerModel controller)
        {
            if (!typeof(ApiControllerBase).IsAssignableFrom(controller.ControllerType))
            {
                return;
            }

            var tag = controller.ControllerName.EndsWith("Api", StringComparison.Ordinal) ? controller.ControllerName[..^"Api".Length] : controller.ControllerName;
            foreach (var action in controller.Actions)
            {
                foreach (var selector in action.Selectors)
                {
                    selector.EndpointMetadata.Add(new TagsAttribute(tag));
                }
            }
        }
    }
}
