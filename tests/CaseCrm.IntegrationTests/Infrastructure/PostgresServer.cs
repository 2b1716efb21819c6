using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CaseCrm.IntegrationTests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL 15 cluster shared by the whole test process: started on first use on a free
/// loopback port, stopped and deleted when the process exits (<see cref="StartExitWatcher"/>). Each test class or test takes its own
/// database in it with <see cref="CreateDatabaseAsync"/>, so tests never see each other's rows.
/// </summary>
public sealed class PostgresServer
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string DirectoryPrefix = "casecrm-pg-";
    private const string OsUser = "postgres";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static int _databaseCounter;

    private readonly string _root;
    private readonly string _dataDirectory;

    private PostgresServer(string root, int port)
    {
        _root = root;
        _dataDirectory = Path.Combine(root, "data");
        Port = port;
    }

    public int Port { get; }

    /// <summary>The cluster of this test process, started on the first call.</summary>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Connection string for <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database, bool pooling = true) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = pooling,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>Creates a new database (empty, or a copy of <paramref name="template"/>) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? template = null, CancellationToken ct = default)
    {
        var name = string.Create(CultureInfo.InvariantCulture,
            $"test_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("N")[..8]}");
        var sql = template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"";
        await ExecuteAsync(sql, ct);
        return ConnectionString(name);
    }

    /// <summary>Drops the database of <paramref name="connectionString"/>, closing its pooled connections first.</summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken ct = default)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", ct);
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var initdb = Path.Combine(BinDirectory, "initdb");
        if (!File.Exists(initdb))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({initdb} is missing). The integration tests need it: apt-get install -y postgresql");
        }

        await RemoveAbandonedClustersAsync();
        var root = Directory.CreateTempSubdirectory($"{DirectoryPrefix}{Environment.ProcessId}-").FullName;
        var failures = new List<string>();
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
                await RunAsync("chown", [$"{OsUser}:{OsUser}", root]);
            }

            var data = Path.Combine(root, "data");
            await RunAsPostgresAsync(initdb, ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);

            // The port is free when chosen but another process may take it first: try a few.
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                var server = new PostgresServer(root, FreePort());
                try
                {
                    await server.StartClusterAsync();
                }
                catch (InvalidOperationException ex)
                {
                    failures.Add(ex.Message);
                    continue;
                }

                server.StartExitWatcher();
                return server;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            failures.Add(ex.Message);
        }

        TryDeleteDirectory(root);
        throw new InvalidOperationException(
            "Could not start the throwaway PostgreSQL for the integration tests:" + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    private async Task StartClusterAsync()
    {
        var log = Path.Combine(_root, $"postgres-{Port}.log");
        var options = string.Join(' ',
            $"-p {Port}",
            $"-k {_root}",
            "-c listen_addresses=127.0.0.1",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=300");
        try
        {
            await RunAsPostgresAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", _dataDirectory, "-l", log, "-w", "-t", "30", "-o", options, "start"]);
        }
        catch (InvalidOperationException ex)
        {
            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no server log)";
            throw new InvalidOperationException(ex.Message + Environment.NewLine + serverLog, ex);
        }
    }

    /// <summary>
    /// Starts a detached watcher that stops the cluster and deletes its directory once this process has exited.
    /// An AppDomain.ProcessExit handler cannot do it: the test platform kills the test host soon after it
    /// starts exiting (VSTEST_TESTHOST_SHUTDOWN_TIMEOUT), before pg_ctl returns; the watcher also covers a killed run.
    /// </summary>
    private void StartExitWatcher()
    {
        const string Script = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1"; do sleep 0.2; done
            if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$2" -D "$3" -m immediate -w stop; else "$2" -D "$3" -m immediate -w stop; fi
            rm -rf "$4"
            """;
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in new[]
                 {
                     "sh", "-c", Script, "casecrm-pg-watcher",
                     Environment.ProcessId.ToString(CultureInfo.InvariantCulture), Path.Combine(BinDirectory, "pg_ctl"), _dataDirectory, _root,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var watcher = Process.Start(start) ?? throw new InvalidOperationException("Could not start the PostgreSQL exit watcher (setsid sh).");
    }

    /// <summary>Stops and deletes what earlier test processes left behind (say, when their watcher was killed too).</summary>
    private static async Task RemoveAbandonedClustersAsync()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var pidText = Path.GetFileName(directory)[DirectoryPrefix.Length..].Split('-')[0];
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid))
            {
                continue;
            }

            var data = Path.Combine(directory, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    await RunAsPostgresAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
                }
                catch (InvalidOperationException)
                {
                    // Not running any more.
                }
            }

            TryDeleteDirectory(directory);
        }
    }

    internal static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Task RunAsPostgresAsync(string program, IReadOnlyList<string> args) =>
        Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", OsUser, "--", program, .. args])
            : RunAsync(program, args);

    private static async Task RunAsync(string program, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not finish within 60 s.");
        }

        var output = (await stdout) + (await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed with exit code {process.ExitCode}:{Environment.NewLine}{output}");
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
