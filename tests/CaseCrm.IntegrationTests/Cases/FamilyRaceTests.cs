using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Cases;

/// <summary>
/// Rule 8: two supervisors associating cases at the same moment can never produce a grandchild, a cycle, a parent
/// that is a child or more children than the maximum. Each worker has its own DbContext and service (as two app
/// instances would), both start together at a barrier, and every round uses fresh cases. The tallies (who won, which
/// refusals, how many service retries) are in the test output: dotnet test --logger "console;verbosity=detailed".
/// </summary>
public abstract class FamilyRaceTests(DatabaseProvider provider, ITestOutputHelper output) : DatabaseTest(provider)
{
    private const int Rounds = 50;

    // SQLite lets one writer in at a time (BEGIN IMMEDIATE), so there the loser of a race waits out the busy retry and
    // the race proves less: the scenarios beyond the grandchild one run fewer rounds on it.
    private int ExtraRounds => Provider == DatabaseProvider.Sqlite ? 20 : Rounds;

    [Fact]
    public async Task ConcurrentAssociations_NeverMakeAGrandchild()
    {
        var tally = new Tally();
        for (var round = 0; round < Rounds; round++)
        {
            var cases = await Data.CasesAsync(3);
            var (a, b, c) = (cases[0].Id, cases[1].Id, cases[2].Id);

            // Alone, each is allowed; together, C would become A's grandchild.
            var outcome = await RaceAsync(
                s => s.AssociateAsync(a, [a, b], Data.User.Id),
                s => s.AssociateAsync(b, [b, c], Data.User.Id));

            tally.Add(outcome);
            await AssertFamiliesAreSoundAsync();
        }

        output.WriteLine($"{Provider}, A→B against B→C: {tally}");
    }

    [Fact]
    public async Task ConcurrentOppositeAssociations_NeverMakeACycle()
    {
        var tally = new Tally();
        for (var round = 0; round < ExtraRounds; round++)
        {
            var cases = await Data.CasesAsync(2);
            var (a, b) = (cases[0].Id, cases[1].Id);

            var outcome = await RaceAsync(
                s => s.AssociateAsync(a, [a, b], Data.User.Id),
                s => s.AssociateAsync(b, [b, a], Data.User.Id));

            tally.Add(outcome);
            await AssertFamiliesAreSoundAsync();
        }

        output.WriteLine($"{Provider}, A→B against B→A: {tally}");
    }

    [Fact]
    public async Task ConcurrentNewChildren_NeverExceedTheMaximum()
    {
        await Data.SettingsAsync(s => s.MaxChildren = 2);
        var tally = new Tally();
        for (var round = 0; round < ExtraRounds; round++)
        {
            var (parent, _) = await Data.FamilyAsync(1);
            var existing = await Data.CaseAsync();

            // One place is left: a new child case and an existing case race for it.
            var outcome = await RaceAsync(
                s => s.CreateChildAsync(parent.Id, Data.Fields(), CaseStatus.New, Data.User.Id),
                s => s.AddChildrenAsync(parent.Id, [existing.Id], Data.User.Id));

            tally.Add(outcome);
            Assert.Equal([CaseRuleCode.TooManyChildren], outcome.Refusals);
            Assert.Equal(2, (await Database.FindCaseAsync(parent.Id)).ChildCount);
            await AssertFamiliesAreSoundAsync();
        }

        output.WriteLine($"{Provider}, new child against existing child for the last place: {tally}");
    }

    [Fact]
    public async Task AMergeAndAnAssociation_AtOnce_NeverMakeAGrandchild()
    {
        var tally = new Tally();
        for (var round = 0; round < ExtraRounds; round++)
        {
            var (parent, children) = await Data.FamilyAsync(1);
            var cases = await Data.CasesAsync(2);
            var (survivor, other) = (cases[0].Id, cases[1].Id);

            // Alone, each is allowed; together, the case that stays would be a child holding the merged parent's child.
            var outcome = await RaceAsync(
                s => s.MergeAsync(survivor, [survivor, parent.Id], Data.User.Id),
                s => s.AssociateAsync(other, [other, survivor], Data.User.Id));

            tally.Add(outcome);
            var child = await Database.FindCaseAsync(children[0].Id);
            Assert.Equal(outcome.Succeeded[0] ? survivor : parent.Id, child.ParentId);
            await AssertFamiliesAreSoundAsync();
        }

        output.WriteLine($"{Provider}, merge of a parent against association of the case that stays: {tally}");
    }

