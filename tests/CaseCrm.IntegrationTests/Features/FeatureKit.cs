using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseCrm.IntegrationTests.Features;

/// <summary>What a test must find unchanged after a refused request: every case's columns and every table's row count.</summary>
public sealed record DbSnapshot(IReadOnlyList<CaseRow> Cases, IReadOnlyDictionary<string, long> RowCounts);

/// <summary>
/// Small helpers shared by the feature tests: signed-in clients, test data made by the demo agent, snapshots of the
/// database before and after a refused request, and reading what a page shows (flash message, errors, rows).
/// </summary>
public static class FeatureKit
{
    public static readonly DemoUser Agent = DbInitializer.DemoUsers.Single(u => u.Role == Roles.Agent);
    public static readonly DemoUser Supervisor = DbInitializer.DemoUsers.Single(u => u.Role == Roles.Supervisor);
    public static readonly DemoUser Administrator = DbInitializer.DemoUsers.Single(u => u.Role == Roles.Administrator);

    private static readonly Uri Localhost = new("http://localhost/");

    // Each role signs in once per app through the real login form; every test then gets a fresh client (its own
    // cookie jar: antiforgery and TempData cookies never leak between tests) carrying that sign-in's cookie.
    private static readonly ConditionalWeakTable<CrmWebFactory, ConcurrentDictionary<string, Lazy<Task<Cookie[]>>>> SignIns = new();

    /// <summary>A browser-like client (cookies kept, redirects not followed) signed in as the demo user of <paramref name="role"/>.</summary>
    public static async Task<HttpClient> ClientAsync(this CrmWebFactory factory, string role)
    {
        var cache = SignIns.GetOrCreateValue(factory);
        var cookies = await cache.GetOrAdd(role, r => new Lazy<Task<Cookie[]>>(() => SignInCookiesAsync(factory, r))).Value;
        var jar = new CookieContainer();
        foreach (var cookie in cookies)
        {
            jar.Add(Localhost, new Cookie(cookie.Name, cookie.Value, cookie.Path));
        }

        return factory.CreateDefaultClient(new CookieContainerHandler(jar));
    }

    private static async Task<Cookie[]> SignInCookiesAsync(CrmWebFactory factory, string role)
    {
        var jar = new CookieContainer();
        using var client = factory.CreateDefaultClient(new CookieContainerHandler(jar));
        await client.SignInAsAsync(role);
        return jar.GetCookies(Localhost).Where(c => c.Name.StartsWith("CaseCrm.Auth", StringComparison.Ordinal)).ToArray();
    }

    /// <summary>New default rows (category, account, contact of that account) whose cases the demo agent creates.</summary>
    public static Task<FeatureData> NewDataAsync(this CrmWebFactory factory) => FeatureData.CreateAsync(factory.Database);

    public static Task<string> UserIdAsync(this CrmWebFactory factory, DemoUser user) =>
        factory.InDbAsync(db => db.Users.Where(u => u.Email == user.Email).Select(u => u.Id).SingleAsync());

    /// <summary>Another user of <paramref name="role"/>, made through Identity as an administrator would (no password: it never signs in).</summary>
    public static async Task<AppUser> NewUserAsync(this CrmWebFactory factory, string role, bool active = true)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"otro-{Guid.NewGuid():N}@casecrm.test";
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Otra Persona " + Token(), IsActive = active };
        Check(await users.CreateAsync(user));
        Check(await users.AddToRoleAsync(user, role));
        return user;

