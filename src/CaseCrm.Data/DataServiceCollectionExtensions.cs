using System.Data.Common;
using CaseCrm.Data.Activities;
using CaseCrm.Data.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseCrm.Data;

/// <summary>The database providers the application runs on.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

public static class DataServiceCollectionExtensions
{
    public const string DefaultSqliteConnection = "Data Source=casecrm.db";

    /// <summary>Registers the DbContext for <c>Database:Provider</c> and <c>ConnectionStrings:Default</c>, and the case service.</summary>
    public static IServiceCollection AddCrmData(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var connectionString = configuration.GetConnectionString("Default");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? DefaultSqliteConnection
                : throw new InvalidOperationException($"ConnectionStrings:Default is required for the {provider} provider.");
        }

        // Interceptors registered in DI as singletons (tests and the benchmark count SQL commands this way) join every
        // context. Contexts are pooled: a request reuses a reset context instead of building one (docs/performance.md).
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                // Writers of the file wait in line in the process instead of sleeping in SQLite's busy retries (issue 21;
                // Database:SqliteWriteGate=false only to measure without it).
                var gate = configuration.GetValue("Database:SqliteWriteGate", true);
                services.AddSingleton<Sqlite.SqliteWriteGate>();
                // Each connection's settings, and the log copied into the file in the background (ADR 0034).
                var settings = new Sqlite.SqliteConnectionSettings();
                var checkpoints = TimeSpan.FromSeconds(configuration.GetValue("Database:SqliteCheckpointSeconds", 1.0));
                if (checkpoints > TimeSpan.Zero)
                {
                    services.AddHostedService(sp => new Sqlite.SqliteCheckpointer(connectionString, checkpoints, sp.GetRequiredService<ILogger<Sqlite.SqliteCheckpointer>>()));
                }

                services.AddDbContextPool<CrmDbContext, SqliteCrmDbContext>((sp, o) => Logged(o.UseSqlite(connectionString))
                    .AddInterceptors(sp.GetServices<IInterceptor>())
                    .AddInterceptors(settings)
                    .AddInterceptors(gate ? [sp.GetRequiredService<Sqlite.SqliteWriteGate>()] : []));
                break;
            case DatabaseProvider.Postgres:
                var postgres = WithAutoPrepare(connectionString, configuration.GetValue("Database:PostgresAutoPrepare", 64));
                services.AddDbContextPool<CrmDbContext, PostgresCrmDbContext>((sp, o) => Logged(o.UseNpgsql(postgres)).AddInterceptors(sp.GetServices<IInterceptor>()));
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<CrmDbContext, SqlServerCrmDbContext>((sp, o) => Logged(o.UseSqlServer(connectionString)).AddInterceptors(sp.GetServices<IInterceptor>()));
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{provider}'.");
        }

        services.AddSingleton(TimeProvider.System);
        services.AddScoped<CaseService>();
        services.AddScoped<ActivityService>();
        services.AddScoped<Email.EmailIntakeService>();
        services.AddScoped<Email.EmailOutboxService>();
        services.AddScoped<Email.EmailOutbox>();
        services.AddScoped<DbInitializer>();
        return services;
    }

    /// <summary>
    /// EF's failure events at Debug, not Error: a failed begin, commit or rollback ("An error occurred using a
    /// transaction"), a failed command ("Failed executing DbCommand") and a failed save ("An exception occurred in the
    /// database while saving changes"). EF logs them before the code that runs the work knows what the failure means: a
    /// request the client closed (answered 499 and logged at Information, LoggingSetup), a concurrent change that is
    /// retried (CaseUnitOfWork logs it), a form sent twice whose submission key the unique index refuses (CaseService
    /// answers with the first case, ADR 0014). A failure that is an error reaches the log once, with its exception, from
    /// whoever handles it: the request's exception handler or the background job. So an error in the log always means an
    /// error (ADR 0039).
    /// </summary>
    private static DbContextOptionsBuilder Logged(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.TransactionError, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)));

    /// <summary>
    /// The PostgreSQL connection string with automatic preparation (ADR 0037): a statement run twice on a connection is
    /// prepared there, so PostgreSQL parses it once and, after five runs, plans it once (a generic plan) instead of on every
    /// run — the case list's fifteen-branch read spent most of its time being planned. <paramref name="statements"/> is
    /// how many a connection keeps (Database:PostgresAutoPrepare; 0: none). A connection string that says
    /// "Max Auto Prepare" itself is left as it is.
    /// </summary>
    public static string WithAutoPrepare(string connectionString, int statements)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>();
        if (statements <= 0 || given.Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = statements, AutoPrepareMinUsages = 2 }.ConnectionString;
    }
}
