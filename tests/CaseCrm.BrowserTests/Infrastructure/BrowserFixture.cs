using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Xunit;

namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>
/// One app (on a fresh SQLite file) and one headless Chromium for the whole "Browser" collection. Tests share the
/// data, so each test works on a demo contact of its own; each test gets its own browser context (fresh cookies).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium. Playwright's own browser download is never used (no `playwright install`).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The default time, in milliseconds, for Playwright actions, navigations and Expect(...) assertions.</summary>
    public const float DefaultTimeout = 10_000;

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"casecrm-browser-{Guid.NewGuid():N}.db");
    private CrmApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseUrl { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started yet.");

    /// <summary>The app's services, for tests that prepare their own data (see <see cref="TestData"/>).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The app is not started yet.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ChromiumPath}, which is missing. Install it with " +
                "`apt-get install chromium` (as root; scripts/test.sh does it). Do not run `playwright install`.");
        }

        Assertions.SetDefaultExpectTimeout(DefaultTimeout);
        _app = new CrmApp(_databaseFile);
        BaseUrl = await Task.Run(_app.Start);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 30_000,
        });
    }

    /// <summary>A new context (fresh cookies) with the README's 1280x800 viewport, and a page in it.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "es-ES",
            TimezoneId = "Europe/Madrid",
        });
        context.SetDefaultTimeout(DefaultTimeout);
        context.SetDefaultNavigationTimeout(DefaultTimeout);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
        {
            File.Delete(file);
        }
    }
}

/// <summary>
/// The browser tests share one app and one Chromium, and run one after the other; tests that change settings have
/// their own (<see cref="SettingsCollection"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
