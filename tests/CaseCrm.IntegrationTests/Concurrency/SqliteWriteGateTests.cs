using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Data.Sqlite;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// SQLite's writers wait in line in the process (<see cref="SqliteWriteGate"/>, issue 21): eight concurrent writers
/// each save every case, some of them having waited in line; the line is free after every kind of end of a transaction
/// (commit, a refusal that rolls it back, a conflict retried). What it does to latency is measured by
/// scripts/benchmark.sh, not here.
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

        var created = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            var ids = new List<int>();
            for (var i = 0; i < Each; i++)
            {
                await using var scope = factory.Services.CreateAsyncScope();
                var cases = scope.ServiceProvider.GetRequiredService<CaseService>();
                ids.Add((await cases.AddToContactAsync(data.Contact.Id, data.Fields(), CaseStatus.New, data.User.Id)).Id);
            }

            return ids;
        })));

        var all = created.SelectMany(ids => ids).ToList();
        Assert.Equal(Writers * Each, all.Distinct().Count());
        Assert.Equal(Writers * Each, await factory.InDbAsync(db => Task.FromResult(db.Cases.Count(c => all.Contains(c.Id)))));
        Assert.True(SqliteWriteGate.Waits > waitsBefore, "no writer ever found the line busy: the writers did not overlap, or the gate is not in use");
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

            // And the next writer goes through.
            var next = await cases.AddToContactAsync(data.Contact.Id, data.Fields(), CaseStatus.New, data.User.Id);
            Assert.True(next.Id > 0);
        }

        Assert.True(SqliteWriteGate.IsFree(DataSource));
    }
}
