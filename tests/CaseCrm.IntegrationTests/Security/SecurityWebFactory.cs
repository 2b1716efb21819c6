using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Net;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// The app of <see cref="CrmWebFactory"/> (Development, demo seed, its own database) with what the security tests
/// need on top: a controllable clock for the security-stamp check (<see cref="StampClock"/>), every log event
/// (<see cref="Logs"/>, Information and up), a database failure on demand (<see cref="FailingCommandInterceptor"/>),
/// and one <see cref="TestData"/> for the whole class (category names are unique, so a class shares one).
/// </summary>
public abstract class SecurityWebFactory(DatabaseProvider provider) : CrmWebFactory(provider)
{
    private readonly SemaphoreSlim _dataLock = new(1, 1);
    private readonly Dictionary<(string Role, string Slot), (string Id, string Email, string Password)> _sharedUsers = [];
    private readonly Dictionary<(Principal Principal, string Slot, int Instance), TestSession> _sharedSessions = [];
    private TestData? _data;
    private SecurityWorld? _sharedWorld;

    /// <summary>The clock of <c>SecurityStampValidatorOptions</c>: advance it past a minute and every cookie is re-checked.</summary>
    public ManualClock StampClock { get; } = new();

    /// <summary>Every event the app logged through Serilog.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>How many passwords the app has checked against a hash (the app's hasher, counted).</summary>
    public PasswordCheckCounter PasswordChecks { get; } = new();

    /// <summary>Rows for the tests, created by the demo agent.</summary>
    public async Task<TestData> DataAsync()
    {
        await _dataLock.WaitAsync();
        try
        {
            return _data ??= await TestData.CreateAsync(Database, DbInitializer.DemoUsers[0].Email);
        }
        finally
        {
            _dataLock.Release();
        }
    }

