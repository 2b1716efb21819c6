using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CaseCrm.Web.Infrastructure;

/// <summary>Settings of the <c>SignIn</c> section: how fast one address may try passwords, and the account lockout.</summary>
public sealed class SignInOptions
{
    /// <summary>Sign-in attempts (POSTs) allowed per client address in each <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failures in a row that lock an account. Above what one address may try in two windows, so that one address
    /// cannot keep an account locked (docs/security.md, "Sign-in throttling").
    /// </summary>
    public int MaxFailedAccessAttempts { get; set; } = 20;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Sign-in POSTs are limited per client address (behind a listed proxy, the address it forwards): the next one in
/// the window answers 429 with Retry-After, which the status code pages render in the user's language.
/// </summary>
internal static class SignInRateLimit
{
    public const string Policy = "SignIn";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, SignInOptions options) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                var log = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CaseCrm.Security");
                if (Features.Api.ApiAuthentication.IsApi(context.HttpContext))
                {
                    log.LogWarning("API token {TokenId} exceeds the rate limit", context.HttpContext.User.FindFirst(Features.Api.TokenAuthenticationHandler.TokenIdClaim)?.Value);
                    return new ValueTask(Features.Api.ApiAuthentication.WriteProblemAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Api_TooManyRequests"));
                }

                log.LogWarning("Sign-in attempts from {ClientAddress} exceed the limit", context.HttpContext.Connection.RemoteIpAddress?.ToString());
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(Policy, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.PermitLimit, Window = options.Window, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(""));
        });
}
