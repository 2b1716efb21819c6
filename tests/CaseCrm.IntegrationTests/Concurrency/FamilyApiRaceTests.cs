using System.Net;
using System.Net.Http.Json;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Features;
using CaseCrm.IntegrationTests.Features.Api;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.IntegrationTests.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// Rule 8 through the API (issue 20): supervisors' tokens send POST /api/v1/cases/{id}/children for the same cases at the
/// same moment — A parent of B against B parent of A, A→B against B→C, the three-case ring A→B, B→C, C→A, and a merge of a
/// parent against an association of the case that stays — over many rounds of fresh cases. After every round the stored families are sound (<see cref="FamilyAudit"/>: no grandchild, no
/// cycle, no parent that is a child, every link with its history); every answer is a 200 or a 422 with a family rule's
/// code, never a 500; the case service's retries after a concurrent change are counted from the app's log. The tallies
/// are in the test output: dotnet test --logger "console;verbosity=detailed".
/// </summary>
public abstract class FamilyApiRaceTests(RaceWebFactory factory, ITestOutputHelper output) : IAsyncLifetime
{
    // The codes a family change or a merge may be refused with: rules 1 to 8 (8: it gave up after repeated concurrent
    // changes) and the merge's 67 to 70.
    private static readonly HashSet<string> RuleCodes = [.. Enumerable.Range(1, 8).Concat(Enumerable.Range(67, 4)).Select(n => $"CASE-RULE-{n}")];

    private const string RetryMessage = "Operation retried after a concurrent change";

    // SQLite lets one writer in at a time, so there the requests mostly queue behind each other: fewer rounds prove as much.
    private int Rounds => factory.Provider == DatabaseProvider.Sqlite ? 15 : 40;

    private HttpClient[] _supervisors = [];

    public async Task InitializeAsync()
    {
        await factory.SettingsAsync();
        _supervisors = [await factory.TokenClientAsync(Roles.Supervisor), await factory.TokenClientAsync(Roles.Supervisor), await factory.TokenClientAsync(Roles.Administrator)];
    }

    public Task DisposeAsync()
    {
        foreach (var client in _supervisors)
        {
            client.Dispose();
        }

        return Task.CompletedTask;
    }

    [Fact]
    public Task OppositeAssociations_NeverMakeACycle() =>
        RoundsAsync("A→B against B→A", data => CasesAsync(data, 2), c => [Associate(c[0], c[1]), Associate(c[1], c[0])]);

    [Fact]
    public Task AChainOfAssociations_NeverMakesAGrandchild() =>
        RoundsAsync("A→B against B→C", data => CasesAsync(data, 3), c => [Associate(c[0], c[1]), Associate(c[1], c[2])]);

    [Fact]
    public Task ARingOfThreeAssociations_LetsOneThrough_AtMost() =>
        RoundsAsync("A→B, B→C and C→A at once", data => CasesAsync(data, 3), c => [Associate(c[0], c[1]), Associate(c[1], c[2]), Associate(c[2], c[0])]);

    /// <summary>
    /// Alone, each is allowed; together, the case that stays would be a child holding the merged parent's child (as
    /// FamilyRaceTests, through the API).
    /// </summary>
    [Fact]
    public Task AMergeOfAParent_AndAnAssociationOfTheCaseThatStays_NeverMakeAGrandchild() =>
        RoundsAsync(
            "merge of a parent into S against O→S",
            async data =>
            {
                var (parent, children) = await data.FamilyAsync(1);
                var cases = await data.CasesAsync(2);
                return [parent.Id, children[0].Id, cases[0].Id, cases[1].Id];
            },
            c => [Merge(c[2], c[0]), Associate(c[3], c[2])]);

    /// <summary>
    /// Each round: fresh cases (<paramref name="arrange"/>), the <paramref name="requests"/> for them sent at once, at most
    /// one of them succeeding (together they would break the rules), the families sound after.
    /// </summary>
    private async Task RoundsAsync(
        string scenario, Func<FeatureData, Task<int[]>> arrange, Func<int[], Func<HttpClient, Task<HttpResponseMessage>>[]> requests)
    {
        var tally = new Tally(factory);
        for (var round = 0; round < Rounds; round++)
        {
            var ids = await arrange(await factory.NewDataAsync());
            tally.Scope.UnionWith(ids);

            var outcome = await RaceAsync(requests(ids));

            tally.Add(outcome);
            Assert.True(outcome.Succeeded <= 1, $"Round {round} of {scenario}: {outcome.Succeeded} succeeded.");
            await AssertFamiliesAreSoundAsync(tally);
        }

        tally.Report(output, scenario);
        tally.AssertRetried();
    }

    private static async Task<int[]> CasesAsync(FeatureData data, int count) => [.. (await data.CasesAsync(count)).Select(c => c.Id)];

