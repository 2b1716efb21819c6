using System.Globalization;
using CaseCrm.BrowserTests.Infrastructure;
using CaseCrm.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Reports;

/// <summary>Informes, from the supervisor's menu: the period chosen in the form, the charts drawn beside their tables, a CSV downloaded.</summary>
public sealed class ReportTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Supervisor_ReadsTheReport_SeesItsChartsAndTables_AndDownloadsTheCsv() => RunAsync(async () =>
    {
        var tag = TestData.NewTag();
        var contact = await Fixture.CreateContactAsync("Informe", "Cliente " + tag);
        var item = await Fixture.CreateCaseAsync(contact, "Caso del informe " + tag);
        var now = DateTime.UtcNow;
        await using (var scope = Fixture.Services.CreateAsyncScope())
        {
            // The clock's outcome, set on the tracked case (its save keeps the reports' summary): answered in 20 working
            // minutes of 60, resolved in 1 hour of 8.
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var entry = db.Entry(await db.Cases.SingleAsync(c => c.Id == item.Id));
            entry.Property(c => c.FirstRespondedAt).CurrentValue = now.AddHours(-2);
            entry.Property(c => c.FirstResponseSeconds).CurrentValue = 1200;
            entry.Property(c => c.FirstResponseTargetMinutes).CurrentValue = 60;
            entry.Property(c => c.ResolvedAt).CurrentValue = now.AddHours(-1);
            entry.Property(c => c.ResolutionSeconds).CurrentValue = 3600;
            entry.Property(c => c.ResolutionTargetMinutes).CurrentValue = 480;
            await db.SaveChangesAsync();
        }

        await SignInAsync(DemoUsers.Supervisor);
        await Page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Informes", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Informes de nivel de servicio");

        var today = DateOnly.FromDateTime(now);
        await Page.GetByLabel("Desde").FillAsync(today.AddDays(-40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Page.GetByLabel("Hasta").FillAsync(today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Page.GetByLabel("Agrupar por").SelectOptionAsync("Month");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Ver informe" }).ClickAsync();

        foreach (var section in new[] { "Primera respuesta", "Resolución" })
        {
            var region = Page.GetByRole(AriaRole.Region, new() { Name = section, Exact = true });
            await Expect(region.GetByRole(AriaRole.Table)).ToBeVisibleAsync();
            var canvas = region.Locator("canvas");
            await Expect(canvas).ToBeVisibleAsync();
            // Chart.js has drawn: the canvas has a size and pixels that are not all transparent.
            Assert.True(await canvas.EvaluateAsync<bool>(
                "c => c.width > 0 && c.height > 0 && c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v !== 0)"));
        }

        await SaveDocsScreenshotAsync("report.png", fullPage: true);

        var download = await Page.RunAndWaitForDownloadAsync(() =>
            Page.GetByRole(AriaRole.Region, new() { Name = "Resolución", Exact = true }).GetByRole(AriaRole.Link, new() { Name = "Exportar CSV" }).ClickAsync());
        Assert.StartsWith("resolucion-", download.SuggestedFilename, StringComparison.Ordinal);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.StartsWith("Mes;Casos;Con objetivo;Cumplidos;% cumplido;", System.Text.Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
    });
}
