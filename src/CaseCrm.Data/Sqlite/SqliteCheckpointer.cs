using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Sqlite;

/// <summary>
/// Copies SQLite's write-ahead log into the database file every second, off the request path (a passive checkpoint: it
/// never waits for, nor makes wait, a reader or a writer). Several instances on one file each run one; SQLite lets one
/// checkpoint run at a time and the others find nothing to do. A crash loses nothing: what is not copied yet is in the log,
/// which SQLite reads until it is. See <see cref="SqliteConnectionSettings"/> for the limit the requests keep.
/// </summary>
public sealed class SqliteCheckpointer(string connectionString, TimeSpan interval, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static long _frames;

    /// <summary>How many pages of the log the checkpointers of this process have copied (for tests).</summary>
    public static long Frames => Interlocked.Read(ref _frames);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return;
        }

        // Never creates the file: until the application has made the database there is nothing to copy.
        builder.Mode = SqliteOpenMode.ReadWrite;
        (long Log, long Copied) last = (0, 0);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new SqliteConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                await using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                await using var reader = await checkpoint.ExecuteReaderAsync(stoppingToken);
                if (await reader.ReadAsync(stoppingToken) && reader.GetInt64(1) >= 0)
                {
                    // The log's pages and how many of them are in the file now; a smaller log began again from its start.
                    (long Log, long Copied) now = (reader.GetInt64(1), reader.GetInt64(2));
                    Interlocked.Add(ref _frames, now.Log < last.Log ? now.Copied : Math.Max(0, now.Copied - last.Copied));
                    last = now;
                }
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 14 /* CANTOPEN: not made yet */ or 5 /* BUSY */ or 6 /* LOCKED */)
            {
                logger.LogDebug(ex, "SQLite checkpoint skipped");
            }
            catch (SqliteException ex)
            {
                logger.LogWarning(ex, "SQLite checkpoint failed; the log is copied by the requests' own limit meanwhile");
            }

            await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