    private static Func<HttpClient, Task<HttpResponseMessage>> Merge(int keepId, int mergedId) =>
        api => api.PostAsJsonAsync("/api/v1/cases/merge", new { keepId, caseIds = new[] { mergedId } });

    private static Func<HttpClient, Task<HttpResponseMessage>> Associate(int parentId, int childId) =>
        api => api.PostAsJsonAsync($"/api/v1/cases/{parentId}/children", new { caseIds = new[] { childId } });

    /// <summary>Sends the requests at the same moment, each by another supervisor; every answer must be a success or a family refusal.</summary>
    private async Task<Outcome> RaceAsync(params Func<HttpClient, Task<HttpResponseMessage>>[] requests)
    {
        using var barrier = new Barrier(requests.Length);
        var answers = await Task.WhenAll(requests.Select((request, i) => Task.Factory.StartNew(async () =>
        {
            barrier.SignalAndWait(TimeSpan.FromSeconds(30));
            using var response = await request(_supervisors[i]);
            return response.StatusCode == HttpStatusCode.OK ? (response.StatusCode, (string?)null) : (response.StatusCode, (await response.ProblemAsync()).Code);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));

        foreach (var (status, code) in answers)
        {
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, $"A request answered {(int)status} ({code}).");
            Assert.True(status == HttpStatusCode.OK || RuleCodes.Contains(code!), $"A refusal with {code}, not a family or merge rule's code.");
        }

        return new Outcome(answers.Count(a => a.StatusCode == HttpStatusCode.OK), [.. answers.Select(a => a.Item2).OfType<string>()]);
    }

    private async Task AssertFamiliesAreSoundAsync(Tally tally)
    {
        await using var db = factory.Database.NewContext();
        var audit = await FamilyAudit.RunAsync(db, ParentChildSettings.DefaultMaxChildren, tally.Scope);
        Assert.True(audit.Violations.Count == 0, audit.ToString());
    }

    private sealed record Outcome(int Succeeded, IReadOnlyList<string> Refusals);

    private sealed class Tally(RaceWebFactory factory)
    {
        private readonly DateTimeOffset _since = DateTimeOffset.UtcNow;
        private readonly Dictionary<string, int> _refusals = [];
        private readonly Dictionary<int, int> _succeeded = [];
        private int _rounds;

        /// <summary>The cases this test made (through the case service, so each link has its history).</summary>
        public HashSet<int> Scope { get; } = [];

        public void Add(Outcome outcome)
        {
            _rounds++;
            _succeeded[outcome.Succeeded] = _succeeded.GetValueOrDefault(outcome.Succeeded) + 1;
            foreach (var code in outcome.Refusals)
            {
                _refusals[code] = _refusals.GetValueOrDefault(code) + 1;
            }
        }

        /// <summary>The case service's retries after a concurrent change since the test began, from the app's log.</summary>
        public int Retries => factory.Logs.Since(_since).Count(e => e.MessageTemplate.Text.StartsWith(RetryMessage, StringComparison.Ordinal));

        /// <summary>
        /// On PostgreSQL the requests really overlap, so some must have met a concurrent change and been retried; SQLite lets
        /// one writer in at a time, so there they mostly queue instead.
        /// </summary>
        public void AssertRetried()
        {
            if (factory.Provider == DatabaseProvider.Postgres)
            {
                Assert.True(Retries > 0, $"No association was retried in {_rounds} rounds: the requests did not overlap.");
            }
        }

        public void Report(ITestOutputHelper output, string scenario) =>
            output.WriteLine($"{factory.Provider}, {scenario}: {_rounds} rounds; "
                + string.Join(", ", _succeeded.OrderBy(s => s.Key).Select(s => $"{s.Key} succeeded in {s.Value}")) + "; "
                + $"refusals {string.Join(", ", _refusals.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"))}; "
                + $"service retries {Retries}");
    }

    public sealed class Sqlite(SqliteRaceWebFactory factory, ITestOutputHelper output) : FamilyApiRaceTests(factory, output), IClassFixture<SqliteRaceWebFactory>;

    public sealed class Postgres(PostgresRaceWebFactory factory, ITestOutputHelper output) : FamilyApiRaceTests(factory, output), IClassFixture<PostgresRaceWebFactory>;
}

/// <summary>The app for the API race tests: the case service's log kept (<see cref="Logs"/>), and no rate limit that the rounds would reach.</summary>
public abstract class RaceWebFactory(DatabaseProvider provider) : CrmWebFactory(provider)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Api:PermitLimit"] = "1000000",
        // The retries of the case service are Information.
        ["Serilog:MinimumLevel:Override:CaseCrm.Data.Cases"] = "Information",
    };

    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(Settings));
        // Serilog's ReadFrom.Services(...) adds every ILogEventSink registered in DI.
        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Logs));
    }
}

public sealed class SqliteRaceWebFactory() : RaceWebFactory(DatabaseProvider.Sqlite);

public sealed class PostgresRaceWebFactory() : RaceWebFactory(DatabaseProvider.Postgres);
