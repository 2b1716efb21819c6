using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>
/// Base of the browser tests: a fresh browser context (own cookies) and page per test, the real sign-in form,
/// a screenshot of the page when a test fails, and the README's screenshots.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<string> _failedResponses = [];
    private IBrowserContext? _context;
    private IPage? _page;

    protected BrowserFixture Fixture { get; } = fixture;

    protected ITestOutputHelper Output { get; } = output;

    protected IBrowserContext Context => _context ?? throw new InvalidOperationException("No browser context yet.");

    protected IPage Page => _page ?? throw new InvalidOperationException("No page yet.");

    /// <summary>Where a failing test leaves its screenshot: under the test output directory.</summary>
    protected static string FailureDirectory => Path.Combine(AppContext.BaseDirectory, "browser-failures");

    public async Task InitializeAsync()
    {
        _context = await Fixture.NewContextAsync();
        _page = await _context.NewPageAsync();
        // What the server refused, for the failure report (the browser's own error page says little).
        _page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                lock (_failedResponses)
                {
                    _failedResponses.Add($"{response.Request.Method} {response.Url} → {response.Status}");
                }
            }
        };
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }
    }

    /// <summary>Signs in through the real sign-in form and waits for the signed-in layout (the left menu, or its button).</summary>
    protected static async Task SignInAsync(IPage page, string email, string password, bool menuVisible = true)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Correo electrónico", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Contraseña", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Iniciar sesión" }).ClickAsync();
        // On a phone the menu is folded behind its button.
        await Assertions.Expect(menuVisible
            ? page.GetByRole(AriaRole.Navigation, new() { Name = "Menú" })
            : page.GetByRole(AriaRole.Button, new() { Name = "Abrir el menú" })).ToBeVisibleAsync();
    }

    protected Task SignInAsync(DemoUser user) => SignInAsync(Page, user.Email, user.Password);

    /// <summary>
    /// Runs the test's steps; when they fail, saves a full-page screenshot (and the URL) under
    /// <see cref="FailureDirectory"/> before the failure is reported.
    /// </summary>
    protected async Task RunAsync(Func<Task> steps, [CallerMemberName] string testName = "")
    {
        try
        {
            await steps();
        }
        catch (Exception) when (_page is not null)
        {
            await SaveFailureScreenshotAsync(testName);
            throw;
        }
    }

    /// <summary>
    /// Saves the page as docs/images/<paramref name="fileName"/> for the README: the 1280x800 viewport, or with
    /// <paramref name="fullPage"/> the whole page at that width.
    /// </summary>
    protected async Task SaveDocsScreenshotAsync(string fileName, bool fullPage = false)
    {
        Directory.CreateDirectory(RepoPaths.DocsImages);
        var path = Path.Combine(RepoPaths.DocsImages, fileName);
        // No caret blinking or hover transitions in the picture.
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        Output.WriteLine($"README screenshot: {path}");
    }

    private async Task SaveFailureScreenshotAsync(string testName)
    {
        lock (_failedResponses)
        {
            foreach (var line in _failedResponses)
            {
                Output.WriteLine($"Server answered: {line}");
            }
        }

        try
        {
            Directory.CreateDirectory(FailureDirectory);
            var path = Path.Combine(FailureDirectory, $"{GetType().Name}.{testName}.png");
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 5_000 });
            Output.WriteLine($"Failed at {Page.Url}; screenshot: {path}");
        }
#pragma warning disable CA1031 // The screenshot is a courtesy: its own failure must not hide the test's.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Output.WriteLine($"Failed at {Page.Url}; no screenshot: {ex.Message}");
        }
    }
}
