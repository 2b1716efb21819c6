using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Sqlite;

/// <summary>
/// SQLite has one writer at a time. A transaction that finds the write lock taken is retried by Microsoft.Data.Sqlite
/// after sleeping, so under eight concurrent writers a request could sleep several times and wait a second or more while
/// the lock was free most of that time (docs/performance.md, issue 21). This gate makes the writers of one database in
/// this process wait in line instead: a transaction begins only after the previous one of the same database file has
/// ended, and then finds the lock free. Readers never wait (WAL).
/// <para>
/// The gate is held from "begin transaction" to commit, rollback or failure, and, as a safety net, until the connection
/// closes (a transaction disposed without either). A writer waits at most <see cref="MaxWait"/>: past it, it goes on
/// without the gate and SQLite's own busy handling decides, so a code path that nested two transactions could never
/// deadlock on it. Other processes writing the same file are not in line (they still meet SQLite's busy handling).
/// </para>
/// </summary>
public sealed class SqliteWriteGate(ILogger<SqliteWriteGate> logger) : IDbTransactionInterceptor, IDbConnectionInterceptor
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    // One line per database file (the data source of the connection string), shared by every context of the process.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Lines = new(StringComparer.Ordinal);

    // The line a connection holds while its transaction runs.
    private readonly ConditionalWeakTable<DbConnection, SemaphoreSlim> _held = [];

    /// <summary>How many writers found the line busy and waited (for tests and the benchmark).</summary>
    public static long Waits => Interlocked.Read(ref _waits);

    private static long _waits;

    /// <summary>Whether no writer of <paramref name="dataSource"/> (the database file's full path) is in line (for tests).</summary>
    public static bool IsFree(string dataSource) => Lines.TryGetValue(Path.GetFullPath(dataSource), out var line)
        ? line.CurrentCount == 1
        : throw new InvalidOperationException($"No transaction ever began on {dataSource} through the gate.");

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(connection, cancellationToken);
        return result;
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        EnterAsync(connection, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Leave(eventData);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData);
        return Task.CompletedTask;
    }

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection);
        return ValueTask.FromResult(result);
    }

    private async ValueTask EnterAsync(DbConnection connection, CancellationToken ct)
    {
        var line = Lines.GetOrAdd(Path.GetFullPath(connection.DataSource), _ => new SemaphoreSlim(1, 1));
        if (!line.Wait(0, CancellationToken.None))
        {
            Interlocked.Increment(ref _waits);
            if (!await line.WaitAsync(MaxWait, ct))
            {
                logger.LogWarning("A SQLite writer waited {Seconds} s for the write gate of {DataSource} and goes on without it", MaxWait.TotalSeconds, connection.DataSource);
                return;
            }
        }

        _held.AddOrUpdate(connection, line);
    }

    private void Leave(TransactionEventData eventData) => Leave(eventData.Context?.Database.GetDbConnection());

    private void Leave(DbConnection? connection)
    {
        if (connection is not null && _held.TryGetValue(connection, out var line) && _held.Remove(connection))
        {
            line.Release();
        }
    }
}