    [Fact]
    public async Task TwoMergesOfTheSameCase_AtOnce_MergeItOnce()
    {
        var tally = new Tally();
        for (var round = 0; round < ExtraRounds; round++)
        {
            var cases = await Data.CasesAsync(3);
            var (first, second, duplicate) = (cases[0].Id, cases[1].Id, cases[2].Id);
            await Database.NewCaseService().AddCommentAsync(duplicate, "Comentario del duplicado.", Data.User.Id);

            var outcome = await RaceAsync(
                s => s.MergeAsync(first, [first, duplicate], Data.User.Id),
                s => s.MergeAsync(second, [second, duplicate], Data.User.Id));

            tally.Add(outcome);
            Assert.Equal([CaseRuleCode.MergeNotActive], outcome.Refusals);
            var winner = outcome.Succeeded[0] ? first : second;
            Assert.Equal(winner, (await Database.FindCaseAsync(duplicate)).MergedIntoId);
            await using var db = Database.NewContext();
            Assert.Equal(1, await db.CaseComments.CountAsync(c => c.CaseId == winner));
            Assert.Equal(0, await db.CaseComments.CountAsync(c => c.CaseId == (winner == first ? second : first) || c.CaseId == duplicate));
        }

        output.WriteLine($"{Provider}, two merges of the same duplicate: {tally}");
    }

    /// <summary>Runs the operations at the same moment, each on its own context; every one must succeed or be refused by a rule.</summary>
    private async Task<RaceOutcome> RaceAsync(params Func<CaseService, Task>[] operations)
    {
        var (results, retries) = await Race.RunAsync(Database, operations);
        var unexpected = results.FirstOrDefault(ex => ex is not (null or CaseRuleException));
        Assert.True(unexpected is null, $"An operation failed with something other than a rule refusal: {unexpected}");
        var refusals = results.OfType<CaseRuleException>().ToList();
        Assert.True(refusals.Count >= 1, "Both operations succeeded: together they break the family rules.");
        return new RaceOutcome(results.Select(ex => ex is null).ToArray(), refusals.Select(r => r.Code).ToList(), retries);
    }

    /// <summary>No grandchild, no parent that is a child, and every ChildCount equal to the children really stored.</summary>
    private async Task AssertFamiliesAreSoundAsync()
    {
        var rows = (await Database.CaseRowsAsync()).ToDictionary(r => r.Id);
        foreach (var row in rows.Values)
        {
            if (row.ParentId is { } parentId)
            {
                Assert.True(rows[parentId].ParentId is null, $"{CaseNumber.Format(row.Id)} is a grandchild: its parent {CaseNumber.Format(parentId)} is a child too.");
                Assert.True(row.ChildCount == 0, $"{CaseNumber.Format(row.Id)} is a child and a parent of {row.ChildCount}.");
            }

            var children = rows.Values.Count(r => r.ParentId == row.Id);
            Assert.True(children == row.ChildCount, $"{CaseNumber.Format(row.Id)} has ChildCount {row.ChildCount} but {children} children.");
        }
    }

    private sealed record RaceOutcome(bool[] Succeeded, IReadOnlyList<CaseRuleCode> Refusals, int Retries);

    private sealed class Tally
    {
        private readonly Dictionary<CaseRuleCode, int> _refusals = [];
        private int _firstWon;
        private int _secondWon;
        private int _bothRefused;
        private int _retries;

        public void Add(RaceOutcome outcome)
        {
            _firstWon += outcome.Succeeded[0] ? 1 : 0;
            _secondWon += outcome.Succeeded[1] ? 1 : 0;
            _bothRefused += outcome.Succeeded.Any(s => s) ? 0 : 1;
            _retries += outcome.Retries;
            foreach (var code in outcome.Refusals)
            {
                _refusals[code] = _refusals.GetValueOrDefault(code) + 1;
            }
        }

        private int Count => _firstWon + _secondWon + _bothRefused;

        public override string ToString() =>
            $"{Count} rounds: first succeeded {_firstWon}, second succeeded {_secondWon}, both refused {_bothRefused}; "
            + $"refusals {string.Join(", ", _refusals.Select(r => $"{r.Key} {r.Value}"))}; service retries {_retries}";
    }

    public sealed class Sqlite(ITestOutputHelper output) : FamilyRaceTests(DatabaseProvider.Sqlite, output);

    public sealed class Postgres(ITestOutputHelper output) : FamilyRaceTests(DatabaseProvider.Postgres, output);
}
