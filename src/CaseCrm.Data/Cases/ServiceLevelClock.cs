using System.Collections.Concurrent;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CaseCrm.Data.Cases;

/// <summary>
/// Keeps the service-level clock of every case an operation changes (ADR 0022): before the save, each new case and each
/// case whose status, priority, category or first response changed follows its policy (<see cref="Case.FollowServiceLevel"/>).
/// The policies are read once per such save (one small query with their calendars' versions); a calendar's schedule is
/// built once per version and database and kept, so a write reads no hours or holidays unless a calendar changed.
/// </summary>
public static class ServiceLevelClock
{
    private static readonly string[] Followed =
        [nameof(Case.Status), nameof(Case.Priority), nameof(Case.CategoryId), nameof(Case.FirstRespondedAt)];

    private static readonly ConcurrentDictionary<(string Database, int CalendarId, int Version), WorkingSchedule> Schedules = new();

    private sealed record PolicyRow(ServicePolicy Policy, int CalendarVersion);

    // Read by every write that starts or moves a clock (creating a case): compiled once (CompiledQueries).
    private static readonly ConcurrentDictionary<IModel, Func<CrmDbContext, IAsyncEnumerable<PolicyRow>>> PolicyQueries = new();

    private static Func<CrmDbContext, IAsyncEnumerable<PolicyRow>> CompilePolicyQuery() =>
        EF.CompileAsyncQuery((CrmDbContext db) => db.ServicePolicies.AsNoTracking()
            .Select(p => new PolicyRow(p, db.ServiceCalendars.Where(c => c.Id == p.CalendarId).Select(c => c.Version).First())));

    /// <summary>Brings the clocks of the tracked cases that need it up to date at <paramref name="now"/>.</summary>
    public static async Task FollowAsync(CrmDbContext db, DateTime now, CancellationToken ct)
    {
        var cases = db.ChangeTracker.Entries<Case>()
            .Where(e => e.State == EntityState.Added
                || (e.State == EntityState.Modified && Followed.Any(p => !Equals(e.Property(p).OriginalValue, e.Property(p).CurrentValue))))
            .Select(e => e.Entity)
            .ToList();
        if (cases.Count == 0)
        {
            return;
        }

        var book = await BookAsync(db, cases.Select(c => c.ServiceCalendarId), ct);
        foreach (var item in cases)
        {
            item.FollowServiceLevel(book, now);
        }
    }

    /// <summary>
    /// Records the first response on the given cases (an email sent, an outgoing call logged) where none is recorded yet;
    /// their clocks follow when the operation saves. One query, which loads only the cases still waiting for one.
    /// </summary>
    public static async Task RecordFirstResponseAsync(CrmDbContext db, IReadOnlyCollection<int> caseIds, DateTime at, CancellationToken ct)
    {
        var waiting = await db.Cases.Where(c => caseIds.Contains(c.Id) && c.FirstRespondedAt == null).ToListAsync(ct);
        foreach (var item in waiting)
        {
            item.RecordFirstResponse(at);
        }
    }

    /// <summary>The policies with the schedules of their calendars (and of <paramref name="alsoCalendars"/>, those cases already count in).</summary>
    public static async Task<ServiceLevelBook> BookAsync(CrmDbContext db, IEnumerable<int?> alsoCalendars, CancellationToken ct)
    {
        // The policies and their calendars' versions in one statement; a calendar no policy uses any more only when a case counts in it.
        var rows = new List<PolicyRow>();
        await foreach (var row in CompiledQueries.For(PolicyQueries, db, CompilePolicyQuery)(db).WithCancellation(ct))
        {
            rows.Add(row);
        }

        var versions = rows.GroupBy(r => r.Policy.CalendarId).ToDictionary(g => g.Key, g => g.First().CalendarVersion);
        var others = alsoCalendars.OfType<int>().Where(id => !versions.ContainsKey(id)).Distinct().ToList();
        if (others.Count > 0)
        {
            foreach (var calendar in await db.ServiceCalendars.AsNoTracking().IgnoreAutoIncludes()
                .Where(c => others.Contains(c.Id)).Select(c => new { c.Id, c.Version }).ToListAsync(ct))
            {
                versions[calendar.Id] = calendar.Version;
            }
        }

        var database = db.Database.GetConnectionString() ?? string.Empty;
        var schedules = new Dictionary<int, WorkingSchedule>();
        foreach (var (id, version) in versions)
        {
            if (Schedules.TryGetValue((database, id, version), out var cached))
            {
                schedules[id] = cached;
            }
        }

        var missing = versions.Keys.Where(id => !schedules.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            foreach (var calendar in await db.ServiceCalendars.AsNoTracking().AsSplitQuery().Where(c => missing.Contains(c.Id)).ToListAsync(ct))
            {
                // Kept under the version read with its hours and holidays, which may be newer than the one read above.
                schedules[calendar.Id] = Schedules[(database, calendar.Id, calendar.Version)] = calendar.Schedule();
            }
        }

        return new ServiceLevelBook([.. rows.Select(r => r.Policy)], id => schedules.GetValueOrDefault(id));
    }
}
