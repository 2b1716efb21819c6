using CaseCrm.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.IntegrationTests.Infrastructure;

/// <summary>
/// The whole web app in memory over a fresh database of its own (SQLite file or PostgreSQL database), migrated
/// and seeded with the demo users and data by the app itself at start, in the Development environment.
/// Use it as a class fixture through <see cref="SqliteWebFactory"/> or <see cref="PostgresWebFactory"/>: one app
/// and one database per test class. Tests in a class share them, so each test makes the rows it needs.
/// </summary>
public abstract class CrmWebFactory(DatabaseProvider provider) : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _database;

    public DatabaseProvider Provider { get; } = provider;

    /// <summary>The app's database, for arranging rows (<see cref="TestData"/>) and asserting what a request stored.</summary>
    public TestDatabase Database => _database ?? throw new InvalidOperationException("The factory is not initialized yet.");

    /// <summary>Counts the SQL commands of a client's requests (<see cref="SqlCommandCounter.Measure"/>); idle otherwise.</summary>
    public SqlCommandCounter SqlCommands { get; } = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateEmptyAsync(Provider);
        // Start the app now, so that it migrates and seeds before the first test and a start failure shows here.
        _ = Services;
    }

    /// <summary>A client that behaves like a browser tab: keeps cookies and shows redirects instead of following them.</summary>
    public HttpClient CreateBrowserClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A browser client signed in, through the real login form, as the demo user of <paramref name="role"/> (see <c>Roles</c>).</summary>
    public async Task<HttpClient> CreateSignedInClientAsync(string role)
    {
        var client = CreateBrowserClient();
        await client.SignInAsAsync(role);
        return client;
    }

    /// <summary>Runs <paramref name="query"/> on a fresh context of the app's database.</summary>
    public async Task<T> InDbAsync<T>(Func<CrmDbContext, Task<T>> query)
    {
        await using var db = Database.NewContext();
        return await query(db);
    }

    /// <summary>
    /// Off by default: tests arrange categories, users and settings straight in the database, which the app's cache of
    /// reference data (ADR 0012) would not see. The factories that measure or test the cache turn it on as in production.
    /// </summary>
    protected virtual string ReferenceCacheDuration => "00:00:00";

    /// <summary>Off by default: the mailbox poller and the outbox sender of the background run only where a test wants them.</summary>
    protected virtual bool RunEmailServices => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider.ToString(),
            ["ConnectionStrings:Default"] = Database.ConnectionString,
            ["Seed:Demo"] = "true",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["ReferenceData:CacheDuration"] = ReferenceCacheDuration,
            // The start page's team figures are counted on every request in the tests (and measured so by the SQL budgets).
            ["Home:FiguresCacheDuration"] = "00:00:00",
            // Every test client comes from the same (no) address: the sign-in rate limit is tested on its own factory.
            ["SignIn:PermitLimit"] = "100000",
            // Each API test makes its own token, so each has its own window: small, so that the limit is reached quickly.
            ["Api:PermitLimit"] = "20",
            // Email tests poll when they mean to (MailboxPoller.PollAllAsync); one factory polls on its own as in production.
            ["Email:Receive"] = RunEmailServices ? "true" : "false",
            ["Email:PollInterval"] = "00:00:01",
            // Tests send the outbox themselves (OutboxSender.SendDueAsync), so that each can count what went out.
            ["Email:Send"] = RunEmailServices ? "true" : "false",
            ["Email:SendInterval"] = "00:00:01",
            ["Email:FirstRetryDelay"] = "00:00:01",
            // Tests run the service-level check themselves (ServiceLevelMonitor.CheckAsync), so that each can count what it gave.
            ["ServiceLevels:Check"] = "false",
        };
        builder.UseEnvironment("Development");
        // UseSetting reaches Program before it reads the configuration; the in-memory source keeps later reads right too.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
        // AddCrmData adds every DI-registered interceptor to each context.
        builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(SqlCommands));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }

        GC.SuppressFinalize(this);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>The web app over SQLite, as a class fixture: <c>IClassFixture&lt;SqliteWebFactory&gt;</c>.</summary>
public sealed class SqliteWebFactory() : CrmWebFactory(DatabaseProvider.Sqlite);

/// <summary>The web app over PostgreSQL, as a class fixture: <c>IClassFixture&lt;PostgresWebFactory&gt;</c>.</summary>
public sealed class PostgresWebFactory() : CrmWebFactory(DatabaseProvider.Postgres);

/// <summary>The web app over SQLite with the production cache of reference data (30 s).</summary>
public sealed class CachedSqliteWebFactory() : CrmWebFactory(DatabaseProvider.Sqlite)
{
    protected override string ReferenceCacheDuration => "00:00:30";
}

/// <summary>The web app over PostgreSQL with the production cache of reference data (30 s).</summary>
public sealed class CachedPostgresWebFactory() : CrmWebFactory(DatabaseProvider.Postgres)
{
    protected override string ReferenceCacheDuration => "00:00:30";
}

/// <summary>The web app over SQLite with the mailbox poller and the outbox sender running in the background every second, as in production.</summary>
public sealed class ReceivingSqliteWebFactory() : CrmWebFactory(DatabaseProvider.Sqlite)
{
    protected override bool RunEmailServices => true;
}
