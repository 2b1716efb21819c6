using CaseCrm.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CaseCrm.Web.Features.Mailboxes;

/// <summary>
/// Polls every active mailbox, one instance per mailbox at a time: an instance takes a mailbox's lease with one
/// conditional UPDATE (free, expired, or already its own) and reads it only when that UPDATE changed the row. A crashed
/// instance's lease expires after <see cref="EmailOptions.Lease"/>. Exactly once rests on the unique Message-ID per
/// mailbox, not on the lease: the lease only keeps two instances from doing the same work.
/// </summary>
public sealed class MailboxPoller(IServiceScopeFactory scopes, IOptions<EmailOptions> options, TimeProvider clock, ILogger<MailboxPoller> logger) : BackgroundService
{
    /// <summary>This instance, as the lease names it.</summary>
    public string InstanceId { get; } = Bounded($"{Guid.NewGuid():N}-{Environment.ProcessId}-{Environment.MachineName}");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Receive)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        do
        {
            try
            {
                await PollAllAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Polling the mailboxes failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: every active mailbox this instance can lease. Returns how many messages were stored.</summary>
    public async Task<int> PollAllAsync(CancellationToken ct)
    {
        List<int> ids;
        await using (var scope = scopes.CreateAsyncScope())
        {
            ids = await scope.ServiceProvider.GetRequiredService<CrmDbContext>().Mailboxes.AsNoTracking()
                .Where(m => m.IsActive).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(ct);
        }

        var stored = 0;
        foreach (var id in ids)
        {
            stored += await PollOneAsync(id, ct);
        }

        return stored;
    }

    private async Task<int> PollOneAsync(int mailboxId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + options.Value.Lease;
        var taken = await db.Mailboxes
            .Where(m => m.Id == mailboxId && m.IsActive && (m.LeaseUntil == null || m.LeaseUntil < now || m.LeaseOwner == InstanceId))
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.LeaseOwner, InstanceId).SetProperty(x => x.LeaseUntil, until), ct);
        if (taken == 0)
        {
            return 0;
        }

        var mailbox = await db.Mailboxes.AsNoTracking().SingleAsync(m => m.Id == mailboxId, ct);
        string? error = null;
        var stored = 0;
        try
        {
            var result = await scope.ServiceProvider.GetRequiredService<MailboxReader>().PollAsync(mailbox, ct);
            stored = result.Stored;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Mailbox {MailboxId} could not be read", mailboxId);
            error = ex.Message.Length > 1_000 ? ex.Message[..1_000] : ex.Message;
        }
        finally
        {
            var done = clock.GetUtcNow().UtcDateTime;
            await db.Mailboxes.Where(m => m.Id == mailboxId && m.LeaseOwner == InstanceId).ExecuteUpdateAsync(m => m
                .SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (DateTime?)null)
                .SetProperty(x => x.LastPolledAt, done).SetProperty(x => x.LastError, error), CancellationToken.None);
        }

        return stored;
    }

    private static string Bounded(string id) => id.Length <= 100 ? id : id[..100];
}
