using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using CaseCrm.Data;
using CaseCrm.Domain.Access;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CaseCrm.Web.Features.Api;

/// <summary>
/// The API's only way in (ADR 0027): <c>Authorization: Bearer &lt;secret&gt;</c> of a personal access token that is not
/// revoked nor expired, of an active user (checked on every request, so disabling a user stops their tokens at once). The
/// principal carries the claims the sign-in cookie would (<see cref="AppClaimsFactory.TokenIdentity"/>: roles, display name, time zone), plus the
/// token's id. Requests under <see cref="Path"/> are authenticated by this scheme only and the pages never by it
/// (<see cref="ApiAuthentication.Selector"/>).
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    CrmDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";
    public const string TokenIdClaim = "casecrm:token_id";

    /// <summary>How often a token's "last used" is written at most.</summary>
    public static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    private const int MaxSecretLength = 200;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > MaxSecretLength)
        {
            return AuthenticateResult.Fail("Malformed bearer token.");
        }

        var hash = PersonalAccessToken.Hash(secret);
        var now = clock.GetUtcNow().UtcDateTime;
        // The token, its active user and the user's roles in one statement (the sign-in cookie carries them; a token is
        // read on every request, so it is checked on every request too).
        var token = await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.SecretHash == hash && t.RevokedAt == null && t.ExpiresAt > now)
            .Join(db.Users.Where(u => u.IsActive), t => t.OwnerId, u => u.Id, (t, u) => new
            {
                t.Id,
                t.Prefix,
                t.LastUsedAt,
                User = new { u.Id, u.UserName, u.Email, u.DisplayName, u.TimeZoneId },
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, role => role.Id, (_, role) => role.Name).ToList(),
            })
            .SingleOrDefaultAsync(Context.RequestAborted);
        var log = Context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CaseCrm.Security");
        if (token is null)
        {
            // Only the first characters, which the token page shows too: never the secret.
            log.LogWarning("Refused API token {TokenPrefix} for {Method} {Path}", secret[..Math.Min(secret.Length, PersonalAccessToken.DisplayPrefixLength)], Request.Method, Request.Path);
            return AuthenticateResult.Fail("Unknown, revoked or expired token.");
        }

        if (token.LastUsedAt is not { } used || now - used >= LastUsedPrecision)
        {
            await db.PersonalAccessTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(t => t.SetProperty(x => x.LastUsedAt, now), Context.RequestAborted);
        }

        var identity = AppClaimsFactory.TokenIdentity(
            SchemeName, token.User.Id, token.User.UserName, token.User.Email, token.User.DisplayName, token.User.TimeZoneId, token.Roles.OfType<string>());
        identity.AddClaim(new Claim(TokenIdClaim, token.Id.ToString(CultureInfo.InvariantCulture)));
        log.LogInformation("API token {TokenId} ({TokenPrefix}) of {User} used for {Method} {Path}", token.Id, token.Prefix, token.User.Email, Request.Method, Request.Path);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c>, as problem+json in the request's language.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiAuthentication.WriteProblemAsync(Context, StatusCodes.Status401Unauthorized, "Api_TokenRequired");
    }

    /// <summary>403 (the token's user may not do this: a role the page's policy asks for), as problem+json.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiAuthentication.WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "Api_Forbidden");
}

/// <summary>Settings of the <c>Api</c> section.</summary>
public sealed class ApiOptions
{
    /// <summary>Requests one token may make in each <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 120;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>How the API's scheme sits beside the sign-in cookie, and its rate limit per token.</summary>
public static class ApiAuthentication
{
    /// <summary>Everything under it is the API.</summary>
    public const string Path = "/api";

    /// <summary>The default scheme: picks the token for the API and the sign-in cookie for everything else.</summary>
    public const string Selector = "CaseCrm";

    public const string RateLimitPolicy = "Api";

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Writes an answer of the API's pipeline (401, 403, 429: outside any controller) as <c>application/problem+json</c>
    /// whose <c>detail</c> is the SharedResource text <paramref name="detailKey"/> in the request's language.
    /// </summary>
    public static async Task WriteProblemAsync(HttpContext context, int status, string detailKey)
    {
        context.Response.StatusCode = status;
        var services = context.RequestServices;
        var detail = services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>()[detailKey].Value;
        // 429 has no default type nor title in ASP.NET's client error mapping (401 and 403 have).
        var problem = services.GetRequiredService<Microsoft.AspNetCore.Mvc.Infrastructure.ProblemDetailsFactory>().CreateProblemDetails(
            context, status, detail: detail,
            title: status == StatusCodes.Status429TooManyRequests ? "Too Many Requests" : null,
            type: status == StatusCodes.Status429TooManyRequests ? "https://tools.ietf.org/html/rfc6585#section-4" : null);
        // A client that accepts no JSON (Accept: text/plain) gets the status and headers alone.
        await services.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    public static IServiceCollection AddApiAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(Selector, null, o => o.ForwardDefaultSelector = context =>
                IsApi(context) ? TokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme);

        // After AddIdentity, which makes the cookie the default of everything: the selector decides instead (signing in and
        // out still name the cookie scheme).
        services.PostConfigure<Microsoft.AspNetCore.Authentication.AuthenticationOptions>(o =>
        {
            o.DefaultScheme = Selector;
            o.DefaultAuthenticateScheme = Selector;
            o.DefaultChallengeScheme = Selector;
            o.DefaultForbidScheme = Selector;
        });

        var api = configuration.GetSection("Api").Get<ApiOptions>() ?? new ApiOptions();
        services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o => o.AddPolicy(RateLimitPolicy, context =>
            context.User.FindFirst(TokenAuthenticationHandler.TokenIdClaim)?.Value is { } tokenId
                ? RateLimitPartition.GetFixedWindowLimiter(tokenId, _ => new FixedWindowRateLimiterOptions { PermitLimit = api.PermitLimit, Window = api.Window, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("")));
        return services;
    }
}
