using CaseCrm.Data;
using CaseCrm.Data.Notifications;
using CaseCrm.Domain.Notifications;
using CaseCrm.Domain.ServiceLevels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CaseCrm.Web.Features.ServiceLevels;

/// <summary>The "ServiceLevels" settings of the background check.</summary>
public sealed class ServiceLevelOptions
{
    /// <summary>Off: this instance does not check (another does, or the notifications wait).</summary>
    public bool Check { get; set; } = true;

    /// <summary>How often the instance holding the lease looks for cases at risk or breached.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an instance holds the check; another takes it over after this if the first stopped.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most cases one round reads (the rest follow in the next round, at once).</summary>
    public int Batch { get; set; } = 200;
}

/// <summary>
/// Tells assignees when a case of theirs is at risk or breached (ADR 0022). One instance at a time runs the check (the
/// <see cref="JobLease.ServiceLevelNotices"/> lease); each round reads the cases whose next notice is due (an index on
/// <c>NextNoticeAt</c>) and, per case, marks the notices given and adds the notifications in one transaction. The
/// notices given are a concurrency token of the case, so a notice is given once even if two rounds meet on a case (a
/// lease that ran out under a slow round): the second save fails and changes nothing. A crash before the commit loses
/// nothing — the notice is still due.
/// </summary>
public sealed class ServiceLevelMonitor(IServiceScopeFactory scopes, IOptions<ServiceLevelOptions> options, TimeProvider clock, ILogger<ServiceLevelMonitor> logger)
    : BackgroundService
{
    /// <summary>This instance, as the lease names it.</summary>
    public string InstanceId { get; } = $"{Guid.NewGuid():N}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Check)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The service-level check failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One check under the lease: every notice due now. Returns how many notices were given; null when another instance holds the lease.</summary>
    public async Task<int?> CheckAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await JobLease.TryTakeAsync(db, JobLease.ServiceLevelNotices, InstanceId, now, now + options.Value.Lease, ct))
        {
            return null;
        }

        try
        {
            var given = 0;
            int round;
            do
            {
                (round, var cases) = await GiveDueNoticesAsync(ct);
                given += round;
                if (cases < options.Value.Batch)
                {
                    break;
                }
            }
            while (!ct.IsCancellationRequested);

            return given;
        }
        finally
        {
            await JobLease.ReleaseAsync(db, JobLease.ServiceLevelNotices, InstanceId, CancellationToken.None);
        }
    }

    /// <summary>
    /// One round, without the lease (the lease only saves work; exactly once rests on the case's concurrency tokens): the
    /// notices due on up to <see cref="ServiceLevelOptions.Batch"/> cases. Returns the notices given and the cases read.
    /// </summary>
    public async Task<(int Given, int Cases)> GiveDueNoticesAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Cases.AsNoTracking()
            .Where(c => c.NextNoticeAt <= now)
            .OrderBy(c => c.NextNoticeAt)
            .Take(options.Value.Batch)
            .Select(c => c.Id)
            .ToListAsync(ct);
        var given = 0;
        foreach (var id in due)
        {
            given += await GiveAsync(db, id, now, ct);
        }

        return (given, due.Count);
    }

    private static async Task<int> GiveAsync(CrmDbContext db, int caseId, DateTime now, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var item = await db.Cases.SingleOrDefaultAsync(c => c.Id == caseId && c.NextNoticeAt <= now, ct);
        if (item is null)
        {
            return 0;
        }

        var notices = item.TakeDueNotices(now);
        foreach (var (target, notice) in notices)
        {
            var kind = notice is ServiceNotices.FirstResponseBreached or ServiceNotices.ResolutionBreached ? NotificationKind.Breached : NotificationKind.AtRisk;
            Notify.Add(db, item.AssignedToId, kind, item.Id, null, now, target);
        }

        try
        {
            await db.SaveChangesAsync(ct);
            return notices.Count;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone changed the case, or another round gave these notices first: nothing was written; the next round sees the new state.
            return 0;
        }
    }
}
