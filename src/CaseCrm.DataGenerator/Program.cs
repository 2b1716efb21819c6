using System.Diagnostics;
using System.Globalization;
using CaseCrm.Data;
using CaseCrm.DataGenerator;

// Fills a database with accounts, contacts and cases for the benchmark (docs/performance.md).
// dotnet run --project src/CaseCrm.DataGenerator -c Release -- --provider Sqlite --connection "Data Source=big.db" --contacts 100000 --cases 1000000 --seed 42
GeneratorOptions options;
try
{
    options = GeneratorOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(GeneratorOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(GeneratorOptions.Usage);
    return 0;
}

var total = Stopwatch.StartNew();
try
{
    var summary = await new CrmDataGenerator(options).RunAsync();
    total.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Done in {total.Elapsed.TotalSeconds:F1} s: {summary.Accounts:N0} accounts, {summary.Contacts:N0} contacts, {summary.Cases:N0} cases "
        + $"({summary.FamilyCases:N0} in {summary.Families:N0} families) on {options.Provider}."));
    foreach (var (key, value) in summary.Facts)
    {
        Console.WriteLine($"  {key}={value}");
    }

    if (options.InfoFile is { } infoFile)
    {
        await File.WriteAllLinesAsync(infoFile, summary.Facts.Select(f => $"{f.Key}={f.Value}"));
    }

    return 0;
}
catch (GeneratorException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

namespace CaseCrm.DataGenerator
{
    /// <summary>The command line: which database, how much data, which seed.</summary>
    internal sealed record GeneratorOptions(
        DatabaseProvider Provider, string Connection, int Contacts, int Cases, int Accounts, int Seed, int Agents, string? InfoFile, bool ShowHelp, int Activities = 0, int Skew = 0)
    {
        public const string Usage = """
            Usage: CaseCrm.DataGenerator --provider Sqlite|Postgres|SqlServer --connection "<connection string>"
                     [--contacts 100000] [--cases 1000000] [--accounts <contacts/10>] [--activities <3 × cases>] [--agents 20] [--seed 42] [--info-file path]
                     [--skew <N>: then a burst of N recent New/Normal unassigned cases and N/2 InProgress/Low of the demo agent (SkewedBurst.cs)]
            Migrates the database, seeds roles, categories, settings and the demo users, then bulk-inserts the accounts,
            contacts, cases, activities and emails (one inactive mailbox). The database must be new or hold only the demo seed.
            """;

        public static GeneratorOptions Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < args.Length; i++)
            {
                var name = args[i];
                if (name is "-h" or "--help")
                {
                    return new GeneratorOptions(DatabaseProvider.Sqlite, "", 0, 0, 0, 0, 0, null, ShowHelp: true);
                }

                if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                {
                    throw new ArgumentException($"Unexpected argument '{name}'.");
                }

                values[name[2..]] = args[++i];
            }

            string? Get(string key) => values.TryGetValue(key, out var v) ? v : null;
            int Int(string key, int fallback) => Get(key) is { } text
                ? int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0
                    ? n
                    : throw new ArgumentException($"--{key} needs a whole number, not '{text}'.")
                : fallback;

            var provider = Enum.TryParse<DatabaseProvider>(Get("provider") ?? "Sqlite", ignoreCase: true, out var p)
                ? p
                : throw new ArgumentException($"Unknown provider '{Get("provider")}'.");
            var connection = Get("connection") ?? (provider == DatabaseProvider.Sqlite
                ? DataServiceCollectionExtensions.DefaultSqliteConnection
                : throw new ArgumentException("--connection is required for " + provider + "."));
            var contacts = Int("contacts", 100_000);
            var cases = Int("cases", 1_000_000);
            if (contacts < 1 && cases > 0)
            {
                throw new ArgumentException("Cases need at least one contact.");
            }

            return new GeneratorOptions(
                provider, connection, contacts, cases, Int("accounts", Math.Max(1, contacts / 10)), Int("seed", 42), Int("agents", 20),
                Get("info-file"), ShowHelp: false, Int("activities", (int)Math.Min(int.MaxValue, 3L * cases)), Int("skew", 0));
        }
    }

    /// <summary>A refusal the user can act on (printed without a stack trace).</summary>
    internal sealed class GeneratorException(string message) : Exception(message);
}
