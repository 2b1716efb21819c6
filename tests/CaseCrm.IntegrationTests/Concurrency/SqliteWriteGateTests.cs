using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Data.Sqlite;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// SQLite's writers wait in line in the process (<see cref="SqliteWriteGate"/>, issue 21): eight concurrent writers
/// each save every case, some of them having waited in line; the line is free after every kind of end of a transaction
/// (commit, a refusal that rolls it back, a conflict retried, a form sent twice, a connection closed without EF). What it
/// does to latency is measured by scripts/benchmark.sh, not here.
/// </summary>
public sealed class SqliteWriteGateTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    private string DataSource => new SqliteConnectionStringBuilder(factory.Database.ConnectionString).DataSource;

    [Fact]
    public async Task EightConcurrentWriters_AllSave_InLine_AndTheLineIsFreeAfterEveryEnd()
    {
        var data = await TestData.CreateAsync(factory.Database, DbInitializer.DemoUsers.Single(u => u.Role == Roles.Agent).Email);
        var waitsBefore = SqliteWriteGate.Waits;
        const int Writers = 8, Each = 10;

        // Eight threads of their own, started together (SQLite's "async" calls run synchronously: pool threads would take
        // turns on two cores instead of overlapping).
        using var start = new Barrier(Writers);
        var created = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            var ids = new List<int>();
            for (var i = 0; i < Each; i++)
            {
                using var scope = factory.Services.CreateScope();
                var cases = scope.ServiceProvider.GetRequiredService<CaseService>();
                ids.Add(cases.AddToContactAsync(data.Contact.Id, data.Fields(), CaseStatus.New, data.User.Id).GetAwaiter().GetResult().Id);
            }

            return ids;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        var all = created.SelectMany(ids => ids).ToList();
        Assert.Equal(Writers * Each, all.Distinct().Count());
        Assert.Equal(Writers * Each, await factory.InDbAsync(db => Task.FromResult(db.Cases.Count(c => all.Contains(c.Id)))));
        Assert.True(SqliteWriteGate.Waits > waitsBefore, $"no writer ever found the line busy ({waitsBefore} → {SqliteWriteGate.Waits}, free: {SqliteWriteGate.IsFree(DataSource)}): the writers did not overlap, or the gate is not in use");
        Assert.True(SqliteWriteGate.IsFree(DataSource));

        await ARefusedOperation_RollsBack_AndFreesTheLine(data);
    }

    private async Task ARefusedOperation_RollsBack_AndFreesTheLine(TestData data)
    {
        var closed = await data.CaseAsync(status: CaseStatus.New);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var cases = scope.ServiceProvider.GetRequiredService<CaseService>();
            await cases.ResolveAsync(closed.Id, "Hecho.", data.User.Id);

            // A rule refuses inside the transaction (resolving a resolved case); a missing record ends another.
            await Assert.ThrowsAsync<CaseRuleException>(() => cases.ResolveAsync(closed.Id, "Otra vez.", data.User.Id));
            Assert.True(SqliteWriteGate.IsFree(DataSource));
            await Assert.ThrowsAsync<NotFoundException>(() => cases.AddToContactAsync(int.MaxValue, data.Fields(), CaseStatus.New, data.User.Id));
            Assert.True(SqliteWriteGate.IsFree(DataSource));

            // A form sent twice: the unique submission key refuses the second insert, which returns the first case.
            var key = Guid.NewGuid();
            var first = await cases.AddToContactAsync(data.Contact.Id, data.Fields(), CaseStatus.New, data.User.Id, key);
            Assert.Equal(first.Id, (await cases.AddToContactAsync(data.Contact.Id, data.Fields(), CaseStatus.New, data.User.Id, key)).Id);
            Assert.True(SqliteWriteGate.IsFree(DataSource));

            // A connection closed under a transaction without EF's interception, as the context pool closes the connection
            // of a context it takes back: the place is given back then (a create its client aborted under load kept it).
            await using (var unintercepted = factory.Services.CreateAsyncScope())
            {
                var db = unintercepted.ServiceProvider.GetRequiredService<CrmDbContext>();
                await db.Database.BeginTransactionAsync();
                Assert.False(SqliteWriteGate.IsFree(DataSource));
                await db.Database.GetDbConnection().CloseAsync();
                Assert.True(SqliteWriteGate.IsFree(DataSource));
            }

            // A transaction disposed on a connection the code keeps open: no event ends it, and the connection's next
            // transaction gives its place back instead of waiting for itself.
            await using (var kept = factory.Services.CreateAsyncScope())
            {
                var db = kept.ServiceProvider.GetRequiredService<CrmDbContext>();
                await db.Database.OpenConnectionAsync();
                await (await db.Database.BeginTransactionAsync()).DisposeAsync();
                var waits = SqliteWriteGate.Waits;
                await using var again = await db.Database.BeginTransactionAsync();
                Assert.Equal(waits, SqliteWriteGate.Waits);
                await again.CommitAsync();
                Assert.True(SqliteWriteGate.IsFree(DataSource));
            }

            // And the next writer goes through.
            var next = await cases.AddToContactAsync(data.Contact.Id, data.Fields(), CaseStatus.New, data.User.Id);
            Assert.True(next.Id > 0);
        }

        Assert.True(SqliteWriteGate.IsFree(DataSource));
    }
}

/// <summary>The gate's safety net (<see cref="SqliteWriteGate"/>): on a database of its own, as it holds a transaction open for seconds.</summary>
public sealed class SqliteWriteGateTakeOverTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    private string DataSource => new SqliteConnectionStringBuilder(factory.Database.ConnectionString).DataSource;

    /// <summary>
    /// A holder that keeps its place past <see cref="SqliteWriteGate.MaxWait"/> (as a transaction no event ended would) does
    /// not stop the line: the next writer takes the place over, the old holder's late end is ignored, and afterwards the
    /// line is free and the next writer goes straight in. A writer that gives up waiting (its request cancelled) leaves no
    /// place behind.
    /// </summary>
    [Fact]
    public async Task AHolderThatNeverEnds_IsTakenOver_AndACancelledWaiterLeavesNothing()
    {
        var data = await TestData.CreateAsync(factory.Database, DbInitializer.DemoUsers.Single(u => u.Role == Roles.Agent).Email);
        await using var holderScope = factory.Services.CreateAsyncScope();
        var holder = holderScope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var transaction = await holder.Database.BeginTransactionAsync();

        // A writer whose request is cancelled while it waits.
        using (var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var cases = scope.ServiceProvider.GetRequiredService<CaseService>();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cases.AddToContactAsync(data.Contact.Id, data.Fields(), CaseStatus.New, data.User.Id, ct: cancelled.Token));
        }

        // A writer that waits past MaxWait takes the place over; SQLite's own lock then waits for the holder's commit.
        var waiter = Task.Run(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CaseService>().AddToContactAsync(data.Contact.Id, data.Fields(), CaseStatus.New, data.User.Id);
        });
        await Task.Delay(SqliteWriteGate.MaxWait + TimeSpan.FromSeconds(1));
        await transaction.CommitAsync();
        await transaction.DisposeAsync();
        Assert.True((await waiter).Id > 0);
        Assert.True(SqliteWriteGate.IsFree(DataSource));

        await using var nextScope = factory.Services.CreateAsyncScope();
        Assert.True((await nextScope.ServiceProvider.GetRequiredService<CaseService>().AddToContactAsync(data.Contact.Id, data.Fields(), CaseStatus.New, data.User.Id)).Id > 0);
        Assert.True(SqliteWriteGate.IsFree(DataSource));
    }
}
