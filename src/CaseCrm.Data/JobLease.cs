using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Data;

/// <summary>
/// A lease on a background job, so that one instance at a time runs it: taken with one conditional UPDATE when it is free,
/// expired or already this instance's; a crashed holder's lease runs out by itself.
/// </summary>
public sealed class JobLease
{
    /// <summary>The service-level check (notifications of cases at risk and breached).</summary>
    public const string ServiceLevelNotices = "ServiceLevelNotices";

    public string Name { get; set; } = string.Empty;
    public string? Holder { get; set; }
    public DateTime? Until { get; set; }

    /// <summary>Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> until <paramref name="until"/>; false when another holds it.</summary>
    public static async Task<bool> TryTakeAsync(CrmDbContext db, string name, string holder, DateTime now, DateTime until, CancellationToken ct) =>
        await db.JobLeases
            .Where(l => l.Name == name && (l.Until == null || l.Until < now || l.Holder == holder))
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.Holder, holder).SetProperty(x => x.Until, until), ct) == 1;

    /// <summary>Gives the lease back, so another instance need not wait for it to run out.</summary>
    public static Task ReleaseAsync(CrmDbContext db, string name, string holder, CancellationToken ct) =>
        db.JobLeases.Where(l => l.Name == name && l.Holder == holder)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.Holder, (string?)null).SetProperty(x => x.Until, (DateTime?)null), ct);
}
