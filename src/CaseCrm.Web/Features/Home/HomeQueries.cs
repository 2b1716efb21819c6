using System.Collections.Concurrent;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Infrastructure;
using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CaseCrm.Web.Features.Home;

public sealed record HomeCaseRow(
    int Id, string Title, CaseStatus Status, CasePriority? Priority, string CategoryName, int ContactId, string ContactName,
    DateTime UpdatedAt, DateTime? AssignedAt)
{
    public string Number => CaseNumber.Format(Id);
}

/// <summary>One of an agent's cases by due time: the earliest pending target, when it falls due and its state now.</summary>
public sealed record HomeDueRow(int Id, string Title, CaseStatus Status, DateTime DueAt, DateTime? AtRiskAt)
{
    public string Number => CaseNumber.Format(Id);

    public ServiceLevelState StateAt(DateTime now) =>
        now >= DueAt ? ServiceLevelState.Breached : AtRiskAt <= now ? ServiceLevelState.AtRisk : ServiceLevelState.OnTime;
}

/// <summary>
/// An agent's start page: their open cases, oldest change first; the cases given to them since their last visit; their
/// next cases by due time, and how many of theirs are at risk and breached now.
/// </summary>
public sealed record AgentHome(
    Page<HomeCaseRow> OpenCases, IReadOnlyList<HomeCaseRow> AssignedSinceLastVisit, IReadOnlyList<HomeDueRow> ByDueTime, int AtRisk, int Breached, DateTime Now);

/// <summary>One day of the last 30 (UTC): cases created and cases resolved that day.</summary>
public sealed record HomeDay(DateOnly Day, int Created, int Resolved);

/// <summary>One figure of the supervisor's start page: what it counts (a key for its link; a name, or the key for the view to translate) and how many.</summary>
public sealed record HomeFigure(string Key, string Label, int Count);

/// <summary>A supervisor's start page: the team's open cases by status, category and agent, unassigned, and by age.</summary>
[ImmutableObject(true)]
public sealed record SupervisorHome(
    int OpenCases,
    IReadOnlyList<HomeFigure> ByStatus,
    IReadOnlyList<HomeFigure> ByCategory,
    IReadOnlyList<HomeFigure> ByAgent,
    int Unassigned,
    IReadOnlyList<HomeFigure> ByAge,
    IReadOnlyList<HomeServiceFigure> ServiceByAgent,
    IReadOnlyList<HomeDay> CreatedResolved);

/// <summary>An agent's (or, with a null key, the unassigned) cases at risk and breached now.</summary>
public sealed record HomeServiceFigure(string? Key, string? Label, int AtRisk, int Breached);

public sealed class HomeOptions
{
    /// <summary>How long the team's figures are shared by every supervisor before they are counted again (ADR 0016).</summary>
    public TimeSpan FiguresCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The reads of the start page ("Inicio"); its figures, their indexes and their cache are explained in ADR 0016.</summary>
public sealed class HomeQueries(CrmDbContext db, TimeProvider clock, HybridCache cache, IMemoryCache recorded, IOptions<HomeOptions> options)
{
    private const string FiguresKey = "home:team-figures";

    /// <summary>How often a user's last view is written: at most once a minute per user and app instance.</summary>
    private static readonly TimeSpan SeenPrecision = TimeSpan.FromMinutes(1);

    /// <summary>How many open cases an agent's start page lists (the full list is a link away).</summary>
    public const int OpenCasesShown = 20;

    /// <summary>How many of an agent's cases the "by due time" block lists.</summary>
    public const int DueCasesShown = 10;

    /// <summary>The days of the supervisor's created-against-resolved chart.</summary>
    public const int TrendDays = 30;

    /// <summary>Start page views closer together than this are one visit: reloading Inicio keeps "since my last visit".</summary>
    public static readonly TimeSpan VisitGap = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Records this visit and reads the agent's page: at most three statements, usually two. A view more than
    /// <see cref="VisitGap"/> after the last one starts a new visit, and the previous one ended at that last view: one
    /// UPDATE says both, written at most once a minute per user (a write on every view would queue the views of a
    /// busy SQLite database behind its single writer).
    /// </summary>
    public async Task<AgentHome> AgentAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var seenKey = "home:seen:" + userId;
        if (!recorded.TryGetValue(seenKey, out _))
        {
            var newVisitBefore = now - VisitGap;
            await db.Users
                .Where(u => u.Id == userId)
                .ExecuteUpdateAsync(
                    u => u
                        .SetProperty(x => x.PreviousVisitAt, x => x.LastSeenAt == null || x.LastSeenAt < newVisitBefore ? x.LastSeenAt : x.PreviousVisitAt)
                        .SetProperty(x => x.LastSeenAt, now),
                    ct);
            recorded.Set(seenKey, true, SeenPrecision);
        }

