using System.Diagnostics;
using System.Globalization;
using System.Net;
using CaseCrm.Data;
using CaseCrm.IntegrationTests.Concurrency;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>
/// What three parallel uploads of a 10 MB file (the default limit) cost in memory, on the real server (Kestrel on loopback:
/// TestServer's in-memory pipe would hold whole request bodies itself). The app runs in the test's process, so the figures
/// are the process's: managed bytes allocated while the uploads run (the client's files were allocated before) and the
/// working set. The form keeps files over 64 KB in temporary files, and the service streams each file into the database in
/// pieces (docs/security.md, "Outside scan, round two", 1), so what is allocated does not grow with the files. Alone in its
/// collection, which runs after the parallel ones, so that no other test's allocations count.
/// </summary>
[Collection(nameof(UploadMemoryTests))]
public sealed class UploadMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int FileBytes = 10 * 1024 * 1024;
    private const int Uploads = 3;
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateEmptyAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task ThreeParallelUploadsOf10MB_AllocateFarLessThanTheFiles()
    {
        await using var host = new KestrelCrmHost(DatabaseProvider.Sqlite, _database.ConnectionString);
        await Task.Run(host.Start);
        List<int> caseIds;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            caseIds = await scope.ServiceProvider.GetRequiredService<CrmDbContext>().Cases.OrderBy(c => c.Id).Select(c => c.Id).Take(Uploads).ToListAsync();
        }

        var supervisor = DbInitializer.DemoUsers.First(u => u.Role == "Supervisor");
        var forms = new List<HtmlForm>();
        var browsers = new List<HttpClient>();
        foreach (var caseId in caseIds)
        {
            var browser = host.CreateBrowser(new CookieContainer());
            browsers.Add(browser);
            (await (await browser.GetFormAsync("/Account/Login")).Set("Email", supervisor.Email).Set("Password", supervisor.Password).PostAsync()).Dispose();
            var content = new byte[FileBytes];
            Random.Shared.NextBytes(content);
            "%PDF-1.7\n"u8.CopyTo(content);
            forms.Add((await browser.GetFormAsync($"/Cases/{caseId}", "#upload-form")).AttachFile("files", "grande.pdf", content, "application/pdf"));
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var workingSetBefore = process.WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var responses = await Task.WhenAll(forms.Select(f => f.PostAsync()));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        var workingSetAfter = process.WorkingSet64;
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            response.Dispose();
        }

        browsers.ForEach(b => b.Dispose());
        await using (var scope = host.Services.CreateAsyncScope())
        {
            Assert.Equal(Uploads, await scope.ServiceProvider.GetRequiredService<CrmDbContext>().CaseAttachments
                .CountAsync(a => caseIds.Contains(a.CaseId) && a.Size == FileBytes));
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"allocated during the uploads: {allocated / 1024d / 1024d:0.0} MB; working set {workingSetBefore / 1024d / 1024d:0} MB -> {workingSetAfter / 1024d / 1024d:0} MB; peak {process.PeakWorkingSet64 / 1024d / 1024d:0} MB"));
        // Measured: 103.5 MB before issue 14 (a MemoryStream and its ToArray copy of each file), 63.5 MB with one array of
        // each file, 6.4 MB streamed (buffers of the server, the form reader and the client, none of a file's size); the
        // bound, a third of the files' 30 MB, fails as soon as one file is held whole.
        Assert.InRange(allocated, 0, Uploads * FileBytes / 3);
    }
}

[CollectionDefinition(nameof(UploadMemoryTests), DisableParallelization = true)]
public sealed class UploadMemoryCollection;
