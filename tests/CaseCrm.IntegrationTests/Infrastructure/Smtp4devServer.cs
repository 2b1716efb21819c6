using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CaseCrm.IntegrationTests.Infrastructure;

/// <summary>
/// A real mail server for the email tests: smtp4dev (the dotnet tool pinned in dotnet-tools.json, restored by
/// <c>dotnet tool restore</c>), started on free loopback ports with SMTP, IMAP (plain, any user and password, every
/// message in INBOX) and its HTTP API. One per test class (a class fixture); stopped with the class. It fails loudly when
/// the tool is not restored or does not answer, never skips.
/// </summary>
public sealed class Smtp4devServer : IAsyncLifetime, IDisposable
{
    private const string Version = "3.15.0";
    private Process? _process;
    private string? _home;
    private readonly HttpClient _http = new();

    public int SmtpPort { get; private set; }
    public int ImapPort { get; private set; }
    public int WebPort { get; private set; }

    public async Task InitializeAsync()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var binary = Path.Combine(packages, "rnwood.smtp4dev.linux-x64", Version, "tools", "net10.0", "linux-x64", "Rnwood.Smtp4dev");
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"smtp4dev {Version} is not restored at {binary}: run `dotnet tool restore` (scripts/test.sh does).");
        }

        (SmtpPort, ImapPort, WebPort) = (FreePort(), FreePort(), FreePort());
        _home = Directory.CreateTempSubdirectory("casecrm-smtp4dev-").FullName;
        _binary = binary;
        _http.BaseAddress = new Uri($"http://127.0.0.1:{WebPort}/");
        _http.Timeout = TimeSpan.FromSeconds(5);
        await StartAsync();
    }

    private string? _binary;

    /// <summary>
    /// Stops the server (its SMTP port refuses connections), runs <paramref name="whileDown"/>, and starts it again on the
    /// same ports: the mail server of the "SMTP down, then up" test. The messages it held are gone (it keeps them in memory).
    /// </summary>
    public async Task RestartAsync(Func<Task> whileDown)
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
        await whileDown();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        var binary = _binary!;
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            ArgumentList =
            {
                "--nousersettings", $"--baseappdatapath={_home}", $"--urls=http://127.0.0.1:{WebPort}", $"--smtpport={SmtpPort}",
                $"--imapport={ImapPort}", "--pop3port=", "--bindaddress=127.0.0.1", "--allowremoteconnections-", "--disableipv6", "--db=",
                "--hostname=localhost",
            },
        };
        start.Environment["HOME"] = _home;
        _process = Process.Start(start) ?? throw new InvalidOperationException("smtp4dev did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync("api/messages");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"smtp4dev did not answer on port {WebPort} within 60 s (exited: {_process.HasExited}).");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Sends a message into the server, as a customer's mail client would.</summary>
    public async Task SendAsync(MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", SmtpPort, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    /// <summary>Empties the server, so that a test reads only what it sent.</summary>
    public async Task ClearAsync()
    {
        using var response = await _http.DeleteAsync("api/messages/*");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Every message the server holds, parsed from its raw source (what the app sent, as a mail client gets it).</summary>
    public async Task<IReadOnlyList<MimeMessage>> MessagesAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/messages?pageSize=1000"));
        var messages = new List<MimeMessage>();
        foreach (var row in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            await using var raw = await _http.GetStreamAsync($"api/messages/{row.GetProperty("id").GetString()}/raw");
            using var copy = new MemoryStream();
            await raw.CopyToAsync(copy);
            copy.Position = 0;
            messages.Add(await MimeMessage.LoadAsync(copy));
        }

        return messages;
    }

    /// <summary>How many messages the server holds.</summary>
    public async Task<int> CountAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/messages?pageSize=1"));
        return doc.RootElement.GetProperty("rowCount").GetInt32();
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _http.Dispose();
        if (_home is not null)
        {
            try
            {
                Directory.Delete(_home, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    public void Dispose()
    {
        _process?.Dispose();
        _http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
