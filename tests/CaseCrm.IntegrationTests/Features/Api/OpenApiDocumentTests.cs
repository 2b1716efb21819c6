using System.Net;
using System.Text;
using System.Text.Json;
using CaseCrm.IntegrationTests.Infrastructure;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>
/// /openapi/v1.json, on SQLite and PostgreSQL: public, the /api endpoints only, with the bearer security scheme; the same
/// bytes as the committed docs/api/openapi-v1.json (so a change to the API is a visible change in review); an example for
/// every request body and success response; every error response as problem+json.
/// </summary>
public abstract class OpenApiDocumentTests(CrmWebFactory factory)
{
    /// <summary>Set to 1 to rewrite the committed document with the generated one instead of comparing.</summary>
    public const string UpdateVariable = "UPDATE_OPENAPI";

    public const string UpdateCommand =
        "UPDATE_OPENAPI=1 dotnet test tests/CaseCrm.IntegrationTests -c Release --filter \"FullyQualifiedName~OpenApiDocumentTests+Sqlite\"";

    public static string CommittedPath => Path.Combine(RepoRoot(), "docs", "api", "openapi-v1.json");

    [Fact]
    public async Task TheDocument_IsPublic_DescribesTheApiOnly_WithTheBearerScheme()
    {
        using var document = JsonDocument.Parse(await GenerateAsync());

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p, StringComparison.Ordinal));
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.True(document.RootElement.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        Assert.False(document.RootElement.TryGetProperty("servers", out _), "The document names a server: it would differ from host to host.");
    }

    /// <summary>The generated document is the committed one, byte for byte (line ends aside).</summary>
    [Fact]
    public async Task TheDocument_IsTheCommittedOne()
    {
        var generated = Normalize(await GenerateAsync());
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, generated, new UTF8Encoding(false));
            return;
        }

        var committed = File.Exists(CommittedPath) ? Normalize(await File.ReadAllTextAsync(CommittedPath)) : "";
        if (committed != generated)
        {
            Assert.Fail(
                $"The API's OpenAPI document differs from the committed {Path.GetRelativePath(RepoRoot(), CommittedPath)}"
                + $" (first difference at line {FirstDifferentLine(committed, generated)}: {LineAt(committed, FirstDifferentLine(committed, generated))} → {LineAt(generated, FirstDifferentLine(committed, generated))})."
                + $"\nIf the change to the API is intended, regenerate the file and commit it with the change:\n  {UpdateCommand}");
        }
    }

    /// <summary>Twice the same bytes: nothing in the document depends on time, order of discovery or the host.</summary>
    [Fact]
    public async Task TheDocument_IsDeterministic()
    {
        var first = await GenerateAsync();
        using var other = factory.ApiClient(null);
        other.DefaultRequestHeaders.Host = "crm.example.com";
        var second = await other.GetStringAsync("/openapi/v1.json");

        Assert.Equal(first, second);
    }

    /// <summary>Every request body and success response shows an example (ApiExamples); every error is problem+json with one.</summary>
    [Fact]
    public async Task EveryBodyAndSuccessResponse_HasAnExample_AndEveryErrorIsProblemJson()
    {
        using var document = JsonDocument.Parse(await GenerateAsync());
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var missing = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString() is { Length: > 0 }, $"{name} has no summary (/// <summary> on the action).");
                if (operation.Value.TryGetProperty("requestBody", out var body))
                {
                    foreach (var media in body.GetProperty("content").EnumerateObject())
                    {
                        if (!HasExample(media.Value, schemas))
                        {
                            missing.Add($"{name} request body ({media.Name})");
                        }
                    }
                }

                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    var content = response.Value.TryGetProperty("content", out var c) ? c.EnumerateObject().ToList() : [];
                    if (response.Name.StartsWith('2'))
                    {
                        missing.AddRange(content.Where(m => !HasExample(m.Value, schemas)).Select(m => $"{name} {response.Name} ({m.Name})"));
                    }
                    else
                    {
                        Assert.True(content.Count == 1 && content[0].Name == "application/problem+json", $"{name} {response.Name} is not application/problem+json only.");
                        Assert.True(content[0].Value.TryGetProperty("example", out _), $"{name} {response.Name} has no example.");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "No example for these (add their types to CaseCrm.Web.Features.Api.ApiExamples):\n" + string.Join("\n", missing));
    }

    private async Task<string> GenerateAsync()
    {
        using var client = factory.ApiClient(null);
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A media type's example, its schema's, or (for a list) its items' schema's; for an optional body (<c>oneOf</c> null or a schema), that schema's.</summary>
    private static bool HasExample(JsonElement media, JsonElement schemas)
    {
        if (media.TryGetProperty("example", out _) || media.TryGetProperty("examples", out _))
        {
            return true;
        }

        var schema = media.GetProperty("schema");
        for (var depth = 0; depth < 4; depth++)
        {
            if (schema.TryGetProperty("oneOf", out var oneOf)
                && oneOf.EnumerateArray().Where(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")).ToList() is [var only])
            {
                schema = only;
            }

            if (schema.TryGetProperty("$ref", out var reference))
            {
                schema = schemas.GetProperty(reference.GetString()!["#/components/schemas/".Length..]);
            }

            if (schema.TryGetProperty("examples", out _) || schema.TryGetProperty("example", out _))
            {
                return true;
            }

            if (!schema.TryGetProperty("items", out var items))
            {
                return false;
            }

            schema = items;
        }

        return false;
    }

    private static string Normalize(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";

    private static int FirstDifferentLine(string a, string b)
    {
        var (x, y) = (a.Split('\n'), b.Split('\n'));
        var i = 0;
        while (i < x.Length && i < y.Length && x[i] == y[i])
        {
            i++;
        }

        return i + 1;
    }

    private static string LineAt(string text, int line) => text.Split('\n') is var lines && line <= lines.Length ? $"'{lines[line - 1].Trim()}'" : "(end)";

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaseCrm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No CaseCrm.sln above {AppContext.BaseDirectory}.");
    }

    public sealed class Sqlite(SqliteWebFactory factory) : OpenApiDocumentTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : OpenApiDocumentTests(factory), IClassFixture<PostgresWebFactory>;
}
