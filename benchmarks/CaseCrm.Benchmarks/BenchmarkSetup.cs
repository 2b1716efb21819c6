using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CaseCrm.Web.Features.Benchmark;

/// <summary>
/// What exists only when the app runs in the <c>Benchmark</c> environment (scripts/benchmark.sh, docs/performance.md):
/// counters of requests, SQL commands and allocated bytes at <c>/Benchmark/Stats</c>, and the hand-written baseline
/// of the contact page at <c>/Benchmark/Baseline/Contacts/{id}</c>. In every other environment neither is registered,
/// so both answer 404.
/// </summary>
internal static class BenchmarkSetup
{
    public const string EnvironmentName = "Benchmark";

    public static bool IsBenchmark(this IHostEnvironment environment) => environment.IsEnvironment(EnvironmentName);

    public static IServiceCollection AddCrmBenchmark(this IServiceCollection services)
    {
        services.AddSingleton<BenchmarkCounters>();
        // AddCrmData adds every DI-registered interceptor to each context.
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<BenchmarkCounters>());
        services.AddScoped<ContactCasesBaseline>();
        return services;
    }

    /// <summary>Counts requests first in the pipeline; call before the rest of it.</summary>
    public static void UseCrmBenchmarkCounters(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            if (!context.Request.Path.StartsWithSegments("/Benchmark/Stats", StringComparison.OrdinalIgnoreCase))
            {
                context.RequestServices.GetRequiredService<BenchmarkCounters>().CountRequest();
            }
        });

    public static void MapCrmBenchmark(this WebApplication app)
    {
        app.MapGet("/Benchmark/Stats", (BenchmarkCounters counters) => Results.Text(counters.Describe(), "text/plain", Encoding.UTF8))
            .AllowAnonymous();
        app.MapGet("/Benchmark/Baseline/Contacts/{id:int}", async (int id, int? page, HttpContext context, ContactCasesBaseline baseline, CancellationToken ct) =>
            {
                var html = await baseline.RenderAsync(context, id, page ?? 1, ct);
                return html is null ? Results.NotFound() : Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
            })
            .RequireAuthorization();
    }
}

/// <summary>Totals since the app started; the benchmark reads them before and after each run and divides by the requests.</summary>
internal sealed class BenchmarkCounters : DbCommandInterceptor
{
    private long _requests;
    private long _commands;

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public string Describe()
    {
        var status = File.Exists("/proc/self/status") ? File.ReadAllLines("/proc/self/status") : [];
        string Kb(string key) => status.FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal))?[(key.Length + 1)..].Trim().Split(' ')[0] ?? "0";
        return string.Create(CultureInfo.InvariantCulture, $"""
            requests={Interlocked.Read(ref _requests)}
            sql_commands={Interlocked.Read(ref _commands)}
            allocated_bytes={GC.GetTotalAllocatedBytes(precise: false)}
            cpu_ms={Environment.CpuUsage.TotalTime.TotalMilliseconds:F0}
            gc_collections={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}
            vm_hwm_kb={Kb("VmHWM")}
            vm_rss_kb={Kb("VmRSS")}

            """);
    }

    public override InterceptionResult<System.Data.Common.DbDataReader> ReaderExecuting(
        System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }

    public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
        System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commands);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commands);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commands);
        return ValueTask.FromResult(result);
    }
}
