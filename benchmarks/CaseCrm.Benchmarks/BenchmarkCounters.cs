using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CaseCrm.Benchmarks;

/// <summary>Totals since the app started; the benchmark reads them before and after each run and divides by the requests.</summary>
internal sealed class BenchmarkCounters : DbCommandInterceptor
{
    private long _requests;
    private long _commands;

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public long Commands => Interlocked.Read(ref _commands);

    /// <summary>The most resident memory the process has had (VmHWM), in KB.</summary>
    public static long PeakKb => long.Parse(Kb(Status(), "VmHWM"), CultureInfo.InvariantCulture);

    public string Describe()
    {
        var status = Status();
        return string.Create(CultureInfo.InvariantCulture, $"""
            requests={Interlocked.Read(ref _requests)}
            sql_commands={Interlocked.Read(ref _commands)}
            allocated_bytes={GC.GetTotalAllocatedBytes(precise: false)}
            cpu_ms={Environment.CpuUsage.TotalTime.TotalMilliseconds:F0}
            gc_collections={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}
            gc_heap_bytes={GC.GetTotalMemory(forceFullCollection: false)}
            jit_methods={System.Runtime.JitInfo.GetCompiledMethodCount()}
            jit_ms={System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0}
            gc_pause_ms={GC.GetTotalPauseDuration().TotalMilliseconds:F0}
            vm_hwm_kb={Kb(status, "VmHWM")}
            vm_rss_kb={Kb(status, "VmRSS")}
            rss_file_kb={Kb(status, "RssFile")}
            rss_shmem_kb={Kb(status, "RssShmem")}
            rss_anon_kb={Kb(status, "RssAnon")}
            gc_committed_bytes={GC.GetGCMemoryInfo().TotalCommittedBytes}

            """);
    }

    private static string[] Status() => File.Exists("/proc/self/status") ? File.ReadAllLines("/proc/self/status") : [];

    private static string Kb(string[] status, string key) =>
        status.FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal))?[(key.Length + 1)..].Trim().Split(' ')[0] ?? "0";

    public override InterceptionResult<DbDataReader> ReaderExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commands);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commands);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commands);
        return ValueTask.FromResult(result);
    }
}
