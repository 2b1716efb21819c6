using System.Collections.Concurrent;
using System.Globalization;
using CaseCrm.Data;
using CaseCrm.Data.Activities;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CaseCrm.IntegrationTests.Infrastructure;

/// <summary>A case's stored columns, to compare the database before and after an operation.</summary>
public sealed record CaseRow(
    int Id,
    string Title,
    int ContactId,
    int? AccountId,
    int CategoryId,
    CasePriority? Priority,
    CaseStatus Status,
    string Description,
    string? Resolution,
    CaseOrigin? Origin,
    string? AssignedToId,
    int? ParentId,
    int ChildCount,
    string UpdatedById,
    DateTime UpdatedAt,
    int Version);

/// <summary>
/// A fresh database of its own for one test or test class, on SQLite (a temporary file) or PostgreSQL (a database
/// in <see cref="PostgresServer"/>), gone on dispose. <see cref="CreateAsync"/> gives a migrated one with no rows;
/// <see cref="CreateEmptyAsync"/> one without tables, for the web app to migrate itself.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string SqliteFilePrefix = "casecrm-test-";

    // Migrating takes longer than copying: each provider migrates one template per process, and each test copies it.
    private static readonly Lazy<Task<string>> SqliteTemplate = new(CreateSqliteTemplateAsync);
    private static readonly Lazy<Task<string>> PostgresTemplate = new(CreatePostgresTemplateAsync);

    // Creating a PostgreSQL database costs far more than emptying one, so a migrated database that a
    // test has finished with is emptied (identities restarted) and handed to the next test instead of being dropped.
    private static readonly ConcurrentBag<string> SparePostgresDatabases = [];

    private readonly List<CrmDbContext> _contexts = [];
    private readonly bool _reusable;

    private TestDatabase(DatabaseProvider provider, string connectionString, bool reusable = false)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _reusable = reusable;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>A new database with every migration applied and no rows.</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, CancellationToken ct = default)
    {
        if (provider == DatabaseProvider.Postgres && SparePostgresDatabases.TryTake(out var spare))
        {
            return new TestDatabase(provider, spare, reusable: true);
        }

        var database = provider switch
        {
            DatabaseProvider.Sqlite => new TestDatabase(provider, await CopySqliteTemplateAsync(ct)),
            DatabaseProvider.Postgres => new TestDatabase(provider,
                await (await PostgresServer.GetAsync()).CreateDatabaseAsync(await PostgresTemplate.Value, ct), reusable: true),
            _ => throw new NotSupportedException($"The tests cannot run {provider} here."),
        };

        await using var db = database.NewContext();
        // The copy is already migrated: this checks that it is current, as the app does at start.
        await db.Database.MigrateAsync(ct);
        if (provider == DatabaseProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        return database;
    }

    /// <summary>A database with no tables (for SQLite, a file name not yet created), for the web app to migrate and seed.</summary>
    public static async Task<TestDatabase> CreateEmptyAsync(DatabaseProvider provider, CancellationToken ct = default) => provider switch
    {
        DatabaseProvider.Sqlite => new TestDatabase(provider, SqliteConnectionString(NewSqliteFileName())),
        DatabaseProvider.Postgres => new TestDatabase(provider, await (await PostgresServer.GetAsync()).CreateDatabaseAsync(ct: ct)),
        _ => throw new NotSupportedException($"The tests cannot run {provider} here."),
    };

    /// <summary>A new context of the provider's subclass; the caller disposes it.</summary>
    public CrmDbContext NewContext() => CreateContext(Provider, ConnectionString);

    /// <summary>
    /// A case service over <paramref name="db"/>, or over a context of its own that is disposed with this database.
    /// Give each concurrent worker its own service.
    /// </summary>
    public CaseService NewCaseService(CrmDbContext? db = null, TimeProvider? clock = null)
    {
        if (db is null)
        {
            db = NewContext();
            lock (_contexts)
            {
                _contexts.Add(db);
            }
        }

        return new CaseService(db, clock ?? TimeProvider.System, NullLogger<CaseService>.Instance);
    }

    /// <summary>An activity service over a context of its own that is disposed with this database.</summary>
    public ActivityService NewActivityService()
    {
        var db = NewContext();
        lock (_contexts)
        {
            _contexts.Add(db);
        }

        return new ActivityService(db, TimeProvider.System, NullLogger<ActivityService>.Instance);
    }

    /// <summary>What the form of a new child of <paramref name="parentId"/> starts with, from the stored parent and settings.</summary>
    public async Task<(CaseFields Prefill, int ContactId, IReadOnlyList<CaseRuleViolation> Refusals)> NewChildDraftAsync(int parentId)
    {
        await using var db = NewContext();
        var parent = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == parentId);
        var settings = await db.ParentChildSettings.AsNoTracking().SingleOrDefaultAsync() ?? new ParentChildSettings();
        return (parent.ChildDraft(settings), parent.ContactId, parent.WhyNoNewChild(settings));
    }

    /// <summary>
    /// A case of the contact in <paramref name="status"/>, as the app makes one: created active, then resolved or cancelled
    /// through the service (Closed has no command: set as stored).
    /// </summary>
    public async Task<Case> CaseInStatusAsync(int contactId, CaseFields fields, CaseStatus status, string userId)
    {
        var service = NewCaseService();
        var created = await service.AddToContactAsync(contactId, fields, status.IsActive() ? status : CaseStatus.New, userId);
        switch (status)
        {
            case CaseStatus.Resolved:
                await service.ResolveAsync(created.Id, fields.Resolution ?? "Resuelto en la prueba.", userId);
                break;
            case CaseStatus.Cancelled:
                await service.CancelAsync(created.Id, userId);
                break;
            case CaseStatus.Closed:
                await InDbAsync(db => db.Cases.Where(c => c.Id == created.Id).ExecuteUpdateAsync(set => set.SetProperty(c => c.Status, CaseStatus.Closed)));
                break;
        }

        return await FindCaseAsync(created.Id);
    }

    /// <summary>Runs <paramref name="read"/> on a context of its own.</summary>
    public async Task<T> InDbAsync<T>(Func<CrmDbContext, Task<T>> read)
    {
        await using var db = NewContext();
        return await read(db);
    }

    /// <summary>The case as stored now (untracked).</summary>
    public async Task<Case> FindCaseAsync(int id)
    {
        await using var db = NewContext();
        return await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    /// <summary>Every case as stored now, by id: take one before and one after an operation that must change nothing.</summary>
    public async Task<IReadOnlyList<CaseRow>> CaseRowsAsync()
    {
        await using var db = NewContext();
        return await db.Cases.AsNoTracking()
            .OrderBy(c => c.Id)
            .Select(c => new CaseRow(c.Id, c.Title, c.ContactId, c.AccountId, c.CategoryId, c.Priority, c.Status, c.Description,
                c.Resolution, c.Origin, c.AssignedToId, c.ParentId, c.ChildCount, c.UpdatedById, c.UpdatedAt, c.Version))
            .ToListAsync();
    }

    /// <summary>How many rows each table of the model holds now, by table name.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RowCountsAsync()
    {
        await using var db = NewContext();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var table in Tables(db))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    public static CrmDbContext CreateContext(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteCrmDbContext(
            new DbContextOptionsBuilder<SqliteCrmDbContext>().UseSqlite(connectionString).Options),
        DatabaseProvider.Postgres => new PostgresCrmDbContext(
            new DbContextOptionsBuilder<PostgresCrmDbContext>().UseNpgsql(connectionString).Options),
        _ => throw new NotSupportedException($"The tests cannot run {provider} here."),
    };

    public async ValueTask DisposeAsync()
    {
        CrmDbContext[] contexts;
        lock (_contexts)
        {
            contexts = [.. _contexts];
            _contexts.Clear();
        }

        foreach (var context in contexts)
        {
            await context.DisposeAsync();
        }

        if (Provider == DatabaseProvider.Sqlite)
        {
            using (var connection = new SqliteConnection(ConnectionString))
            {
                SqliteConnection.ClearPool(connection);
            }

            DeleteSqliteFiles(new SqliteConnectionStringBuilder(ConnectionString).DataSource);
        }
        else if (_reusable && await TryEmptyAsync())
        {
            SparePostgresDatabases.Add(ConnectionString);
        }
        else
        {
            await (await PostgresServer.GetAsync()).DropDatabaseAsync(ConnectionString);
        }
    }

    private async Task<bool> TryEmptyAsync()
    {
        try
        {
            await using var db = NewContext();
            // The table names come from the EF model. A lock left by a test that leaked a transaction must not hang the run.
            var sql = "SET lock_timeout = '5s'; TRUNCATE TABLE " + string.Join(", ", Tables(db).Select(t => $"\"{t}\"")) + " RESTART IDENTITY CASCADE";
            await db.Database.ExecuteSqlRawAsync(sql);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static IEnumerable<string> Tables(CrmDbContext db) =>
        db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order(StringComparer.Ordinal);

    private static async Task<string> CreateSqliteTemplateAsync()
    {
        DeleteAbandonedSqliteFiles();
        var path = NewSqliteFileName();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteSqliteFiles(path);
        // No pooling: the file is copied next, so no connection may stay open on it.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString;
        await using var db = CreateContext(DatabaseProvider.Sqlite, connectionString);
        await db.Database.MigrateAsync();
        return path;
    }

    private static async Task<string> CopySqliteTemplateAsync(CancellationToken ct)
    {
        var template = await SqliteTemplate.Value;
        var path = NewSqliteFileName();
        await using (var source = File.OpenRead(template))
        await using (var target = File.Create(path))
        {
            await source.CopyToAsync(target, ct);
        }

        return SqliteConnectionString(path);
    }

    private static async Task<string> CreatePostgresTemplateAsync()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync();
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        // No pooling: PostgreSQL copies a template only while nobody is connected to it.
        await using var db = CreateContext(DatabaseProvider.Postgres, server.ConnectionString(database, pooling: false));
        await db.Database.MigrateAsync();
        return database;
    }

    private static string SqliteConnectionString(string path) => new SqliteConnectionStringBuilder { DataSource = path }.ConnectionString;

    private static string NewSqliteFileName() => Path.Combine(Path.GetTempPath(),
        string.Create(CultureInfo.InvariantCulture, $"{SqliteFilePrefix}{Environment.ProcessId}-{Guid.NewGuid():N}.db"));

    private static void DeleteSqliteFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Deletes the files of earlier test processes that were killed before they could clean up.</summary>
    private static void DeleteAbandonedSqliteFiles()
    {
        foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), SqliteFilePrefix + "*"))
        {
            var pidText = Path.GetFileName(file)[SqliteFilePrefix.Length..].Split('-')[0];
            if (int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !PostgresServer.IsRunning(pid))
            {
                DeleteSqliteFiles(file);
            }
        }
    }
}