    /// <summary>A new user with a password and <paramref name="role"/>, made with the app's own user manager.</summary>
    public async Task<(string Id, string Email, string Password)> CreateUserAsync(string role, string? password = null, string? displayName = null)
    {
        var email = $"sec-{role.ToLowerInvariant()}-{Guid.NewGuid():N}@casecrm.test";
        password ??= "clave-de-prueba-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName ?? email };
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, role));
        return (user.Id, email, password);
    }

    /// <summary>
    /// A user of <paramref name="role"/> made once per factory and <paramref name="slot"/>, for tests that need a user of
    /// their own (one whose security stamp they may change) without paying for a new one each time.
    /// </summary>
    public async Task<(string Id, string Email, string Password)> SharedUserAsync(string role, string slot)
    {
        await _dataLock.WaitAsync();
        try
        {
            if (!_sharedUsers.TryGetValue((role, slot), out var user))
            {
                user = await CreateUserAsync(role);
                _sharedUsers[(role, slot)] = user;
            }

            return user;
        }
        finally
        {
            _dataLock.Release();
        }
    }

    /// <summary>
    /// Rows that the tests of a class may read and send refused requests about, but never change: tests whose allowed
    /// requests change rows make a <see cref="SecurityWorld"/> of their own.
    /// </summary>
    public async Task<SecurityWorld> SharedWorldAsync()
    {
        var data = await DataAsync();
        var administrator = await SharedUserAsync(Roles.Administrator, "shared");
        await _dataLock.WaitAsync();
        try
        {
            return _sharedWorld ??= await SecurityWorld.CreateAsync(this, data, administrator.Id);
        }
        finally
        {
            _dataLock.Release();
        }
    }

    /// <summary>
    /// A session of <paramref name="principal"/> kept for the whole class (signing in costs a password hash): anonymous, or
    /// signed in as a user of that role made for <paramref name="slot"/>; another <paramref name="instance"/> is another
    /// session of the same user. Do not sign it out.
    /// </summary>
    public async Task<TestSession> SharedSessionAsync(Principal principal, string slot = "shared", int instance = 0)
    {
        (string Id, string Email, string Password)? user = principal == Principal.Anonymous ? null : await SharedUserAsync(principal.Role(), slot);
        await _dataLock.WaitAsync();
        try
        {
            if (!_sharedSessions.TryGetValue((principal, slot, instance), out var session))
            {
                session = NewSession();
                if (user is { } u)
                {
                    await session.SignInAsync(u.Email, u.Password);
                }

                _sharedSessions[(principal, slot, instance)] = session;
            }

            return session;
        }
        finally
        {
            _dataLock.Release();
        }
    }

    /// <summary>Failures in a row that lock an account (<c>SignIn:MaxFailedAccessAttempts</c>).</summary>
    public int LockoutThreshold => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;

    /// <summary>A new browser-like session (own cookies, no redirects followed).</summary>
    public TestSession NewSession(Uri? baseAddress = null) => new(this, baseAddress);

    /// <summary>A session signed in as the demo user of <paramref name="role"/>.</summary>
    public async Task<TestSession> SignedInAsync(string role)
    {
        var user = DbInitializer.DemoUsers.Single(u => u.Role == role);
        var session = NewSession();
        await session.SignInAsync(user.Email, user.Password);
        return session;
    }

    /// <summary>Aborts the request of the next transaction's commit, as a client closing the page at that moment would.</summary>
    public CommitAborter CommitAborter { get; } = new();

    /// <summary>Aborts the request at the n-th statement of its transaction, as a client closing the page then would.</summary>
    public CommandAborter CommandAborter { get; } = new();

    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        // The sign-in and refusal events are Information and Warning: keep them all.
        ["Serilog:MinimumLevel:Default"] = "Information",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in ExtraSettings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(ExtraSettings));
        builder.ConfigureTestServices(services =>
        {
            services.Configure<SecurityStampValidatorOptions>(o => o.TimeProvider = StampClock);
            // Serilog's ReadFrom.Services(...) adds every ILogEventSink registered in DI.
            services.AddSingleton<ILogEventSink>(Logs);
            services.AddSingleton<IInterceptor>(new FailingCommandInterceptor());
            services.AddSingleton<IInterceptor>(CommitAborter);
            services.AddSingleton<IInterceptor>(CommandAborter);
            services.AddScoped<IPasswordHasher<AppUser>>(sp => new CountingPasswordHasher(
                new PasswordHasher<AppUser>(sp.GetService<Microsoft.Extensions.Options.IOptions<PasswordHasherOptions>>()), PasswordChecks));
            services.AddSingleton<IStartupFilter, ClientAddressFromHeader>();
        });
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var session in _sharedSessions.Values)
        {
            session.Dispose();
        }

        await base.DisposeAsync();
        _dataLock.Dispose();
        GC.SuppressFinalize(this);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}

/// <summary>The security app over SQLite, as a class fixture.</summary>
public sealed class SqliteSecurityFactory() : SecurityWebFactory(DatabaseProvider.Sqlite);

/// <summary>The security app over PostgreSQL, as a class fixture.</summary>
public sealed class PostgresSecurityFactory() : SecurityWebFactory(DatabaseProvider.Postgres);

/// <summary>
/// The app as production runs it: environment Production, no demo seed, one administrator from configuration
/// (Seed:AdminEmail / Seed:AdminPassword). Its cookies are Secure, so clients talk to it over https.
/// </summary>
public sealed class ProductionSecurityFactory() : SecurityWebFactory(DatabaseProvider.Sqlite)
{
    public const string AdminEmail = "jefa.sistemas@cliente.test";
    public const string AdminPassword = "una frase larga sin reglas 2026";

    public static readonly Uri Https = new("https://localhost/");

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Serilog:MinimumLevel:Default"] = "Information",
        ["Seed:Demo"] = "false",
        ["Seed:AdminEmail"] = AdminEmail,
        ["Seed:AdminPassword"] = AdminPassword,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

/// <summary>The security app with the sign-in limits of appsettings.json (10 sign-in POSTs a minute per address).</summary>
public sealed class ThrottledSecurityFactory() : SecurityWebFactory(DatabaseProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Serilog:MinimumLevel:Default"] = "Information",
        ["SignIn:PermitLimit"] = "10",
    };
}

