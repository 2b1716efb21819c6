using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Sqlite;

/// <summary>
/// SQLite has one writer at a time. A transaction that finds the write lock taken is retried by Microsoft.Data.Sqlite
/// after sleeping, so under eight concurrent writers a request could sleep again and again for a second or more while
/// others got the lock on their first try (docs/performance.md, issue 21). This gate makes the writers of one database
/// file in this process wait in line instead: it begins each transaction itself, after the previous one of the same file
/// has ended, so the lock is free when it asks.
/// <para>
/// A place in line is given back when the transaction commits, rolls back or fails, when its BEGIN throws (a cancelled
/// request), or when its connection closes, however it is closed: the gate listens to the connection's own
/// <see cref="DbConnection.StateChange"/>, as the context pool closes a connection it takes back without EF's interception
/// (a create aborted by its client under load left its place taken that way, and every writer after it waited
/// <see cref="MaxWait"/>). A connection that begins a transaction while it still holds a place (its last one was disposed
/// without an event, the connection kept open) gives that place back first. Should a place still be kept, the next writer
/// waits <see cref="MaxWait"/> at most and then takes it over (the old holder's late release is then ignored), so the line
/// never stops. Readers never wait (WAL). Other processes writing the same file are not in line; they meet SQLite's own
/// busy handling.
/// </para>
/// </summary>
public sealed class SqliteWriteGate(ILogger<SqliteWriteGate> logger) : IDbTransactionInterceptor
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    // One line per database file, shared by every context of the process.
    private static readonly ConcurrentDictionary<string, Line> Lines = new(StringComparer.Ordinal);

    // The place a connection holds while its transaction runs: the line and the turn it was given.
    private readonly ConditionalWeakTable<DbConnection, Place> _held = [];

    private static long _waits;

    /// <summary>How many writers found the line busy and waited (for tests).</summary>
    public static long Waits => Interlocked.Read(ref _waits);

    /// <summary>Whether no writer of <paramref name="dataSource"/> (the database file) is in line (for tests).</summary>
    public static bool IsFree(string dataSource) => Lines.TryGetValue(Path.GetFullPath(dataSource), out var line)
        ? line.IsFree
        : throw new InvalidOperationException($"No transaction ever began on {dataSource} through the gate.");

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (result.HasResult)
        {
            return result;
        }

        await EnterAsync(connection, cancellationToken);
        try
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(await connection.BeginTransactionAsync(eventData.IsolationLevel, cancellationToken));
        }
        catch
        {
            Leave(connection);
            throw;
        }
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (result.HasResult)
        {
            return result;
        }

        EnterAsync(connection, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        try
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(connection.BeginTransaction(eventData.IsolationLevel));
        }
        catch
        {
            Leave(connection);
            throw;
        }
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

    private async ValueTask EnterAsync(DbConnection connection, CancellationToken ct)
    {
        // One transaction at a time on a connection: a place it still holds is that of a transaction that has ended.
        Leave(connection);
        connection.StateChange -= OnStateChange;
        connection.StateChange += OnStateChange;
        var line = Lines.GetOrAdd(Path.GetFullPath(connection.DataSource), _ => new Line());
        if (!line.Gate.Wait(0, CancellationToken.None))
        {
            Interlocked.Increment(ref _waits);
            while (true)
            {
                var turn = line.Turn;
                if (await line.Gate.WaitAsync(MaxWait, ct))
                {
                    break;
                }

                // Nobody was let in for MaxWait: the holder kept its place without ending. Take it over.
                if (line.TakeOver(turn) is { } taken)
                {
                    logger.LogWarning("A SQLite writer waited {Seconds} s for the write gate of {DataSource}: its holder never ended; the place is taken over", MaxWait.TotalSeconds, connection.DataSource);
                    _held.AddOrUpdate(connection, new Place(line, taken));
                    return;
                }
            }
        }

        _held.AddOrUpdate(connection, new Place(line, line.NextTurn()));
    }

    private void OnStateChange(object? sender, StateChangeEventArgs e)
    {
        if (e.CurrentState == ConnectionState.Closed)
        {
            Leave(sender as DbConnection);
        }
    }

    private void Leave(TransactionEventData eventData) => Leave(eventData.Context?.Database.GetDbConnection());

    private void Leave(DbConnection? connection)
    {
        if (connection is not null && _held.TryGetValue(connection, out var place) && _held.Remove(connection))
        {
            place.Line.Release(place.Turn);
        }
    }

    private sealed record Place(Line Line, long Turn);

    /// <summary>A database file's line: one place, and the turn of whoever holds it.</summary>
    private sealed class Line
    {
        private readonly Lock _lock = new();
        private long _turn;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long Turn
        {
            get
            {
                lock (_lock)
                {
                    return _turn;
                }
            }
        }

        public bool IsFree => Gate.CurrentCount == 1;

        public long NextTurn()
        {
            lock (_lock)
            {
                return ++_turn;
            }
        }

        /// <summary>The holder of <paramref name="seen"/> has not let anyone in since: a new turn for the caller, who keeps the place.</summary>
        public long? TakeOver(long seen)
        {
            lock (_lock)
            {
                return _turn == seen && Gate.CurrentCount == 0 ? ++_turn : null;
            }
        }

        /// <summary>Gives the place back, unless it was taken over since <paramref name="turn"/> (a late release).</summary>
        public void Release(long turn)
        {
            lock (_lock)
            {
                if (_turn != turn)
                {
                    return;
                }

                _turn++;
                Gate.Release();
            }
        }
    }
}
