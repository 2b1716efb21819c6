using CaseCrm.Data.Cases;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Infrastructure;

/// <summary>Runs case operations at the same moment, each with its own context and service, as separate instances would.</summary>
public static class Race
{
    /// <summary>
    /// Runs every operation at once and returns what each threw (null for success). The contexts are connected
    /// beforehand, so that the barrier releases them straight into their transactions; each worker waits at the barrier on
    /// a thread of its own, so that a busy thread pool cannot hold one back.
    /// </summary>
    public static async Task<(Exception?[] Results, int Retries)> RunAsync(TestDatabase database, IReadOnlyList<Func<CaseService, Task>> operations)
    {
        var contexts = operations.Select(_ => database.NewContext()).ToArray();
        try
        {
            var services = contexts.Select(db => database.NewCaseService(db)).ToArray();
            foreach (var db in contexts)
            {
                await db.Database.OpenConnectionAsync();
            }

            using var barrier = new Barrier(operations.Count);
            var results = await Task.WhenAll(operations.Select((operation, i) => Task.Factory.StartNew(async () =>
            {
                barrier.SignalAndWait(TimeSpan.FromSeconds(30));
                try
                {
                    await operation(services[i]);
                    return (Exception?)null;
                }
                catch (Exception ex)
                {
                    return ex;
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));
            return (results, services.Sum(s => s.Retries));
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }
}
