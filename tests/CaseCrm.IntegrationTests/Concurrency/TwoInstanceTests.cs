using System.Diagnostics;
using System.Net;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// Two instances of the app (two Kestrel hosts on loopback ports) over one PostgreSQL database, migrated and seeded by
/// the first to start; the second starts on it as a new instance of a scaled-out deployment does.
/// </summary>
public sealed class TwoInstances : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");

    internal KestrelCrmHost A { get; private set; } = null!;

    internal KestrelCrmHost B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateEmptyAsync(DatabaseProvider.Postgres);
        A = new KestrelCrmHost(DatabaseProvider.Postgres, Database.ConnectionString);
        await Task.Run(A.Start);
        B = new KestrelCrmHost(DatabaseProvider.Postgres, Database.ConnectionString);
        await Task.Run(B.Start);
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>
/// Design "Running it": several instances behind a load balancer share one server database and nothing else — sign-in
/// cookies and form tokens (Data Protection keys in the database), case numbers (the database identity) and attachments
/// (stored in the database). One <see cref="CookieContainer"/> shared by the clients of both instances is one browser
/// behind a load balancer without sticky sessions: each request may land on either instance.
/// </summary>
public sealed class TwoInstanceTests(TwoInstances instances, ITestOutputHelper output) : IClassFixture<TwoInstances>
{
    private static readonly string AgentEmail = DbInitializer.DemoUsers.Single(u => u.Role == Roles.Agent).Email;

    private KestrelCrmHost A => instances.A;

    private KestrelCrmHost B => instances.B;

