using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Exports;

/// <summary>
/// "Exportar CSV" on SQLite and PostgreSQL: each list's link downloads UTF-8 with a byte order mark, ";"-separated, with the
/// list's filters and sort, the columns it shows plus the ids, times as the page shows them, and formulas neutralised.
/// </summary>
public abstract class ExportTests(CrmWebFactory factory)
{
    [Fact]
    public async Task TheCaseList_ExportsItsFiltersAndSort_WithIdsColumnsAndPageDates_AndFormulasNeutralised()
    {
        var data = await factory.NewDataAsync();
        var formula = await data.CaseAsync(fields: data.Fields(title: "=HYPERLINK(\"http://malo\")", priority: CasePriority.High));
        var plain = await data.CaseAsync(fields: data.Fields(title: "Impresora " + Token(), priority: CasePriority.High));
        var minus = await data.CaseAsync(fields: data.Fields(title: "-2+3", priority: CasePriority.High));
        await data.CaseAsync(fields: data.Fields(title: "Otra prioridad", priority: CasePriority.Low));
        var client = await factory.ClientAsync(Roles.Agent);
        var list = await client.GetDocumentAsync($"/Cases?view=all&categoryId={data.Category.Id}&priority=High&sort=number&dir=asc");

        var (bytes, rows) = await DownloadAsync(client, list);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.StartsWith("Id;Número;Título;Id contacto;Contacto;Categoría;Prioridad;Estado;", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
        Assert.Equal([formula.Id, plain.Id, minus.Id], rows.Skip(1).Select(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)));
        var first = rows[1];
        Assert.Equal(Number(formula.Id), first[1]);
        Assert.Equal("'=HYPERLINK(\"http://malo\")", first[2]);
        Assert.Equal("'-2+3", rows[3][2]);
        Assert.Equal(Invariant(data.Contact.Id), first[3]);
        Assert.Equal(data.Contact.FullName, first[4]);
        Assert.Equal(data.Category.Name, first[5]);
        Assert.Equal("Alta", first[6]);
        Assert.Equal("Nuevo", first[7]);
        // "Última modificación" exactly as the list shows it (the user's zone and culture).
        var shown = list.QuerySelector($"tr[data-case-id='{formula.Id}'] td:last-child")!.TextContent.Trim();
        Assert.Equal(shown, first[11]);
        Assert.Equal(string.Empty, first[12]);
    }

    [Fact]
    public async Task TheCaseExport_OfMine_HasOnlyTheUsersCases_AndTheSortDescending()
    {
        var data = await factory.NewDataAsync();
        var (user, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var mine = await data.CaseAsync();
        var mine2 = await data.CaseAsync();
        await data.CaseAsync();
        await factory.InDbAsync(db => db.Cases.Where(c => c.Id == mine.Id || c.Id == mine2.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssignedToId, user.Id)));
        var list = await client.GetDocumentAsync("/Cases?view=mine&sort=number&dir=desc");

        var (_, rows) = await DownloadAsync(client, list);

        Assert.Equal([Invariant(mine2.Id), Invariant(mine.Id)], rows.Skip(1).Select(r => r[0]));
    }

    [Fact]
    public async Task TheContactAndAccountLists_ExportTheirSearch_WithTheIds()
    {
        var data = await factory.NewDataAsync();
        var word = Token();
        var account = await data.AccountAsync("Cuenta " + word);
        var contact = await data.ContactAsync(account, "Ana", "@Pérez " + word);
        await data.ContactAsync(null, "Otra", "Persona " + Token());
        var client = await factory.ClientAsync(Roles.Agent);

        var (_, contacts) = await DownloadAsync(client, await client.GetDocumentAsync($"/Contacts?q={word}&sort=name"));
        Assert.Equal(["Id", "Apellidos, Nombre", "Correo electrónico", "Teléfono", "Id cuenta", "Cuenta"], contacts[0]);
        Assert.Equal(2, contacts.Count);
        Assert.Equal(Invariant(contact.Id), contacts[1][0]);
        Assert.Equal($"'@Pérez {word}, Ana", contacts[1][1]);
        Assert.Equal(Invariant(account.Id), contacts[1][4]);
        Assert.Equal(account.Name, contacts[1][5]);

        var (_, accounts) = await DownloadAsync(client, await client.GetDocumentAsync($"/Accounts?q={word}"));
        Assert.Equal(2, accounts.Count);
        Assert.Equal([Invariant(account.Id), account.Name], accounts[1][..2]);
    }

    [Fact]
    public async Task TheActivityList_ExportsItsView_AndAnAgentCannotExportAnothersActivities()
    {
        var (agent, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var data = await factory.NewDataAsync();
        var now = DateTime.UtcNow;
        var service = factory.Database.NewActivityService();
        ActivityFields Task(string subject, DateTime? due) => new(subject, null, ActivityPriority.High, agent.Id, new Regarding(RegardingType.Contact, data.Contact.Id), DueAt: due);
        var overdue = await service.CreateAsync(ActivityType.Task, Task("+Atrasada " + Token(), now.AddDays(-2)), agent.Id);
        await factory.Database.NewActivityService().CreateAsync(ActivityType.Task, Task("Futura " + Token(), now.AddDays(3)), agent.Id);
        var list = await client.GetDocumentAsync("/Activities?view=Overdue");

        var (_, rows) = await DownloadAsync(client, list);

        Assert.Equal(2, rows.Count);
        Assert.Equal(Invariant(overdue.Id), rows[1][0]);
        Assert.Equal("Tarea", rows[1][1]);
        Assert.Equal("'" + overdue.Subject, rows[1][2]);
        Assert.Equal(data.Contact.FullName, rows[1][3]);
        Assert.Equal(Invariant(data.Contact.Id), rows[1][5]);
        Assert.Equal(list.QuerySelector("#activities tbody tr td:nth-child(4)")!.TextContent.Trim(), rows[1][7]);
        Assert.Equal("Alta", rows[1][8]);

        // Another agent naming this owner gets their own (empty) list, as on the page.
        var other = await factory.ClientAsync(Roles.Agent);
        using var response = await other.GetAsync(new Uri($"/Activities/Export?view=Overdue&owner={agent.Id}", UriKind.Relative));
        Assert.DoesNotContain(overdue.Subject, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExport_IsRefusedToAnonymousVisitors()
    {
        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await anonymous.GetAsync(new Uri("/Cases/Export", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Follows the page's "Exportar CSV" link; the file's bytes and its records (header first).</summary>
    private static async Task<(byte[] Bytes, List<string[]> Rows)> DownloadAsync(HttpClient client, IHtmlDocument list)
    {
        var href = list.QuerySelector("#export-csv")?.GetAttribute("href") ?? throw new InvalidOperationException("The list has no export link.");
        using var response = await client.GetAsync(new Uri(href, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var csv = CsvReader.Create(bytes, CsvReaderOptions.Default with { Separator = ';', HasHeader = false });
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add(csv.Current.ToArray());
        }

        return (bytes, rows);
    }

    public sealed class Sqlite(SqliteWebFactory factory) : ExportTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ExportTests(factory), IClassFixture<PostgresWebFactory>;
}
