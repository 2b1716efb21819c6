using System.Globalization;
using System.Text.Json;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Api;

/// <summary>
/// What every API controller is: JSON under /api/v1, a personal access token as the only credential (never the sign-in
/// cookie, so no antiforgery token either), rate-limited per token, errors as problem+json (<see cref="ApiProblemsAttribute"/>).
/// The controllers live beside the pages they mirror (Features/Contacts, Features/Cases, …) and call the same services.
/// </summary>
[ApiController]
[Authorize(AuthenticationSchemes = TokenAuthenticationHandler.SchemeName)]
[EnableRateLimiting(ApiAuthentication.RateLimitPolicy)]
[IgnoreAntiforgeryToken]
[ApiProblems]
public abstract class ApiControllerBase : ControllerBase
{
    /// <summary>The API's texts (Api_… keys of SharedResource), in the request's language.</summary>
    protected IStringLocalizer<SharedResource> L => HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();

    /// <summary>
    /// Validates a request body with the page form's validator: null when valid, else a 422 problem whose <c>errors</c>
    /// name the JSON fields (camelCase) with the messages in the request's language.
    /// </summary>
    protected async Task<ActionResult?> InvalidAsync<T>(IValidator<T> validator, T body, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(body, ct);
        if (result.IsValid)
        {
            return null;
        }

        foreach (var error in result.Errors)
        {
            ModelState.AddModelError(JsonNamingPolicy.CamelCase.ConvertName(error.PropertyName), error.ErrorMessage);
        }

        return ValidationProblem(statusCode: StatusCodes.Status422UnprocessableEntity, modelStateDictionary: ModelState);
    }

    /// <summary>A 422 problem naming one field of the body (camelCase) with its message.</summary>
    protected ActionResult InvalidField(string name, string message)
    {
        ModelState.AddModelError(name, message);
        return ValidationProblem(statusCode: StatusCodes.Status422UnprocessableEntity, modelStateDictionary: ModelState);
    }

    /// <summary>A 400 problem naming one bad parameter (a query string value, a cursor).</summary>
    protected ActionResult BadParameter(string name, string message)
    {
        ModelState.AddModelError(name, message);
        return ValidationProblem(ModelState);
    }

    /// <summary>The record's concurrency token as the response's strong ETag: <c>"&lt;version&gt;"</c>.</summary>
    protected void SetETag(int version) => Response.Headers.ETag = ETag(version);

    public static string ETag(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// The version an <c>If-Match</c> header names (ADR 0028): <see cref="IfMatch.Missing"/> when absent (the caller answers
    /// 428), <see cref="IfMatch.Malformed"/> when it is not one ETag this API gave (412), else the version.
    /// </summary>
    protected (IfMatch State, int Version) ReadIfMatch()
    {
        var header = Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            return (IfMatch.Missing, 0);
        }

        return header.Length > 2 && header[0] == '"' && header[^1] == '"'
            && int.TryParse(header.AsSpan(1, header.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? (IfMatch.Version, version)
            : (IfMatch.Malformed, 0);
    }

    /// <summary>428 (no If-Match) or 412 (an If-Match this API did not give) as problem+json.</summary>
    protected ActionResult PreconditionProblem(IfMatch state) => state == IfMatch.Missing
        ? Problem(statusCode: StatusCodes.Status428PreconditionRequired, detail: L["Api_IfMatchRequired"])
        : Problem(statusCode: StatusCodes.Status412PreconditionFailed, detail: L["Api_IfMatchMalformed"]);
}

public enum IfMatch
{
    Missing,
    Malformed,
    Version,
}
