namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// Adds the security headers to every response (the app needs no inline script or style) and <c>Cache-Control: no-store</c>
/// to every signed-in page and JSON answer. One page is the exception (ADR 0029): the API reference page
/// (<see cref="Features.Api.ApiReference"/>) may run the scripts that carry the nonce Scalar drew for that response.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The policy of the API reference page (ADR 0029): the site's, but its scripts also run by this response's nonce, and
    /// inline styles are allowed (Scalar's viewer writes style elements and attributes as it renders; styles run no code).
    /// Still no inline script without the nonce, no eval, no other origin.
    /// </summary>
    public static string ReferencePagePolicy(string nonce) =>
        ContentSecurityPolicy
            .Replace("script-src 'self';", $"script-src 'self' 'nonce-{nonce}';", StringComparison.Ordinal)
            .Replace("style-src 'self';", "style-src 'self' 'unsafe-inline';", StringComparison.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.XFrameOptions = "DENY";
        headers["Permissions-Policy"] = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        context.Response.OnStarting(() =>
        {
            if (Features.Api.ApiReference.NonceOf(context) is { } nonce)
            {
                context.Response.Headers.ContentSecurityPolicy = ReferencePagePolicy(nonce);
            }

            // A signed-in page or any JSON holds customer data: no browser or proxy keeps a copy. Static files are served
            // before authentication, so they stay cacheable.
            if (context.User.Identity?.IsAuthenticated == true
                || context.Response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
