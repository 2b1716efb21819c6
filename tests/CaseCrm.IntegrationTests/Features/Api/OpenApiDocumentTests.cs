using System.Net;
using System.Text.Json;
using CaseCrm.IntegrationTests.Infrastructure;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>/openapi/v1.json, on SQLite and PostgreSQL: public, the /api endpoints only, with the bearer security scheme.</summary>
public abstract class OpenApiDocumentTests(CrmWebFactory factory)
{
    [Fact]
    public async Task TheDocument_IsPublic_DescribesTheApiOnly_WithTheBearerScheme()
    {
        using var client = factory.ApiClient(null);

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "/api/v1/accounts", "/api/v1/accounts/{id}", "/api/v1/activities", "/api/v1/activities/{id}",
                "/api/v1/activities/{id}/cancel", "/api/v1/activities/{id}/complete", "/api/v1/cases", "/api/v1/cases/merge",
                "/api/v1/cases/merge/preview", "/api/v1/cases/{id}", "/api/v1/cases/{id}/assign", "/api/v1/cases/{id}/cancel",
                "/api/v1/cases/{id}/children", "/api/v1/cases/{id}/children/new", "/api/v1/cases/{id}/children/{childId}", "/api/v1/cases/{id}/comments",
                "/api/v1/cases/{id}/reopen", "/api/v1/cases/{id}/resolve", "/api/v1/cases/{id}/take", "/api/v1/contacts",
                "/api/v1/contacts/by-phone", "/api/v1/contacts/{contactId}/cases", "/api/v1/contacts/{id}", "/api/v1/me",
            ],
            paths);
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.True(document.RootElement.GetProperty("security")[0].TryGetProperty("Bearer", out _));
    }

    public sealed class Sqlite(SqliteWebFactory factory) : OpenApiDocumentTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : OpenApiDocumentTests(factory), IClassFixture<PostgresWebFactory>;
}