    [Fact]
    public async Task SignedInOnA_TheCookieAndAFormTokenOfA_WorkOnB()
    {
        var browser = new CookieContainer();
        using var onA = A.CreateBrowser(browser);
        using var onB = B.CreateBrowser(browser);
        await onA.SignInAsAsync(Roles.Agent);
        Assert.NotNull(browser.GetCookies(B.Address)["CaseCrm.Auth"]);

        // B reads A's sign-in cookie: a page for signed-in users answers, no redirect to the sign-in page.
        using (var list = await onB.GetAsync(new Uri("/Cases", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }

        // A form served by A (its antiforgery token and cookie) is accepted by B.
        var (contactId, categoryId) = await ContactAndCategoryAsync();
        var form = await onA.GetFormAsync($"/Contacts/{contactId}/Cases/Create");
        form.Set("Title", "Creado en B con el formulario de A").Set("CategoryId", categoryId).Set("Description", "Token de A, instancia B.");
        using var created = await PostToAsync(onB, form.Action, form.Values);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        await using (var db = instances.Database.NewContext())
        {
            Assert.Equal(1, await db.Cases.CountAsync(c => c.Title == "Creado en B con el formulario de A" && c.ContactId == contactId));
        }

        // Without the token, B refuses the same post: the token really was checked.
        using var forged = await PostToAsync(onB, form.Action, form.Values.Where(v => v.Key != HtmlForm.AntiforgeryField));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // Both instances use the keys stored in the database, and only those.
        var stored = await instances.Database.NewContextQueryAsync(db => db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync());
        Assert.NotEmpty(stored);
        foreach (var host in new[] { A, B })
        {
            var keys = host.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => $"key-{k.KeyId}").ToList();
            Assert.NotEmpty(keys);
            Assert.All(keys, key => Assert.Contains(key, stored));
        }
    }

    [Fact]
    public async Task RestartingAnInstance_KeepsSessionsAndFormTokens()
    {
        var browser = new CookieContainer();
        HtmlForm form;
        var (contactId, categoryId) = await ContactAndCategoryAsync();
        await using (var before = new KestrelCrmHost(DatabaseProvider.Postgres, instances.Database.ConnectionString))
        {
            await Task.Run(before.Start);
            using var client = before.CreateBrowser(browser);
            await client.SignInAsAsync(Roles.Agent);
            form = await client.GetFormAsync($"/Contacts/{contactId}/Cases/Create");
        }

        // The same instance again (new process state, new port): the cookie and the token from before still work.
        await using var after = new KestrelCrmHost(DatabaseProvider.Postgres, instances.Database.ConnectionString);
        await Task.Run(after.Start);
        using var again = after.CreateBrowser(browser);
        using (var list = await again.GetAsync(new Uri("/Cases", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }

        form.Set("Title", "Creado tras reiniciar").Set("CategoryId", categoryId).Set("Description", "Token de antes del reinicio.");
        using var created = await PostToAsync(again, form.Action, form.Values);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(1, await instances.Database.NewContextQueryAsync(db => db.Cases.CountAsync(c => c.Title == "Creado tras reiniciar")));
    }

    [Fact]
    public async Task ConcurrentCreationOnBothInstances_GivesEachCaseItsOwnNumber()
    {
        const int PerInstance = 50;
        var run = Guid.NewGuid().ToString("N")[..6];
        var (contactId, categoryId) = await ContactAndCategoryAsync();
        var browser = new CookieContainer();
        using var onA = A.CreateBrowser(browser);
        using var onB = B.CreateBrowser(browser);
        await onA.SignInAsAsync(Roles.Agent);
        var formA = await onA.GetFormAsync($"/Contacts/{contactId}/Cases/Create");
        var formB = await onB.GetFormAsync($"/Contacts/{contactId}/Cases/Create");

        var stopwatch = Stopwatch.StartNew();
        var statuses = await Task.WhenAll(
            CreateManyAsync(onA, formA, $"Paralelo {run} A", PerInstance, categoryId),
            CreateManyAsync(onB, formB, $"Paralelo {run} B", PerInstance, categoryId));
        stopwatch.Stop();

        Assert.All(statuses.SelectMany(s => s), status => Assert.Equal(HttpStatusCode.Redirect, status));
        await using var db = instances.Database.NewContext();
        var cases = await db.Cases.AsNoTracking().Where(c => c.Title.StartsWith($"Paralelo {run} "))
            .Select(c => new { c.Id, c.Title }).ToListAsync();
        var ids = cases.Select(c => c.Id).ToList();
        var numbersInHistory = await db.CaseHistory.AsNoTracking()
            .Where(h => ids.Contains(h.CaseId) && h.Field == HistoryField.Created)
            .Select(h => new { h.CaseId, h.NewValue }).ToListAsync();
        output.WriteLine($"{2 * PerInstance} cases created through two instances in parallel in {stopwatch.ElapsedMilliseconds} ms: "
            + $"{cases.Count} stored, {ids.Distinct().Count()} distinct numbers"
            + (ids.Count > 0 ? $", {CaseNumber.Format(ids.Min())}…{CaseNumber.Format(ids.Max())}" : string.Empty));

        Assert.Equal(2 * PerInstance, cases.Count);
        Assert.Equal(2 * PerInstance, cases.Select(c => c.Title).Distinct().Count());
        Assert.Equal(cases.Count, ids.Distinct().Count());
        Assert.Equal(cases.Count, numbersInHistory.Count);
        Assert.All(numbersInHistory, h => Assert.Equal(CaseNumber.Format(h.CaseId), h.NewValue));
    }

    [Fact]
    public async Task AttachmentUploadedOnA_DownloadsByteForByteFromB()
    {
        var data = await TestData.CreateAsync(instances.Database, AgentEmail);
        var item = await data.CaseAsync();
        var content = new byte[300 * 1024];
        new Random(7).NextBytes(content);
        "%PDF-1.4\n"u8.CopyTo(content);
        var browser = new CookieContainer();
        using var onA = A.CreateBrowser(browser);
        using var onB = B.CreateBrowser(browser);
        await onA.SignInAsAsync(Roles.Agent);

        var upload = await onA.GetFormAsync($"/Cases/{item.Id}", "#upload-form");
        using (var uploaded = await upload.AttachFile("files", "informe-técnico.pdf", content, "application/pdf").PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        }

        var attachmentId = await instances.Database.NewContextQueryAsync(db =>
            db.CaseAttachments.Where(a => a.CaseId == item.Id).Select(a => a.Id).SingleAsync());
        using var download = await onB.GetAsync(new Uri($"/Cases/{item.Id}/Attachments/{attachmentId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TwoInstancesStartingTogetherOnAFreshDatabase_BothStartAndSeedOnce()
    {
        // A first deployment of two instances: both migrate and seed the same empty database at the same moment.
        await using var database = await TestDatabase.CreateEmptyAsync(DatabaseProvider.Postgres);
        await using var first = new KestrelCrmHost(DatabaseProvider.Postgres, database.ConnectionString);
        await using var second = new KestrelCrmHost(DatabaseProvider.Postgres, database.ConnectionString);
        using var barrier = new Barrier(2);
        var starts = await Task.WhenAll(new[] { first, second }.Select(host => Task.Factory.StartNew(() =>
        {
            barrier.SignalAndWait(TimeSpan.FromSeconds(30));
            try
            {
                host.Start();
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        foreach (var failure in starts.OfType<Exception>())
        {
            output.WriteLine(failure.ToString());
        }

        Assert.All(starts, failure => Assert.Null(failure?.GetBaseException().Message));
        await using var db = database.NewContext();
        Assert.Equal(DbInitializer.SeedCategories.Count, await db.Categories.CountAsync());
        Assert.Equal(Roles.All.Count, await db.Roles.CountAsync());
        Assert.Equal(DbInitializer.DemoUsers.Count, await db.Users.CountAsync(u => u.Id != SystemUsers.MailId));
        Assert.Equal(1, await db.Users.CountAsync(u => u.Id == SystemUsers.MailId));
        Assert.Equal(1, await db.ParentChildSettings.CountAsync());
        Assert.Equal(4, await db.Accounts.CountAsync());

        // Each may have made a Data Protection key at the same moment: a sign-in on one still works on the other.
        var browser = new CookieContainer();
        using var onFirst = first.CreateBrowser(browser);
        using var onSecond = second.CreateBrowser(browser);
        await onFirst.SignInAsAsync(Roles.Agent);
        using var list = await onSecond.GetAsync(new Uri("/Cases", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    private async Task<(int ContactId, int CategoryId)> ContactAndCategoryAsync() =>
        await instances.Database.NewContextQueryAsync(async db => (
            await db.Contacts.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(),
            await db.Categories.Where(c => c.IsActive).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync()));

    /// <summary><paramref name="count"/> cases through one instance, eight requests at a time, with the token of one form.</summary>
    private static async Task<HttpStatusCode[]> CreateManyAsync(HttpClient client, HtmlForm form, string titlePrefix, int count, int categoryId)
    {
        using var gate = new SemaphoreSlim(8);
        return await Task.WhenAll(Enumerable.Range(1, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var values = form.Values
                    .Where(v => v.Key is not ("Title" or "CategoryId" or "Description" or "SubmissionKey"))
                    // Each post is a form of its own: its own one-time key (the same key twice makes one case).
                    .Append(KeyValuePair.Create("SubmissionKey", Guid.NewGuid().ToString()))
                    .Append(KeyValuePair.Create("Title", $"{titlePrefix} {i}"))
                    .Append(KeyValuePair.Create("CategoryId", categoryId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                    .Append(KeyValuePair.Create("Description", "Creado en paralelo."));
                using var response = await PostToAsync(client, form.Action, values);
                return response.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>POSTs form values to the path of <paramref name="action"/> on the instance of <paramref name="client"/>.</summary>
    private static async Task<HttpResponseMessage> PostToAsync(HttpClient client, Uri action, IEnumerable<KeyValuePair<string, string>> values)
    {
        using var content = new FormUrlEncodedContent(values);
        return await client.PostAsync(new Uri(action.PathAndQuery, UriKind.Relative), content);
    }
}

internal static class TestDatabaseQueries
{
    /// <summary>Runs <paramref name="query"/> on a new context of <paramref name="database"/>.</summary>
    public static async Task<T> NewContextQueryAsync<T>(this TestDatabase database, Func<CrmDbContext, Task<T>> query)
    {
        await using var db = database.NewContext();
        return await query(db);
    }
}