        var args = new CaseListArgs { UserId = userId, Take = OpenCasesShown + 1 };
        var openQuery = CompiledQueries.For(OpenCasesQueries, db, () => new CaseListShape.CompiledPage<HomeCaseRow>(OpenCases(args).Expression));
        var openCases = Paging.ToCountedPage(await openQuery.ReadAsync(db, args, ct), 1, OpenCasesShown);

        var mine = db.Cases.AsNoTracking().Where(c => c.AssignedToId == userId);

        var previousVisit = db.Users.Where(u => u.Id == userId).Select(u => u.PreviousVisitAt);
        var assigned = await Rows(mine
                .Where(c => c.AssignedAt > previousVisit.FirstOrDefault())
                .OrderByDescending(c => c.AssignedAt).ThenByDescending(c => c.Id))
            .Take(OpenCasesShown)
            .ToListAsync(ct);

        // A running clock has a due time; the (AssignedToId, DueAt, Id) index gives the next ones in order.
        var pending = mine.Where(c => c.DueAt != null);
        var byDue = await pending
            .OrderBy(c => c.DueAt).ThenBy(c => c.Id)
            .Select(c => new HomeDueRow(c.Id, c.Title, c.Status, c.DueAt!.Value, c.AtRiskAt))
            .Take(DueCasesShown)
            .ToListAsync(ct);
        // Both counts in one statement, each capped as the lists' counts are (an agent may have thousands of old breached
        // cases): breached from the (AssignedToId, DueAt, Id) index alone; at risk from the cases not due yet, with their rows.
        var counts = await db.Users
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                Breached = pending.Where(c => c.DueAt <= now).Select(c => c.Id).Take(Paging.CountCap + 1).Count(),
                AtRisk = pending.Where(c => c.DueAt > now && c.AtRiskAt <= now).Select(c => c.Id).Take(Paging.CountCap + 1).Count(),
            })
            .FirstOrDefaultAsync(ct);
        return new AgentHome(openCases, assigned, byDue, counts?.AtRisk ?? 0, counts?.Breached ?? 0, now);
    }

    /// <summary>
    /// The team's queue, shared by every supervisor for <see cref="HomeOptions.FiguresCacheDuration"/>. Counted in two
    /// statements: one GROUP BY over the open cases that reads the (Status, CategoryId, AssignedToId) index in its order,
    /// with the category and agent names looked up per group; and the open cases of the last
    /// <see cref="BacklogAge.RecentDays"/> days by age, a range of the (CreatedAt, Status) index. Older cases are the
    /// rest of the backlog.
    /// </summary>
    public async Task<SupervisorHome> SupervisorAsync(CancellationToken ct) =>
        options.Value.FiguresCacheDuration > TimeSpan.Zero
            ? await cache.GetOrCreateAsync(
                FiguresKey,
                async token => await CountTeamAsync(token),
                new HybridCacheEntryOptions { Expiration = options.Value.FiguresCacheDuration, LocalCacheExpiration = options.Value.FiguresCacheDuration },
                cancellationToken: ct)
            : await CountTeamAsync(ct);

    private async Task<SupervisorHome> CountTeamAsync(CancellationToken ct)
    {
        var groups = await db.Cases.AsNoTracking()
            .Where(CaseStatuses.IsActiveCase)
            .GroupBy(c => new { c.Status, c.CategoryId, c.AssignedToId })
            .Select(g => new { g.Key.Status, g.Key.CategoryId, g.Key.AssignedToId, Count = g.Count() })
            .Select(g => new OpenGroup(
                g.Status, g.CategoryId, db.Categories.Where(k => k.Id == g.CategoryId).Select(k => k.Name).First(),
                g.AssignedToId, db.Users.Where(u => u.Id == g.AssignedToId).Select(u => u.DisplayName).FirstOrDefault(),
                g.Count))
            .ToListAsync(ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var recentFrom = now.AddDays(-BacklogAge.RecentDays);
        DateTime day1 = now.AddDays(-1), day3 = now.AddDays(-3), day7 = now.AddDays(-7);
        var recent = await db.Cases.AsNoTracking()
            .Where(c => c.CreatedAt >= recentFrom)
            .Where(CaseStatuses.IsActiveCase)
            .Select(c => c.CreatedAt)
            .GroupBy(created => created >= day1 ? 0 : created >= day3 ? 1 : created >= day7 ? 2 : 3)
            .Select(g => new { Bucket = g.Key, Count = g.Count() })
            .ToListAsync(ct);

        // At risk and breached by agent, in one statement: the breached from the (AssignedToId, DueAt, Id) index alone, the
        // at risk (not due yet, so few) from the (DueAt, Id) index with their rows.
        var service = await db.Cases.AsNoTracking()
            .Where(c => c.DueAt != null && c.DueAt <= now)
            .GroupBy(c => c.AssignedToId)
            .Select(g => new { AgentId = g.Key, AtRisk = 0, Breached = g.Count() })
            .Concat(db.Cases.AsNoTracking()
                .Where(c => c.DueAt > now && c.AtRiskAt <= now)
                .GroupBy(c => c.AssignedToId)
                .Select(g => new { AgentId = g.Key, AtRisk = g.Count(), Breached = 0 }))
            .ToListAsync(ct);
        var agentNames = groups.Where(g => g.AssignedToId is not null).GroupBy(g => g.AssignedToId!).ToDictionary(k => k.Key, k => k.First().AgentName);

        // Created and resolved per UTC day over the last TrendDays days, in one statement.
        var trendFrom = DateOnly.FromDateTime(now).AddDays(1 - TrendDays).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var days = await db.Cases.AsNoTracking()
            .Where(c => c.CreatedAt >= trendFrom)
            .GroupBy(c => c.CreatedAt.Date)
            .Select(g => new { Day = g.Key, Created = g.Count(), Resolved = 0 })
            .Concat(db.Cases.AsNoTracking()
                .Where(c => c.ResolvedAt != null && c.ResolvedAt >= trendFrom)
                .GroupBy(c => c.ResolvedAt!.Value.Date)
                .Select(g => new { Day = g.Key, Created = 0, Resolved = g.Count() }))
            .ToListAsync(ct);

        var total = groups.Sum(g => g.Count);
        var ages = BacklogAge.Buckets
            .Select((b, i) => (Bucket: b, Count: b.ToDays is null ? total - recent.Sum(r => r.Count) : recent.Where(r => r.Bucket == i).Sum(r => r.Count)))
            .Select(a => new HomeFigure(a.Bucket.Key, a.Bucket.Key, Math.Max(0, a.Count)))
            .ToList();

        return new SupervisorHome(
            total,
            CaseStatuses.Active
                .Select(s => new HomeFigure(s.ToString(), s.ToString(), groups.Where(g => g.Status == s).Sum(g => g.Count)))
                .ToList(),
            groups.GroupBy(g => (g.CategoryId, g.CategoryName))
                .Select(k => new HomeFigure(k.Key.CategoryId.ToString(System.Globalization.CultureInfo.InvariantCulture), k.Key.CategoryName, k.Sum(g => g.Count)))
                .OrderByDescending(f => f.Count).ThenBy(f => f.Label, StringComparer.CurrentCulture)
                .ToList(),
            groups.Where(g => g.AssignedToId is not null)
                .GroupBy(g => (g.AssignedToId!, g.AgentName ?? g.AssignedToId!))
                .Select(k => new HomeFigure(k.Key.Item1, k.Key.Item2, k.Sum(g => g.Count)))
                .OrderByDescending(f => f.Count).ThenBy(f => f.Label, StringComparer.CurrentCulture)
                .ToList(),
            groups.Where(g => g.AssignedToId is null).Sum(g => g.Count),
            ages,
            service.GroupBy(f => f.AgentId)
                .Select(k => new HomeServiceFigure(k.Key, k.Key is null ? null : agentNames.GetValueOrDefault(k.Key) ?? k.Key, k.Sum(f => f.AtRisk), k.Sum(f => f.Breached)))
                .OrderByDescending(f => f.Breached + f.AtRisk).ThenBy(f => f.Label, StringComparer.CurrentCulture)
                .ToList(),
            Enumerable.Range(0, TrendDays)
                .Select(i => DateOnly.FromDateTime(trendFrom).AddDays(i))
                .Select(d => new HomeDay(d, days.Where(x => DateOnly.FromDateTime(x.Day) == d).Sum(x => x.Created), days.Where(x => DateOnly.FromDateTime(x.Day) == d).Sum(x => x.Resolved)))
                .ToList());
    }

    /// <summary>
    /// The agent's open cases by last change, oldest first, with their capped count: the case list's Mis casos, read as
    /// the list reads it, bounded whatever the data (ADR 0031), and compiled once as the list's shapes are (ADR 0036).
    /// </summary>
    private IQueryable<Counted<HomeCaseRow>> OpenCases(CaseListArgs args)
    {
        var mine = db.Cases.AsNoTracking().Where(c => c.AssignedToId == args.UserId);
        var open = mine.Where(CaseStatuses.IsActiveCase);
        var oldestFirst = CaseQueries.Bounded(
            db, open, mine, new CaseListFilter { View = CaseListFilter.MineView }, new SortOrder("updated", Descending: false), after: null, args);
        return Paging.WithCount(Rows(oldestFirst), open);
    }

    private static readonly ConcurrentDictionary<IModel, CaseListShape.CompiledPage<HomeCaseRow>> OpenCasesQueries = new();

    private IQueryable<HomeCaseRow> Rows(IQueryable<Case> cases) =>
        cases.Select(c => new HomeCaseRow(
            c.Id, c.Title, c.Status, c.Priority,
            db.Categories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).First(),
            c.ContactId,
            db.Contacts.Where(p => p.Id == c.ContactId).Select(p => (p.FirstName ?? "") + " " + (p.LastName ?? "")).First(),
            c.UpdatedAt, c.AssignedAt));

    private sealed record OpenGroup(CaseStatus Status, int CategoryId, string CategoryName, string? AssignedToId, string? AgentName, int Count);
}
