using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace CaseCrm.Data.Sqlite;

/// <summary>
/// Settings of each SQLite connection of the application, set once per SQLite handle (the pool keeps a handle open across
/// requests; they run through the handle, not as commands, so they are not counted among a request's statements):
/// <list type="bullet">
/// <item><c>temp_store = MEMORY</c>: the statement journal of a case's insert (its full-text trigger) was a file of
/// its own in /var/tmp, created and deleted on every create.</item>
/// <item><c>wal_autocheckpoint = 10000</c> (pages, 40 MB; SQLite's default is 1,000): the commit that filled the log
/// copied it into the database file, in a request and holding the write gate; a create writes about 41 pages, so every
/// 25th create did. <see cref="SqliteCheckpointer"/> copies the log in the background every second; this limit is the
/// safety net when writes outrun it (or in a process without it, like the data generator), and with it a page written by
/// many creates (the last page of an index) is copied once rather than once per thousand pages.</item>
/// </list>
/// Create-case POST at 10k cases, 8 writers: 1.95–2.56 → 1.36–1.73 ms of CPU a request (docs/performance.md, ADR 0034).
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    public const string Pragmas = "PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 10000;";

    private readonly ConditionalWeakTable<sqlite3, object> _set = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } && !_set.TryGetValue(handle, out _))
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(handle, Pragmas), handle);
            _set.AddOrUpdate(handle, handle);
        }
    }
}