/// <summary>
/// Test clients have no address; a request with <see cref="Header"/> comes from the address it names, as a request
/// through a listed proxy does (ForwardedHeaders).
/// </summary>
public sealed class ClientAddressFromHeader : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var address))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>A count of password checks, shared by every scope's <see cref="CountingPasswordHasher"/>.</summary>
public sealed class PasswordCheckCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}

/// <summary>The app's password hasher, counting each check of a password against a hash.</summary>
public sealed class CountingPasswordHasher(IPasswordHasher<AppUser> inner, PasswordCheckCounter counter) : IPasswordHasher<AppUser>
{
    public string HashPassword(AppUser user, string password) => inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        counter.Increment();
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>A clock that starts at the real time and moves forward only when told.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

/// <summary>A Serilog sink that keeps every event, for assertions on what the app logged.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>An event as text: time, level, message, every property and the exception.</summary>
    public static string Render(LogEvent e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Timestamp:O} [{e.Level}] {e.RenderMessage(CultureInfo.InvariantCulture)} ")
        + string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}"))
        + (e.Exception is null ? "" : " " + e.Exception);

    /// <summary>The events logged since <paramref name="since"/>, as text.</summary>
    public IReadOnlyList<string> TextSince(DateTimeOffset since) =>
        Events.Where(e => e.Timestamp >= since).Select(Render).ToList();

    public IReadOnlyList<LogEvent> Since(DateTimeOffset since) => Events.Where(e => e.Timestamp >= since).ToList();
}

/// <summary>
/// Makes the database fail, deep inside an action, when a query carries <see cref="Trigger"/> as a parameter (search a
/// list for it): an unexpected exception whose message holds "secrets" that the 500 page must not show.
/// </summary>
public sealed class FailingCommandInterceptor : DbCommandInterceptor
{
    public const string Trigger = "fallo-simulado-7c1e";
    public const string SecretMessage = "Simulated failure: Host=db.internal;Password=s3cr3t-del-servidor; table SecretTable";

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        ThrowWhenTriggered(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ThrowWhenTriggered(command);
        return ValueTask.FromResult(result);
    }

    private static void ThrowWhenTriggered(DbCommand command)
    {
        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.Value is string text && text.Contains(Trigger, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(SecretMessage);
            }
        }
    }
}

/// <summary>
/// Once armed with the token source of a request's client, cancels it when the next transaction is about to commit: the
/// server sees its request aborted between the write and the commit.
/// </summary>
public sealed class CommitAborter : DbTransactionInterceptor
{
    private CancellationTokenSource? _armed;

    public void Arm(CancellationTokenSource client) => _armed = client;

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Interlocked.Exchange(ref _armed, null)?.Cancel();
        return result;
    }

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _armed, null) is { } client)
        {
            await client.CancelAsync();
        }

        return result;
    }
}

/// <summary>
/// Once armed with the token source of a request's client and a number n, cancels the client when the n-th command run
/// inside a transaction is about to run: the server sees its request aborted in the middle of its write.
/// </summary>
public sealed class CommandAborter : DbCommandInterceptor
{
    private CancellationTokenSource? _client;
    private int _left;
    private bool _afterIt;

    /// <summary>Cancels <paramref name="client"/> as the n-th command of a transaction starts or, with <paramref name="afterIt"/>, once it has run (before its rows are read).</summary>
    public void Arm(CancellationTokenSource client, int nthCommandInTransaction, bool afterIt = false)
    {
        _left = nthCommandInTransaction;
        _afterIt = afterIt;
        _client = client;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        await AbortAtAsync(command, after: true);
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await AbortAtAsync(command, after: true);
        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await AbortAtAsync(command, after: false);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await AbortAtAsync(command, after: false);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await AbortAtAsync(command, after: false);
        return result;
    }

    private async Task AbortAtAsync(DbCommand command, bool after)
    {
        if (_client is { } client && after == _afterIt && command.Transaction is not null && Interlocked.Decrement(ref _left) == 0)
        {
            _client = null;
            await client.CancelAsync();
        }
    }
}
