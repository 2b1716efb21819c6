using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Contacts;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Import;

/// <summary>
/// Configuración → Importar on SQLite and PostgreSQL, through the real forms: upload, the preview with its guessed
/// mapping, the result with every refused row by line and reason; all or nothing, only the valid rows, duplicates
/// skipped or updated, Windows-1252 and comma-separated files, accounts by tax id or name.
/// </summary>
public abstract class ImportTests(CrmWebFactory factory)
{
    static ImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public async Task ValidOnly_ImportsTheGoodRows_WithTheirSearchTerms_AndListsEveryRefusedLineWithItsReason()
    {
        var data = await factory.NewDataAsync();
        var word = Token();
        var file = $"""
            Nombre;Apellidos;Correo;Teléfono;Cuenta
            Ana;Ruiz {word};ana.{word}@example.com;+34 911 222 333;{data.Account.Name}
            Luis;Gómez {word};no-es-un-correo;;
            ;;sin.nombre.{word}@example.com;;
            Eva;Sanz {word};eva.{word}@example.com;;Cuenta que no existe {word}
            Ana;Repetida {word};ana.{word}@example.com;;
            Marta;López {word};;;
            """;
        var client = await factory.ClientAsync(Roles.Administrator);

        // A NUL inside a value (PostgreSQL refuses it in text) is dropped, as a form's text is cleaned.
        var map = await UploadAsync(client, "Contacts", "contactos.csv", Encoding.UTF8.GetBytes(file.Replace("Marta;", "Mar\0ta;", StringComparison.Ordinal)));
        Assert.Equal("0", Selected(map, "FirstName"));
        Assert.Equal("1", Selected(map, "LastName"));
        Assert.Equal("2", Selected(map, "Email"));
        Assert.Equal("3", Selected(map, "Phone"));
        Assert.Equal("4", Selected(map, "Account"));
        Assert.Equal(5, map.QuerySelectorAll("#import-preview tbody tr").Length);
        var result = await RunAsync(client, map, "Skip", "ValidOnly");

        Assert.Equal(("2", "0", "0", "4"), Counts(result));
        Assert.Equal(
            [
                ("3", "Correo electrónico: El correo electrónico no es válido."),
                ("4", "Apellidos: Escriba el nombre o los apellidos."),
                ("5", $"Cuenta: no existe ninguna cuenta llamada «Cuenta que no existe {word}»."),
                ("6", "Repetida: la misma fila aparece ya en la línea 2."),
            ],
            Refused(result));
        var ana = await factory.InDbAsync(db => db.Contacts.AsNoTracking().Include(c => c.SearchTerms).SingleAsync(c => c.Email == $"ana.{word}@example.com"));
        Assert.Equal(data.Account.Id, ana.AccountId);
        // The same search terms as the contact form builds (the domain builds both).
        var built = new Contact(ana.Details, data.Account.Name, null, DateTime.UtcNow);
        Assert.Equal(built.SearchTerms!.Select(t => t.Term).Order(), ana.SearchTerms!.Select(t => t.Term).Order());
        Assert.Equal(built.SortName, ana.SortName);
        var search = await client.GetDocumentAsync($"/Contacts?q=lopez+{word}");
        Assert.Contains("Marta", search.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicatesAndAccounts_AreLookedUpOncePerThousandRows_NotPerRow()
    {
        var data = await factory.NewDataAsync();
        var word = Token();
        var file = new StringBuilder("Nombre;Apellidos;Correo;Cuenta\n");
        for (var i = 0; i < 2_500; i++)
        {
            file.Append(System.Globalization.CultureInfo.InvariantCulture, $"Ana;Lote {word};lote{i}.{word}@example.com;{data.Account.Name}\n");
        }

        var client = await factory.ClientAsync(Roles.Administrator);
        var map = await UploadAsync(client, "Contacts", "lote.csv", Encoding.UTF8.GetBytes(file.ToString()));
        IHtmlDocument result;
        IReadOnlyList<string> commands;
        using (var sql = factory.SqlCommands.Measure(client))
        {
            result = await RunAsync(client, map, "Skip", "AllOrNothing");
            commands = sql.Commands;
        }

        Assert.Equal(("2.500", "0", "0", "0"), Counts(result));
        // Three chunks of at most 1,000 rows: each reads the accounts it names and the contacts with its emails, once;
        // plus the result page's bell (the layout's unread count).
        var reads = commands.Count(c => c.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase));
        Assert.True(reads <= (3 * 2) + 1, $"{reads} SELECTs for 2,500 rows:\n{string.Join("\n", commands.Where(c => c.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)))}");
        Assert.Equal(2_500, await factory.InDbAsync(db => db.Contacts.CountAsync(c => c.LastName == "Lote " + word && c.AccountId == data.Account.Id)));
    }

    [Fact]
    public async Task AllOrNothing_WithABadRow_LeavesTheDatabaseUnchanged()
    {
        var word = Token();
        var file = $"Nombre;Apellidos;Email\nAna;Ruiz {word};ana.{word}@example.com\nLuis;Gómez {word};mal\n";
        var client = await factory.ClientAsync(Roles.Administrator);
        var map = await UploadAsync(client, "Contacts", "contactos.csv", Encoding.UTF8.GetBytes(file));
        var before = await factory.SnapshotAsync();

        var result = await RunAsync(client, map, "Skip", "AllOrNothing");

        Assert.NotNull(result.QuerySelector("#import-rolled-back"));
        Assert.Equal([("3", "Correo electrónico: El correo electrónico no es válido.")], Refused(result));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Duplicates_ByEmail_AreSkippedOrUpdated()
    {
        var word = Token();
        var email = $"dup.{word}@example.com";
        await factory.InDbAsync(async db =>
        {
            db.Contacts.Add(new Contact(new ContactDetails("Ana", "Antes " + word, email, null, null, "Antes", null), null, null, DateTime.UtcNow));
            return await db.SaveChangesAsync();
        });
        var file = Encoding.UTF8.GetBytes($"Nombre;Apellidos;Email;Cargo\nAna;Después {word};{email};Gerente\nNuevo;Contacto {word};nuevo.{word}@example.com;\n");
        var client = await factory.ClientAsync(Roles.Administrator);

        var skipped = await RunAsync(client, await UploadAsync(client, "Contacts", "a.csv", file), "Skip", "ValidOnly");
        Assert.Equal(("1", "0", "1", "0"), Counts(skipped));
        Assert.Equal("Antes", await factory.InDbAsync(db => db.Contacts.Where(c => c.Email == email).Select(c => c.JobTitle).SingleAsync()));

        var updated = await RunAsync(client, await UploadAsync(client, "Contacts", "a.csv", file), "Update", "ValidOnly");
        Assert.Equal(("0", "2", "0", "0"), Counts(updated));
        var contact = await factory.InDbAsync(db => db.Contacts.AsNoTracking().Include(c => c.SearchTerms).SingleAsync(c => c.Email == email));
        Assert.Equal(("Gerente", "Después " + word), (contact.JobTitle, contact.LastName));
        Assert.Contains(contact.SearchTerms!, t => t.Term.StartsWith("despues", StringComparison.Ordinal));
        Assert.DoesNotContain(contact.SearchTerms!, t => t.Term.StartsWith("antes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWindows1252File_SeparatedByCommas_KeepsItsAccents()
    {
        var word = Token();
        var bytes = Encoding.GetEncoding(1252).GetBytes($"Nombre,Apellidos,Correo electrónico\r\nJosé,Núñez {word},jose.{word}@example.com\r\n");
        var client = await factory.ClientAsync(Roles.Administrator);

        var map = await UploadAsync(client, "Contacts", "windows.csv", bytes);
        Assert.Contains("Windows-1252", map.QuerySelector("#import-read-as")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("2", Selected(map, "Email"));
        var result = await RunAsync(client, map, "Skip", "ValidOnly");

        Assert.Equal(("1", "0", "0", "0"), Counts(result));
        var contact = await factory.InDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Email == $"jose.{word}@example.com"));
        Assert.Equal(("José", "Núñez " + word), (contact.FirstName, contact.LastName));
    }

    [Fact]
    public async Task Accounts_AreFoundByTaxId_ElseByName_AndAUtf8FileWithABomReadsItsFirstHeader()
    {
        var word = Token();
        var taxId = "B" + word[2..10];
        await factory.InDbAsync(async db =>
        {
            db.Accounts.Add(new CaseCrm.Domain.Accounts.Account(new("Por NIF " + word, taxId, null, null, null, null), null, DateTime.UtcNow));
            db.Accounts.Add(new CaseCrm.Domain.Accounts.Account(new("Por Nombre " + word, null, null, null, null, null), null, DateTime.UtcNow));
            return await db.SaveChangesAsync();
        });
        var file = $"Nombre;NIF;Teléfono;Web\nNuevo nombre {word};{taxId};910000000;\npor nombre {word};;;\nNueva {word};;;javascript:alert(1)\nOtra {word};;;https://otra.example.com\n";
        var client = await factory.ClientAsync(Roles.Administrator);

        var map = await UploadAsync(client, "Accounts", "cuentas.csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(file)]);
        Assert.Equal("0", Selected(map, "Name"));
        Assert.Equal("1", Selected(map, "TaxId"));
        var result = await RunAsync(client, map, "Update", "ValidOnly");

        Assert.Equal(("1", "2", "0", "1"), Counts(result));
        Assert.Equal([("4", "Sitio web: Escriba una dirección web que empiece por http:// o https://.")], Refused(result));
        Assert.Equal("Nuevo nombre " + word, await factory.InDbAsync(db => db.Accounts.Where(a => a.TaxId == taxId).Select(a => a.Name).SingleAsync()));
    }

    [Fact]
    public async Task AMappingWithoutAName_IsRefusedBesideTheField_AndAnotherUsersTokenIsNotFound()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var map = await UploadAsync(client, "Contacts", "c.csv", Encoding.UTF8.GetBytes("Correo;Otro\na@example.com;x\n"));

        using var response = await map.GetForm(client, "#import-map").PostAsync();
        var page = await response.PageAsync();
        Assert.Equal("Elija la columna del nombre o de los apellidos.", page.QuerySelector("#Map-FirstName-error")!.TextContent.Trim());

        var (_, other) = await factory.NewSignedInUserAsync(Roles.Administrator);
        Assert.Equal(HttpStatusCode.NotFound, await other.StatusOfGetAsync(new Uri(map.Url).PathAndQuery));
    }

    [Fact]
    public async Task AnUploadWithoutAFile_IsRefusedBesideTheField()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var form = await client.GetFormAsync("/Import", "#import-upload");

        using var response = await form.Set("Kind", "Contacts").PostAsync();

        Assert.Equal("Elija un archivo CSV.", (await response.PageAsync()).FieldError("File"));
    }

    private static async Task<IHtmlDocument> UploadAsync(HttpClient client, string kind, string name, byte[] content)
    {
        var form = await client.GetFormAsync("/Import", "#import-upload");
        using var response = await form.Set("Kind", kind).AttachFile("File", name, content, "text/csv").PostAsync();
        return await client.FollowAsync(response);
    }

    private static async Task<IHtmlDocument> RunAsync(HttpClient client, IHtmlDocument map, string duplicates, string mode)
    {
        using var response = await map.GetForm(client, "#import-map").Set("Duplicates", duplicates).Set("Mode", mode).PostAsync();
        return await response.PageAsync();
    }

    private static string? Selected(IHtmlDocument map, string field) =>
        map.QuerySelector($"#Map-{field} option[selected]")?.GetAttribute("value");

    private static (string Created, string Updated, string Skipped, string Refused) Counts(IHtmlDocument result)
    {
        string Count(string name) => result.QuerySelector($"[data-count='{name}']")!.TextContent.Trim();
        return (Count("created"), Count("updated"), Count("skipped"), Count("refused"));
    }

    private static List<(string Line, string Reason)> Refused(IHtmlDocument result) =>
        [.. result.QuerySelectorAll("#import-refused tbody tr").Select(r => (r.Children[0].TextContent.Trim(), r.Children[1].TextContent.Trim()))];

    public sealed class Sqlite(SqliteWebFactory factory) : ImportTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ImportTests(factory), IClassFixture<PostgresWebFactory>;
}
