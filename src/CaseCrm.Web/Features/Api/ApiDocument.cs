using Microsoft.OpenApi;

namespace CaseCrm.Web.Features.Api;

/// <summary>The API's OpenAPI document (<c>/openapi/v1.json</c>): the /api endpoints only, with the bearer token as their security scheme.</summary>
public static class ApiDocument
{
    public const string Path = "/openapi/{documentName}.json";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "CaseCrm API",
                    Version = "v1",
                    Description = "Integrations with CaseCrm: a personal access token (Preferencias → Gestionar tokens de acceso) "
                        + "sent as `Authorization: Bearer <token>` acts as its user with that user's role. See docs/api.md.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    ["Bearer"] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        Description = "A personal access token (ccrm_…).",
                    },
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
                return Task.CompletedTask;
            });
        });
}
