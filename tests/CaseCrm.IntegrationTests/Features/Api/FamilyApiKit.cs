using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseCrm.IntegrationTests.Infrastructure;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>A problem+json answer of the API: its status, <c>code</c>, <c>detail</c>, every violation's message and the field errors.</summary>
public sealed record ApiProblem(HttpStatusCode Status, string? Code, string? Detail, IReadOnlyList<string> Messages, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>The case an API write answers (the fields of the API's <c>CaseItem</c> these tests read).</summary>
public sealed record ApiCase(int Id, string Number, string Title, string Status, ApiRef Contact, ApiParent? Parent, List<ApiChild> Children, int? MergedIntoId, int Version);

public sealed record ApiRef(int Id, string Name);

public sealed record ApiParent(int Id, string Number);

public sealed record ApiChild(int Id, string Number, string Title, string Status);

/// <summary>Clients and answers of the parent/child and merge API tests.</summary>
public static class FamilyApiKit
{
    /// <summary>A client with the token of a new user of <paramref name="role"/>, asking for <paramref name="language"/> when given.</summary>
    public static async Task<HttpClient> TokenClientAsync(this CrmWebFactory factory, string role, string? language = null)
    {
        var user = await factory.NewUserAsync(role);
        var client = factory.ApiClient((await factory.NewTokenAsync(user.Id)).Secret);
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }

        return client;
    }

    /// <summary>Reads a problem+json answer; fails unless it is one.</summary>
    public static async Task<ApiProblem> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var messages = body.TryGetProperty("violations", out var violations)
            ? violations.EnumerateArray().Select(v => v.GetProperty("message").GetString()!).ToList()
            : [];
        var errors = body.TryGetProperty("errors", out var fields)
            ? fields.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.EnumerateArray().Select(e => e.GetString()!).ToArray())
            : [];
        return new ApiProblem(
            response.StatusCode,
            body.TryGetProperty("code", out var code) ? code.GetString() : null,
            body.TryGetProperty("detail", out var detail) ? detail.GetString() : null,
            messages,
            errors);
    }

    /// <summary>
    /// Reads the case a write answered; fails unless its ETag is its version and it is exactly what GET /api/v1/cases/{id}
    /// answers now (the same body and ETag).
    /// </summary>
    public static async Task<ApiCase> CaseAnswerAsync(this HttpResponseMessage response, HttpClient api)
    {
        var text = await response.Content.ReadAsStringAsync();
        var item = JsonSerializer.Deserialize<ApiCase>(text, JsonSerializerOptions.Web)!;
        Assert.Equal($"\"{item.Version}\"", response.Headers.ETag?.Tag);
        using var read = await api.GetAsync($"/api/v1/cases/{item.Id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(response.Headers.ETag?.Tag, read.Headers.ETag?.Tag);
        Assert.Equal(JsonNode.Parse(await read.Content.ReadAsStringAsync())!.ToJsonString(), JsonNode.Parse(text)!.ToJsonString());
        return item;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON and reads the refusal, which must be a 422 with <paramref name="code"/>.</summary>
    public static async Task<ApiProblem> RefusedAsync(this HttpClient api, string url, object body, string code)
    {
        using var response = await api.PostAsJsonAsync(url, body);
        var problem = await response.ProblemAsync();
        Assert.True(problem.Status == HttpStatusCode.UnprocessableEntity, $"{url} answered {(int)problem.Status}: {problem.Detail}");
        Assert.Equal(code, problem.Code);
        return problem;
    }

    /// <summary>Fails unless the page shows every message the API gave for the same attempt (so the same rule and code).</summary>
    public static void AssertPageShows(string pageText, ApiProblem problem)
    {
        Assert.NotEmpty(problem.Messages);
        Assert.All(problem.Messages, m => Assert.Contains(m, Squash(pageText), StringComparison.Ordinal));
    }
}
