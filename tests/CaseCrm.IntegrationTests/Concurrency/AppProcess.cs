using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using CaseCrm.Data;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// The real app as a child process — <c>dotnet src/CaseCrm.Web/bin/&lt;Configuration&gt;/net10.0/CaseCrm.Web.dll</c>, the
/// build of the same configuration as these tests — configured only by environment variables, as it is deployed:
/// <c>ASPNETCORE_URLS</c> (port 0: the app prints the port it got), <c>Database__Provider</c>,
/// <c>ConnectionStrings__Default</c>, <c>ASPNETCORE_ENVIRONMENT=Development</c> and <c>Seed__Demo=true</c>.
/// <see cref="Kill"/> is <c>kill -9</c>: no shutdown, no flush, no rollback by the app.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "CaseCrm listening on ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private AppProcess(Process process, Uri address, ConcurrentQueue<string> output)
    {
        _process = process;
        Address = address;
        _output = output;
    }

    /// <summary>Where the app listens, such as http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    public int Id => _process.Id;

    /// <summary>The build of the web app that matches the tests' configuration (Debug or Release).</summary>
    public static string WebDll
    {
        get
        {
            var configuration = typeof(AppProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "CaseCrm.sln")))
            {
                root = root.Parent;
            }

            if (root is null)
            {
                throw new InvalidOperationException($"No CaseCrm.sln above {AppContext.BaseDirectory}.");
            }

            var dll = Path.Combine(root.FullName, "src", "CaseCrm.Web", "bin", configuration, "net10.0", "CaseCrm.Web.dll");
            return File.Exists(dll)
                ? dll
                : throw new InvalidOperationException($"{dll} is missing: build src/CaseCrm.Web in {configuration} (building the tests does).");
        }
    }

    /// <summary>Starts the app over <paramref name="connectionString"/> and waits until it answers /health.</summary>
    public static async Task<AppProcess> StartAsync(DatabaseProvider provider, string connectionString, CancellationToken ct = default)
    {
        var dll = WebDll;
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__Default"] = connectionString;
        start.Environment["Seed__Demo"] = "true";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        // Every client signs in from the loopback address.
        start.Environment["SignIn__PermitLimit"] = "100000";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            while (output.Count > 200 && output.TryDequeue(out _))
            {
            }

            if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
            {
                listening.TrySetResult(new Uri(line[ListeningPrefix.Length..].Trim().TrimEnd('/') + "/"));
            }
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The app exited during start."));
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start dotnet.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(StartTimeout);
            var app = new AppProcess(process, await listening.Task.WaitAsync(timeout.Token), output);
            StartOrphanWatcher(process.Id);
            await app.WaitHealthyAsync(timeout.Token);
            return app;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or HttpRequestException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }

            process.Dispose();
            throw new InvalidOperationException(
                $"The app did not start ({ex.Message}). Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}", ex);
        }
    }

    /// <summary>A browser tab on this app (redirects shown, not followed) with the given cookies.</summary>
    public HttpClient CreateBrowser(CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies }, disposeHandler: true)
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary><c>kill -9</c>: SIGKILL, then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>The app's last lines of output (at most 200), for a failure message.</summary>
    public string LastOutput => string.Join(Environment.NewLine, _output);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    /// <summary>
    /// A detached watcher that kills the app if this test process dies first (a killed or crashed test run), so that no app
    /// is left listening; it ends by itself when the app ends.
    /// </summary>
    private static void StartOrphanWatcher(int appPid)
    {
        const string Script = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1" && kill -0 "$2"; do sleep 0.5; done
            if kill -0 "$2"; then kill -9 "$2"; fi
            """;
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in new[]
                 {
                     "sh", "-c", Script, "casecrm-app-watcher",
                     Environment.ProcessId.ToString(CultureInfo.InvariantCulture), appPid.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var watcher = Process.Start(start);
    }

    private async Task WaitHealthyAsync(CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode}.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("health", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, ct);
        }
    }
}
