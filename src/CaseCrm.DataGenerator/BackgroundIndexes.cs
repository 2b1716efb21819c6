using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Npgsql;

namespace CaseCrm.DataGenerator;

/// <summary>
/// PostgreSQL: builds the deferred indexes and foreign keys of a loaded table on connections of their own, while the
/// generator goes on with the next table — at ten million cases the builds take longer than the copies, and one
/// connection does one thing at a time. Each table is vacuumed and analyzed once its statements are done. Every
/// statement is its own transaction; each takes the locks of one table (a foreign key also its parent's), and nothing is
/// dropped while they run (the generator drops everything before the first copy), so they only ever wait, never deadlock.
/// </summary>
internal sealed class BackgroundIndexes
{
    private readonly Channel<(string Table, string Sql)> _queue = Channel.CreateUnbounded<(string, string)>();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _workers;

    public BackgroundIndexes(string connectionString, int connections)
    {
        _workers = [.. Enumerable.Range(0, connections).Select(_ => Task.Run(() => WorkAsync(connectionString)))];
    }

    public void Enqueue(string table, IEnumerable<string> statements)
    {
        foreach (var sql in statements)
        {
            _queue.Writer.TryWrite((table, sql));
        }

        // VACUUM sets the visibility map (index-only scans) and ANALYZE the statistics; it waits for the builds on the table.
        _queue.Writer.TryWrite((table, "VACUUM (ANALYZE) \"" + table + "\""));
    }

    /// <summary>Waits for every statement enqueued; rethrows the first failure.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"indexes, keys and statistics done {_clock.Elapsed.TotalSeconds:F1} s after the first"));
    }

    private async Task WorkAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Two of these share the machine's cores with the generator: no parallel workers of their own.
        await ExecuteAsync(connection, "SET maintenance_work_mem = '512MB'; SET max_parallel_maintenance_workers = 0; SET work_mem = '256MB'");
        try
        {
            await foreach (var (table, sql) in _queue.Reader.ReadAllAsync())
            {
                var started = _clock.Elapsed;
                await ExecuteAsync(connection, sql);
                // CREATE INDEX "name" ..., ALTER TABLE "table" ADD CONSTRAINT "name" ...
                var parts = sql.Split('"');
                var name = sql.StartsWith("ALTER", StringComparison.Ordinal) && parts.Length > 3 ? parts[3] : parts.Length > 1 ? parts[1] : sql;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {table,-18} {(sql.StartsWith("VACUUM", StringComparison.Ordinal) ? "vacuum + analyze" : name),-60} {(_clock.Elapsed - started).TotalSeconds,7:F1} s  (at {_clock.Elapsed.TotalSeconds:F0} s)"));
            }
        }
        catch
        {
            // The others stop too: the generator fails as a whole.
            _queue.Writer.TryComplete();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 3600;
        await command.ExecuteNonQueryAsync();
    }
}
