using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.Benchmarks;

/// <summary>
/// What the benchmark host adds to the app (scripts/benchmark.sh, docs/performance.md): counters of requests, SQL
/// commands and allocated bytes at <c>/Benchmark/Stats</c>, and the hand-written baseline of the contact page at
/// <c>/Benchmark/Baseline/Contacts/{id}</c>. The app itself has neither: there both answer 404.
/// </summary>
internal static class BenchmarkSetup
{
    /// <summary>Loads appsettings.Benchmark.json; to the app it is just another environment that is not Development.</summary>
    public const string EnvironmentName = "Benchmark";

    public static IServiceCollection AddCrmBenchmark(this IServiceCollection services)
    {
        services.AddSingleton<BenchmarkCounters>();
        // AddCrmData adds every DI-registered interceptor to each context.
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<BenchmarkCounters>());
        services.AddSingleton<IStartupFilter, CountRequests>();
        services.AddScoped<ContactCasesBaseline>();
        // wrk and curl talk plain HTTP on loopback; outside Development the app would mark its cookies Secure, and
        // antiforgery refuses to work over HTTP then.
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.PostConfigure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services;
    }

    /// <summary>
    /// Mapped on the app itself rather than in a startup filter, so that the baseline goes through the app's own
    /// pipeline (localization, authentication, authorization ...) as the page it is compared with does.
    /// </summary>
    public static void MapCrmBenchmark(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/Benchmark/Stats", (BenchmarkCounters counters) => Results.Text(counters.Describe(), "text/plain", Encoding.UTF8))
            .AllowAnonymous();
        endpoints.MapGet("/Benchmark/Baseline/Contacts/{id:int}", async (int id, int? page, HttpContext context, ContactCasesBaseline baseline, CancellationToken ct) =>
            {
                var html = await baseline.RenderAsync(context, id, page ?? 1, ct);
                return html is null ? Results.NotFound() : Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
            })
            .RequireAuthorization();
    }

    /// <summary>Counts every request but the readings of the counters, in front of the whole app; each one as HTTPS.</summary>
    private sealed class CountRequests(BenchmarkCounters counters) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                // Outside Development the app refuses plain HTTP (RequestGuards.UseHttpsRequired); wrk and curl speak
                // HTTP on loopback, so the host passes each request on as HTTPS, as a TLS-terminating proxy would.
                context.Request.Scheme = "https";
                await nextMiddleware(context);
                if (!context.Request.Path.StartsWithSegments("/Benchmark/Stats", StringComparison.OrdinalIgnoreCase))
                {
                    counters.CountRequest();
                }
            });
            next(app);
        };
    }
}
