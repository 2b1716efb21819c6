using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Scalar.AspNetCore;

namespace CaseCrm.Web.Features.Api;

/// <summary>
/// The API's reference page (<c>/scalar</c>): Scalar's viewer of <c>/openapi/v1.json</c>, served by the app from the
/// Scalar.AspNetCore package (no CDN, no fonts, telemetry or AI agent from elsewhere). Public, as the document is. Its page
/// starts the viewer with an inline script: the one exception to the site's Content-Security-Policy, a nonce fresh on
/// every request, and inline styles (the viewer writes style elements and attributes as it renders), on this page only (ADR
/// 0029, <see cref="Infrastructure.SecurityHeadersMiddleware"/>).
/// </summary>
public static class ApiReference
{
    public const string Path = "/scalar";

    /// <summary>Requests of the reference page and its own files (/scalar, /scalar/, /scalar/scalar.js, …).</summary>
    public static bool IsReference(HttpContext context) => context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase);

    private const string NonceKey = "CaseCrm.ApiReference.Nonce";

    /// <summary>The nonce of this response's script tags, if the page was rendered.</summary>
    public static string? NonceOf(HttpContext context) =>
        IsReference(context) && context.Items.TryGetValue(NonceKey, out var nonce) && nonce is string { Length: > 0 } value ? value : null;

    public static IEndpointConventionBuilder MapApiReference(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapScalarApiReference(Path, (o, context) =>
            {
                // 256 random bits, fresh on every page, on its script tags: the start script inline, the viewer, and ours
                // that keeps the viewer from probing for eval (wwwroot/js/api-reference.js).
                var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
                context.Items[NonceKey] = nonce;
                var script = HtmlEncoder.Default.Encode(context.Request.PathBase + "/js/api-reference.js");
                o.WithNonce(nonce).AddHeadContent($"<script src=\"{script}\" nonce=\"{nonce}\"></script>");
                // The document names no server (it is the same on every host): the examples and "Test Request" use the
                // address the page was asked for (behind a proxy, the one it forwards; the host is one AllowedHosts lists).
                o.AddServer($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}");
                Configure(o);
            })
            .AllowAnonymous();

    private static void Configure(ScalarOptions o) => o
        .WithTitle("CaseCrm API")
        .WithOpenApiRoutePattern(ApiDocument.Path)
        .DisableDefaultFonts()
        .DisableTelemetry()
        .DisableAgent()
        .DisableMcp()
        .AddPreferredSecuritySchemes("Bearer")
        .HideDeveloperTools()
        .ExpandAllTags()
        .SortTagsAlphabetically()
        .SortOperationsByMethod();
}
