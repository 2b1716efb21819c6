using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// "Editar seleccionados" racing a single-case change of one of its cases (ADR 0003, ADR 0025): the one UPDATE of the
/// selection checks every case's version as read, so whichever commits second fails its check and is retried from a fresh
/// read. Both changes end in the database, each case's version is raised once per change (none lost) and the history
/// has a row for each.
/// </summary>
public abstract class BulkEditRaceTests(DatabaseProvider provider, ITestOutputHelper output) : DatabaseTest(provider)
{
    private int Rounds => Provider == DatabaseProvider.Sqlite ? 10 : 30;

    [Fact]
    public async Task ABulkEdit_AndAnAssignmentOfOneOfItsCases_BothLand_NoVersionIsLost()
    {
        var bulkAssignee = await Data.UserAsync();
        var singleAssignee = await Data.UserAsync();
        var (retries, bulkLast) = (0, 0);
        for (var round = 0; round < Rounds; round++)
        {
            var cases = await Data.CasesAsync(5);
            var ids = cases.Select(c => c.Id).ToList();
            var raced = cases[2];

            var (results, roundRetries) = await Race.RunAsync(Database,
            [
                s => s.BulkEditAsync(ids, new BulkChanges(true, bulkAssignee.Id, CasePriority.High, null, CaseStatus.InProgress), Data.User.Id),
                s => s.AssignAsync(raced.Id, singleAssignee.Id, Data.User.Id, isSupervisor: true),
            ]);

            Assert.All(results, Assert.Null);
            retries += roundRetries;
            var stored = await Database.InDbAsync(db => db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync());
            // The bulk edit raises each version by as many changes as it makes; the raced case also by the assignment's one.
            var bulkRaise = stored[0].Version - cases[0].Version;
            Assert.True(bulkRaise > 0);
            foreach (var item in stored)
            {
                var before = cases.Single(c => c.Id == item.Id);
                Assert.Equal((CasePriority.High, CaseStatus.InProgress), (item.Priority, item.Status));
                Assert.Equal(before.Version + bulkRaise + (item.Id == raced.Id ? 1 : 0), item.Version);
            }

            var racedNow = stored.Single(c => c.Id == raced.Id);
            var history = await Database.InDbAsync(db => db.CaseHistory.AsNoTracking()
                .Where(h => h.CaseId == raced.Id && h.Field == HistoryField.AssignedTo).OrderBy(h => h.Id).ToListAsync());
            // The assignment that committed last is the case's assignee, and the history tells both, in order.
            Assert.Equal(2, history.Count);
            Assert.Equal(racedNow.AssignedToId, history[1].NewValue);
            Assert.Equal(history[0].NewValue, history[1].OldValue);
            bulkLast += racedNow.AssignedToId == bulkAssignee.Id ? 1 : 0;
        }

        output.WriteLine($"{Provider}: {Rounds} rounds, the bulk edit committed last in {bulkLast}; service retries {retries}");
    }

    public sealed class Sqlite(ITestOutputHelper output) : BulkEditRaceTests(DatabaseProvider.Sqlite, output);

    public sealed class Postgres(ITestOutputHelper output) : BulkEditRaceTests(DatabaseProvider.Postgres, output);
}
