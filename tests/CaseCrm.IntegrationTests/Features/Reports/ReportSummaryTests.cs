using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Data.Reports;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Features.ServiceLevels;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Reports;

/// <summary>
/// The reports' summary (ADR 0040) as the app keeps it, on SQLite and PostgreSQL: after first responses, resolutions, a
/// reopening, a bulk edit that moves answered cases to another agent and category (written set-based), an assignment
/// and a merge, the summary kept by each operation's save is the one made again from the cases.
/// </summary>
public abstract class ReportSummaryTests(CrmWebFactory factory)
{
    [Fact]
    public async Task TheSummaryKeptByEachOperation_IsTheSummaryMadeAgainFromTheCases()
    {
        var data = await factory.NewDataAsync();
        await AroundTheClock.PoliciesAsync(factory, data.Category.Id);
        var otherCategory = await data.CategoryAsync();
        var other = await factory.NewUserAsync(Roles.Agent);
        var supervisorId = await factory.UserIdAsync(Supervisor);
        var agent = await factory.ClientAsync(Roles.Agent);
        var cases = new List<Case>();
        for (var i = 0; i < 5; i++)
        {
            var item = await data.UniqueCaseAsync("Resumen " + Token(), priority: CasePriority.Normal);
            cases.Add(item);
            if (i < 4)
            {
                await CallAsync(agent, item.Id);
            }
        }

        var before = await KeptAsync();
        Assert.Contains(before, r => r.Measure == ReportMeasure.FirstResponse && r.Dimension == ReportDimension.Category
            && r.GroupKey == Invariant(data.Category.Id) && r.Count == 4);

        var service = factory.Database.NewCaseService();
        await service.ResolveAsync(cases[0].Id, "Resuelto.", supervisorId, cancelOpenActivities: true);
        await service.ResolveAsync(cases[1].Id, "Resuelto.", supervisorId, cancelOpenActivities: true);
        await service.ReopenAsync(cases[1].Id, supervisorId);
        await service.BulkEditAsync([cases[2].Id, cases[3].Id, cases[4].Id], new BulkChanges(true, other.Id, null, otherCategory.Id, null), supervisorId);
        await service.AssignAsync(cases[1].Id, other.Id, supervisorId, isSupervisor: true);
        await service.MergeAsync(cases[2].Id, [cases[2].Id, cases[3].Id], supervisorId);

        var kept = await KeptAsync();
        Assert.Contains(kept, r => r.Measure == ReportMeasure.Resolution && r.Dimension == ReportDimension.Category
            && r.GroupKey == Invariant(data.Category.Id) && r.Count == 1);
        Assert.Contains(kept, r => r.Measure == ReportMeasure.FirstResponse && r.Dimension == ReportDimension.Agent
            && r.GroupKey == other.Id && r.Unit == ReportUnit.Month && r.Count == 3);
        Assert.Equal(await RebuiltAsync(), kept);
    }

    private static async Task CallAsync(HttpClient client, int caseId)
    {
        var form = await client.GetFormAsync($"/Activities/Create?type=Call&regardingType=Case&regardingId={caseId}&returnUrl=/Cases/{caseId}", "#activity-form");
        using var response = await form.Set("Subject", "Llamada " + Token()).Set("Direction", "Outgoing").Set("DurationMinutes", 2).PostAsync();
        Assert.Equal($"/Cases/{caseId}", response.RedirectTarget());
    }

    private Task<List<Row>> KeptAsync() => factory.InDbAsync(ReadAsync);

    /// <summary>The summary made again from the cases, read inside a transaction that is then rolled back.</summary>
    private Task<List<Row>> RebuiltAsync() => factory.InDbAsync(async db =>
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        await ReportSummary.RebuildAsync(db, CancellationToken.None);
        var rows = await ReadAsync(db);
        await transaction.RollbackAsync();
        return rows;
    });

    /// <summary>Every cell that counts something (a cell whose cases all left keeps a count of zero), in key order.</summary>
    private static Task<List<Row>> ReadAsync(CaseCrm.Data.CrmDbContext db) => db.ReportCounts.AsNoTracking()
        .Where(r => r.Count != 0)
        .OrderBy(r => r.Measure).ThenBy(r => r.Dimension).ThenBy(r => r.Unit).ThenBy(r => r.Start).ThenBy(r => r.GroupKey).ThenBy(r => r.Step).ThenBy(r => r.Met)
        .Select(r => new Row(r.Measure, r.Dimension, r.Unit, r.Start, r.GroupKey, r.Step, r.Met, r.Count))
        .ToListAsync();

    private sealed record Row(ReportMeasure Measure, ReportDimension Dimension, ReportUnit Unit, DateTime Start, string GroupKey, int Step, bool Met, int Count);

    public sealed class Sqlite(SqliteWebFactory factory) : ReportSummaryTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ReportSummaryTests(factory), IClassFixture<PostgresWebFactory>;
}