        static void Check(IdentityResult result)
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        }
    }

    /// <summary>A new user of <paramref name="role"/> with a password, signed in on a client of their own.</summary>
    public static async Task<(AppUser User, HttpClient Client)> NewSignedInUserAsync(this CrmWebFactory factory, string role)
    {
        const string Password = "clave-de-prueba-2026";
        var email = $"propio-{Guid.NewGuid():N}@casecrm.test";
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var created = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Persona " + Token() };
            if (!(await users.CreateAsync(created, Password)).Succeeded || !(await users.AddToRoleAsync(created, role)).Succeeded)
            {
                throw new InvalidOperationException($"Could not create {email}.");
            }
        }

        var client = factory.CreateDefaultClient(new CookieContainerHandler(new CookieContainer()));
        using var signedIn = await client.SignInAsync(email, Password);
        if (signedIn.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"{email} could not sign in: {signedIn.StatusCode}.");
        }

        var user = await factory.InDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        return (user, client);
    }

    /// <summary>Puts the parent/child settings back to the defaults (then applies <paramref name="change"/>), as a fresh install has them.</summary>
    public static Task<ParentChildSettings> SettingsAsync(this CrmWebFactory factory, Action<ParentChildSettings>? change = null) =>
        factory.InDbAsync(async db =>
        {
            var settings = await db.ParentChildSettings.SingleAsync(s => s.Id == ParentChildSettings.SingletonId);
            settings.InheritedFields = InheritedFields.Default;
            settings.ClosurePreference = ClosurePreference.BlockWhileChildrenActive;
            settings.MaxChildren = ParentChildSettings.DefaultMaxChildren;
            settings.LookupsIncludeChildren = false;
            change?.Invoke(settings);
            settings.Version++;
            await db.SaveChangesAsync();
            return settings;
        });

    public static Task<ParentChildSettings> StoredSettingsAsync(this CrmWebFactory factory) =>
        factory.InDbAsync(db => db.ParentChildSettings.AsNoTracking().SingleAsync(s => s.Id == ParentChildSettings.SingletonId));

    public static async Task<DbSnapshot> SnapshotAsync(this CrmWebFactory factory) =>
        new(await factory.Database.CaseRowsAsync(), await factory.Database.RowCountsAsync());

    /// <summary>Fails unless every case and every table's row count are as in <paramref name="before"/>.</summary>
    public static async Task AssertUnchangedAsync(this CrmWebFactory factory, DbSnapshot before)
    {
        var after = await factory.SnapshotAsync();
        Assert.Equal(before.Cases, after.Cases);
        Assert.Equal(before.RowCounts, after.RowCounts);
    }

    public static Task<List<CaseHistoryEntry>> HistoryAsync(this CrmWebFactory factory, int caseId) =>
        factory.InDbAsync(db => db.CaseHistory.AsNoTracking().Where(h => h.CaseId == caseId).OrderBy(h => h.Id).ToListAsync());

    public static Task<Case> CaseAsync(this CrmWebFactory factory, int id) => factory.Database.FindCaseAsync(id);

    /// <summary>Closes a case directly through the case service (no parent/child involved).</summary>
    public static Task ResolveAsync(this CrmWebFactory factory, int caseId, string userId) =>
        factory.Database.NewCaseService().ResolveAsync(caseId, "Resuelto en la prueba.", userId);

    /// <summary>A short word no other row contains, for searches that must find only this test's rows.</summary>
    public static string Token() => "zq" + Guid.NewGuid().ToString("N")[..10];

    public static string Number(int id) => CaseNumber.Format(id);

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    // ---- Responses and pages

    /// <summary>Where a redirect points, as the app wrote it (a local path and query).</summary>
    public static string RedirectTarget(this HttpResponseMessage response)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found,
            $"Expected a redirect, got {(int)response.StatusCode} {response.StatusCode}.");
        return response.Headers.Location?.OriginalString ?? throw new InvalidOperationException("The redirect has no Location.");
    }

    /// <summary>Follows a redirect and parses the page it leads to; fails unless that page answers 200.</summary>
    public static async Task<IHtmlDocument> FollowAsync(this HttpClient client, HttpResponseMessage redirect)
    {
        using var next = await client.FollowRedirectAsync(redirect);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        return await next.ReadHtmlAsync();
    }

    /// <summary>Parses a page that must answer 200 (for instance a form shown again with its errors).</summary>
    public static async Task<IHtmlDocument> PageAsync(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadHtmlAsync();
    }

    public static async Task<HttpStatusCode> StatusOfGetAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary>The TempData message the layout shows after a successful post.</summary>
    public static string? Flash(this IHtmlDocument page) => page.QuerySelector("#flash-message")?.TextContent.Trim();

    /// <summary>Every error alert of the page (rule refusals, the validation summary), as one text.</summary>
    public static string Alerts(this IHtmlDocument page) =>
        string.Join(" | ", page.QuerySelectorAll(".alert-error").Select(e => Squash(e.TextContent)).Where(t => t.Length > 0));

    /// <summary>The ids of the rows of a list that carry a <c>data-{attribute}</c> id, in page order.</summary>
    public static List<int> RowIds(this IHtmlDocument page, string selector, string attribute) =>
        page.QuerySelectorAll(selector)
            .Select(e => e.GetAttribute(attribute))
            .OfType<string>()
            .Select(v => int.Parse(v, CultureInfo.InvariantCulture))
            .ToList();

    public static string Text(this IHtmlDocument page, string selector) =>
        Squash(page.QuerySelector(selector)?.TextContent ?? throw new InvalidOperationException($"The page has no '{selector}'."));

    public static string Squashed(this IElement element) => Squash(element.TextContent);

    /// <summary>Text with runs of white space made single spaces.</summary>
    public static string Squash(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static IEnumerable<KeyValuePair<string, string>> Fields(params (string Name, object? Value)[] values) =>
        values.Select(v => KeyValuePair.Create(v.Name, v.Value switch
        {
            null => string.Empty,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.Value.ToString() ?? string.Empty,
        }));
}
