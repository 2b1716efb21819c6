using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>
/// The benchmark's data generator (src/CaseCrm.DataGenerator), run as scripts/benchmark.sh runs it, at a tiny scale on a
/// SQLite file: the service-level clock columns are filled and agree with each other; the same seed gives the same rows.
/// </summary>
public sealed class DataGeneratorTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"casecrm-generator-{Guid.NewGuid():N}.db");
    private readonly string _second = Path.Combine(Path.GetTempPath(), $"casecrm-generator-{Guid.NewGuid():N}-2.db");

    [Fact]
    public async Task Generator_FillsTheServiceLevelClockConsistently()
    {
        await RunGeneratorAsync("--provider", "Sqlite", "--connection", $"Data Source={_file}", "--contacts", "40", "--cases", "600",
            "--activities", "0", "--agents", "2", "--seed", "7");

        await using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        await connection.OpenAsync();
        async Task<long> CountAsync(string where) => (long)(await new SqliteCommand($"SELECT COUNT(*) FROM Cases WHERE {where}", connection).ExecuteScalarAsync())!;

        // Statuses: 1 New, 2 In progress, 3 On hold, 4 Resolved, 5 Closed, 6 Cancelled.
        Assert.True(await CountAsync("ServicePolicyId IS NOT NULL") >= 600);
        Assert.True(await CountAsync("ClockRunningSince IS NOT NULL") > 0);
        Assert.Equal(0, await CountAsync("ClockRunningSince IS NOT NULL AND (DueAt IS NULL OR AtRiskAt IS NULL OR ResolutionDueAt IS NULL OR AtRiskAt > DueAt)"));
        Assert.Equal(0, await CountAsync("ClockRunningSince IS NOT NULL AND Status NOT IN (1, 2)"));
        Assert.Equal(0, await CountAsync("Status = 3 AND (ClockRunningSince IS NOT NULL OR DueAt IS NOT NULL)"));
        Assert.Equal(0, await CountAsync("Status = 1 AND FirstRespondedAt IS NOT NULL"));
        Assert.Equal(0, await CountAsync("FirstRespondedAt IS NOT NULL AND FirstResponseDueAt IS NOT NULL"));
        Assert.Equal(0, await CountAsync("Status = 4 AND (ResolvedAt IS NULL OR ResolutionSeconds IS NULL OR ResolvedAt <> UpdatedAt)"));
        Assert.Equal(0, await CountAsync("Status IN (1, 2, 3, 6) AND ResolvedAt IS NOT NULL"));
        Assert.Equal(0, await CountAsync("FirstRespondedAt IS NOT NULL AND (FirstRespondedAt < CreatedAt OR FirstResponseSeconds IS NULL)"));
        Assert.Equal(0, await CountAsync("NextNoticeAt IS NOT NULL AND NextNoticeAt <= '2026-11-01 09:00:00'"));

        // Compliance is neither nothing nor everything.
        var firstMet = await CountAsync("FirstResponseSeconds <= FirstResponseTargetMinutes * 60");
        var firstLate = await CountAsync("FirstResponseSeconds > FirstResponseTargetMinutes * 60");
        var resolvedMet = await CountAsync("ResolutionSeconds <= ResolutionTargetMinutes * 60");
        var resolvedLate = await CountAsync("ResolutionSeconds > ResolutionTargetMinutes * 60");
        Assert.True(firstMet > firstLate && firstLate > 0, $"first response met {firstMet}, late {firstLate}");
        Assert.True(resolvedMet > 0 && resolvedLate > 0, $"resolution met {resolvedMet}, late {resolvedLate}");
    }

    // Issue 21: --skew N adds N New/Normal unassigned cases of one category and N/2 InProgress/Low of the demo agent in
    // another, after every other change and before every other due time, so a one-column walk has a run to skip.
    [Fact]
    public async Task Generator_WithSkew_AddsABurstOfTwoKinds_TheLatestChangesAndTheSoonestDueTimes()
    {
        await RunGeneratorAsync("--provider", "Sqlite", "--connection", $"Data Source={_file}", "--contacts", "40", "--cases", "600",
            "--activities", "0", "--agents", "2", "--seed", "7", "--skew", "60");

        await using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        await connection.OpenAsync();
        async Task<string> ScalarAsync(string sql) => Convert.ToString(await new SqliteCommand(sql, connection).ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
        var burst = "(SELECT Id FROM Cases ORDER BY UpdatedAt DESC, Id DESC LIMIT 90)";

        Assert.Equal("60", await ScalarAsync($"SELECT COUNT(*) FROM Cases WHERE Id IN {burst} AND Status = 1 AND Priority = 2 AND AssignedToId IS NULL"));
        Assert.Equal("30", await ScalarAsync(
            $"SELECT COUNT(*) FROM Cases WHERE Id IN {burst} AND Status = 2 AND Priority = 1 AND AssignedToId = (SELECT Id FROM AspNetUsers WHERE Email = 'agente@casecrm.test')"));
        Assert.Equal("90", await ScalarAsync($"SELECT COUNT(*) FROM Cases WHERE Id IN (SELECT Id FROM Cases ORDER BY DueSort, Id LIMIT 90) AND Id IN {burst}"));
        Assert.Equal("5", await ScalarAsync($"SELECT COUNT(DISTINCT ContactId) FROM Cases WHERE Id IN {burst}"));
        Assert.Equal("1", await ScalarAsync($"SELECT COUNT(DISTINCT CategoryId) FROM Cases WHERE Id IN {burst} AND Status = 1"));
        Assert.Equal("0", await ScalarAsync($"SELECT COUNT(*) FROM Cases WHERE Id IN {burst} AND (AtRiskAt > DueAt OR ClockRunningSince IS NULL OR NextNoticeAt IS NOT NULL OR ParentId IS NOT NULL)"));
    }

    [Fact]
    public async Task Generator_GivesTheSameRowsForTheSameSeed()
    {
        // Issue 21: the contacts' search terms are now copied in chunks beside the contacts; the rows must not change with it.
        // The demo seed's few cases and activities (the first ids) are dated by the clock, not by the seed: left out.
        string[] args = ["--provider", "Sqlite", "--contacts", "60", "--cases", "400", "--activities", "300", "--agents", "2", "--seed", "11"];
        await RunGeneratorAsync([.. args, "--connection", $"Data Source={_file}"]);
        await RunGeneratorAsync([.. args, "--connection", $"Data Source={_second}"]);

        const string Rows = """
            SELECT group_concat(row, '|') FROM (
                SELECT 'c' || Id || FirstName || LastName || IFNULL(Email, '') || IFNULL(Phone, '') || SortName || IFNULL(AccountId, '') AS row FROM Contacts
                UNION ALL SELECT 't' || ContactId || Term || SortName FROM ContactSearchTerms
                UNION ALL SELECT 'k' || Id || Title || ContactId || Status || IFNULL(Priority, '') || CreatedAt || IFNULL(ParentId, '') FROM Cases WHERE Id > 100
                UNION ALL SELECT 'a' || Id || Subject || IFNULL(CaseId, '') || ScheduledAt FROM Activities WHERE Id > 100
                ORDER BY 1)
            """;
        async Task<string> ReadAsync(string file)
        {
            await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
            await connection.OpenAsync();
            return (string)(await new SqliteCommand(Rows, connection).ExecuteScalarAsync())!;
        }

        var first = await ReadAsync(_file);
        Assert.Contains("|t", first, StringComparison.Ordinal);
        Assert.Equal(first, await ReadAsync(_second));
    }

    public void Dispose()
    {
        foreach (var file in new[] { _file, _second }.SelectMany(f => new[] { f, f + "-wal", f + "-shm", f + "-journal" }))
        {
            File.Delete(file);
        }
    }

    private static async Task RunGeneratorAsync(params string[] args)
    {
        // The generator's output folder mirrors this project's (bin/<Configuration>/<framework>).
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(here);
        var configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
        var root = here;
        while (!File.Exists(Path.Combine(root, "CaseCrm.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("CaseCrm.sln not found above " + here);
        }

        var dll = Path.Combine(root, "src", "CaseCrm.DataGenerator", "bin", configuration, framework, "CaseCrm.DataGenerator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"The generator failed ({process.ExitCode}): {await errors}\n{await output}");
    }
}
