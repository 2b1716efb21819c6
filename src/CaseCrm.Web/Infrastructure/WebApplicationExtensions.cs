using CaseCrm.Data;
using CaseCrm.Web.Features.Api;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serilog;

namespace CaseCrm.Web.Infrastructure;

internal static class WebApplicationExtensions
{
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DbInitializer>().InitializeAsync();
    }

    public static void UseCrmPipeline(this WebApplication app)
    {
        if (WebServiceCollectionExtensions.KnownProxies(app.Configuration).Count > 0)
        {
            // First, so that everything after sees the client's scheme and address.
            app.UseForwardedHeaders();
        }

        // Behind a proxy that serves the app under a sub-path (PathBase=/crm): every link and redirect is built from it.
        if (app.Configuration["PathBase"] is { Length: > 0 } pathBase)
        {
            app.UsePathBase(pathBase);
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            // The host filter (AllowedHosts, on by default) answers 400 to a Host header that is not listed; "*" lets any
            // name through, which a production site should not (poisoned absolute links, cache keys).
            if (app.Configuration["AllowedHosts"] is null or "" or "*")
            {
                app.Logger.LogWarning("AllowedHosts is \"*\": set it to the site's host names, separated by semicolons (docs/security.md)");
            }
        }

        // An unexpected error: the error page, or for the API a problem+json 500.
        app.UseWhen(context => !Features.Api.ApiAuthentication.IsApi(context), pages => pages.UseExceptionHandler("/Error/500"));
        app.UseWhen(Features.Api.ApiAuthentication.IsApi, api => api.UseExceptionHandler());
        // The API answers its own status codes (JSON, WWW-Authenticate); the pages render theirs.
        app.UseWhen(context => !Features.Api.ApiAuthentication.IsApi(context), pages => pages.UseStatusCodePagesWithReExecute("/Error/{0}"));
        app.UseMiddleware<SecurityHeadersMiddleware>();
        // A NUL character is never valid input (PostgreSQL refuses it in text): answer 400, not a server error. Forms are
        // checked by NulFormFilter, after the antiforgery check has read them.
        app.Use(async (context, next) =>
        {
            if (context.Request.QueryString.HasValue && context.Request.Query.Any(q => q.Value.Any(v => v is not null && v.Contains('\0', StringComparison.Ordinal))))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            await next(context);
        });
        app.UseStaticFiles();
        app.UseSerilogRequestLogging();
        app.UseRequestLocalization();
        if (!app.Environment.IsDevelopment())
        {
            // After localization, so that the page is in the reader's language; before anything sets a Secure cookie.
            app.UseHttpsRequired();
        }

        app.UseHeadAsGet();
        app.UseRouting();
        // After authentication: the API's limit is kept per token.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapHealthChecks("/health").AllowAnonymous();
        // The API's description is public, as any API reference (docs/api.md); the API itself needs a token.
        app.MapOpenApi(Features.Api.ApiDocument.Path).AllowAnonymous();
        app.MapApiReference();
        app.MapControllerRoute("default", "{controller=Home}/{action=Index}/{id?}");
    }

    /// <summary>Prints where the app listens and, on a demo run, each demo sign-in, one per line.</summary>
    public static void PrintStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var lines = new List<string>();
            lines.AddRange(addresses.Select(a => $"CaseCrm listening on {a}"));
            using var scope = app.Services.CreateScope();
            if (scope.ServiceProvider.GetRequiredService<DbInitializer>().SeedsDemo)
            {
                lines.Add("Demo sign-ins (email / password / role):");
                lines.AddRange(DbInitializer.DemoUsers.Select(u => $"  {u.Email} / {u.Password} / {u.Role}"));
            }

            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }
        });
    }
}
