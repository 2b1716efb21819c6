using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Notifications;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.ServiceLevels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// Two instances over one PostgreSQL database, each with its own service-level monitor: cases of an agent whose first
/// response is past its at-risk moment and its due time get one "en riesgo" and one "incumplido" notification each,
/// however many rounds of both instances run at once; the lease lets one instance at a time run the check.
/// </summary>
public sealed class ServiceLevelMonitorTests(ServiceLevelMonitorTests.Instances instances) : IClassFixture<ServiceLevelMonitorTests.Instances>
{
    private static readonly string AgentEmail = DbInitializer.DemoUsers.Single(u => u.Role == Roles.Agent).Email;

    [Fact]
    public async Task AtRiskAndBreached_AreNotifiedExactlyOnce_WithTwoInstancesCheckingAtOnce()
    {
        var cases = await DueCasesAsync(12);
        var a = instances.A.Services.GetRequiredService<ServiceLevelMonitor>();
        var b = instances.B.Services.GetRequiredService<ServiceLevelMonitor>();

        // Rounds without the lease, four on each instance at the same time: exactly once rests on the case's tokens.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).GiveDueNoticesAsync(CancellationToken.None))));
        await a.GiveDueNoticesAsync(CancellationToken.None);

        var notifications = await instances.Database.InDbAsync(db => db.Notifications.AsNoTracking()
            .Where(n => cases.Contains(n.CaseId)).Select(n => new { n.CaseId, n.Kind, n.Target, n.UserId }).ToListAsync());
        var agentId = await AgentIdAsync();
        Assert.All(cases, id => Assert.Equal(
            [(NotificationKind.AtRisk, ServiceTarget.FirstResponse), (NotificationKind.Breached, ServiceTarget.FirstResponse)],
            notifications.Where(n => n.CaseId == id).Select(n => (n.Kind, n.Target!.Value)).Order()));
        Assert.All(notifications, n => Assert.Equal(agentId, n.UserId));
        var stored = await instances.Database.InDbAsync(db => db.Cases.AsNoTracking().Where(c => cases.Contains(c.Id)).ToListAsync());
        Assert.All(stored, c =>
        {
            Assert.Equal(ServiceNotices.FirstResponseAtRisk | ServiceNotices.FirstResponseBreached, c.NoticesGiven);
            Assert.Equal(c.ResolutionAtRiskAt, c.NextNoticeAt);
        });
    }

    [Fact]
    public async Task TheCheck_RunsOnTheInstanceHoldingTheLease_AndTheOtherWaits()
    {
        var cases = await DueCasesAsync(3);
        var a = instances.A.Services.GetRequiredService<ServiceLevelMonitor>();
        var b = instances.B.Services.GetRequiredService<ServiceLevelMonitor>();
        await using (var db = instances.Database.NewContext())
        {
            var now = DateTime.UtcNow;
            Assert.True(await JobLease.TryTakeAsync(db, JobLease.ServiceLevelNotices, a.InstanceId, now, now.AddMinutes(5), CancellationToken.None));
        }

        Assert.Null(await b.CheckAsync(CancellationToken.None));
        Assert.Equal(0, await instances.Database.InDbAsync(db => db.Notifications.CountAsync(n => cases.Contains(n.CaseId))));

        Assert.True(await a.CheckAsync(CancellationToken.None) >= 6);
        Assert.Equal(6, await instances.Database.InDbAsync(db => db.Notifications.CountAsync(n => cases.Contains(n.CaseId))));
        // A released the lease at the end of its check: B takes it now, and finds nothing more to give on these cases.
        Assert.NotNull(await b.CheckAsync(CancellationToken.None));
        Assert.Equal(6, await instances.Database.InDbAsync(db => db.Notifications.CountAsync(n => cases.Contains(n.CaseId))));
    }

    private Task<string> AgentIdAsync() =>
        instances.Database.InDbAsync(db => db.Users.Where(u => u.Email == AgentEmail).Select(u => u.Id).SingleAsync());

    /// <summary>New cases of the demo agent whose first response was due a minute ago (at risk since ten), written as the clock would have.</summary>
    private async Task<List<int>> DueCasesAsync(int count)
    {
        var agentId = await AgentIdAsync();
        var (contactId, categoryId) = await instances.Database.InDbAsync(async db =>
            (await db.Contacts.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(), await db.Categories.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync()));
        var ids = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var item = await instances.Database.CaseInStatusAsync(
                contactId, new CaseFields($"Vencido {i} {Guid.NewGuid():N}", null, categoryId, CasePriority.Normal, "Sin respuesta.", null, null), CaseStatus.New, agentId);
            ids.Add(item.Id);
        }

        var now = DateTime.UtcNow;
        await instances.Database.InDbAsync(db => db.Cases.Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.AssignedToId, agentId)
            .SetProperty(c => c.FirstResponseAtRiskAt, now.AddMinutes(-10))
            .SetProperty(c => c.FirstResponseDueAt, now.AddMinutes(-1))
            .SetProperty(c => c.AtRiskAt, now.AddMinutes(-10))
            .SetProperty(c => c.DueAt, now.AddMinutes(-1))
            .SetProperty(c => c.NextNoticeAt, now.AddMinutes(-10))));
        return ids;
    }

    /// <summary>Two app instances (Kestrel on loopback) over one PostgreSQL database; their background checks are off, the test runs them.</summary>
    public sealed class Instances : IAsyncLifetime
    {
        private TestDatabase? _database;

        public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");

        internal KestrelCrmHost A { get; private set; } = null!;

        internal KestrelCrmHost B { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _database = await TestDatabase.CreateEmptyAsync(DatabaseProvider.Postgres);
            var settings = new Dictionary<string, string?> { ["ServiceLevels:Check"] = "false" };
            A = new KestrelCrmHost(DatabaseProvider.Postgres, Database.ConnectionString, settings: settings);
            await Task.Run(A.Start);
            B = new KestrelCrmHost(DatabaseProvider.Postgres, Database.ConnectionString, settings: settings);
            await Task.Run(B.Start);
        }

        public async Task DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }
}
