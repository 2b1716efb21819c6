using System.Net;
using System.Text;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.CaseWork;

/// <summary>
/// Attachments through the upload form, with the per-file limit configured to 100 KB: one or several files, the size
/// limit, the allow-list of types and the check of their content, hostile names, the download headers, and who may delete.
/// </summary>
public sealed class AttachmentTests(SmallAttachmentLimitFactory factory) : IClassFixture<SmallAttachmentLimitFactory>
{
    private const string AllowedTypes =
        "pdf, doc, docx, xls, xlsx, ppt, pptx, odt, ods, odp, rtf, txt, csv, png, jpg, jpeg, gif, webp, bmp, tiff, tif, heic, zip, 7z, gz, tar, eml, msg";

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");

    [Fact]
    public async Task Upload_OneFile_StoresItInTheDatabase_AndListsIt()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");

        using var response = await form.AttachFile("files", "informe técnico.pdf", Pdf, "application/pdf").PostAsync();

        Assert.Equal($"/Cases/{item.Id}#attachments", response.RedirectTarget());
        var stored = Assert.Single(await AttachmentsAsync(item.Id));
        Assert.Equal(("informe técnico.pdf", (long)Pdf.Length, await factory.UserIdAsync(Agent)), (stored.FileName, stored.Size, stored.UploadedById));
        Assert.Equal(Pdf, stored.Content!.Data);
        var page = await client.FollowAsync(response);
        Assert.Equal("Se adjuntó: informe técnico.pdf.", page.Flash());
        var link = page.QuerySelector("#attachment-list a")!;
        Assert.Equal(("informe técnico.pdf", $"/Cases/{item.Id}/Attachments/{stored.Id}"), (link.Squashed(), link.GetAttribute("href")));
        Assert.Equal("1", page.Text("#attachments-title .badge"));
    }

    [Fact]
    public async Task Upload_SeveralFiles_StoresEachOfThem()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");

        using var response = await form
            .AttachFile("files", "foto.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10], "image/jpeg")
            .AttachFile("files", "notas.txt", Encoding.UTF8.GetBytes("Línea uno\nLínea dos"), "text/plain")
            .AttachFile("files", "datos.csv", Encoding.UTF8.GetBytes("a;b\n1;2"), "text/csv")
            .PostAsync();

        Assert.Equal($"/Cases/{item.Id}#attachments", response.RedirectTarget());
        Assert.Equal(["foto.jpg", "notas.txt", "datos.csv"], (await AttachmentsAsync(item.Id)).Select(a => a.FileName));
        Assert.Equal("Se adjuntó: foto.jpg, notas.txt, datos.csv.", (await client.FollowAsync(response)).Flash());
    }

    [Fact]
    public async Task Upload_OverTheConfiguredLimit_IsRefusedWithAClearMessage_AndWritesNothing()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");
        var before = await factory.SnapshotAsync();

        using var response = await form
            .AttachFile("files", "pequeño.pdf", Pdf, "application/pdf")
            .AttachFile("files", "grande.pdf", new byte[SmallAttachmentLimitFactory.MaxFileBytes + 1], "application/pdf")
            .PostAsync();

        Assert.Equal($"/Cases/{item.Id}#attachments", response.RedirectTarget());
        var page = await client.FollowAsync(response);
        Assert.Equal("El archivo «grande.pdf» supera el tamaño máximo de 100 KB.", page.Text("#attachment-error"));
        Assert.Null(page.Flash());
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Upload_ExactlyAtTheLimit_IsAccepted()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");
        var content = new byte[SmallAttachmentLimitFactory.MaxFileBytes];
        Pdf.CopyTo(content, 0);

        using var response = await form.AttachFile("files", "justo.pdf", content, "application/pdf").PostAsync();

        Assert.Equal(SmallAttachmentLimitFactory.MaxFileBytes, Assert.Single(await AttachmentsAsync(item.Id)).Size);
        Assert.Equal("Se adjuntó: justo.pdf.", (await client.FollowAsync(response)).Flash());
    }

    [Fact]
    public async Task Details_ShowsTheConfiguredLimit()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");

        Assert.Equal(
            $"Hasta 100 KB por archivo y 10 archivos a la vez; 100 MB por caso en total y 200 MB por persona y hora. Tipos admitidos: {AllowedTypes}.",
            page.Text("#attachments p.hint"));
        Assert.StartsWith(".pdf,.doc,.docx,", page.QuerySelector("#files")!.GetAttribute("accept"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_OfMoreFilesThanAllowedAtOnce_IsRefused_AndWritesNothing()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");
        for (var i = 0; i < 11; i++)
        {
            form.AttachFile("files", $"parte-{i}.txt", Encoding.ASCII.GetBytes("parte"));
        }

        var before = await factory.SnapshotAsync();

        using var response = await form.PostAsync();

        Assert.Equal("Suba como máximo 10 archivos a la vez.", (await client.FollowAsync(response)).Text("#attachment-error"));
        await factory.AssertUnchangedAsync(before);
    }

    [Theory]
    [InlineData("virus.exe")]
    [InlineData("VIRUS.EXE")]
    [InlineData("pagina.html")]
    [InlineData("dibujo.svg")]
    [InlineData("script.js")]
    [InlineData("acceso.lnk")]
    [InlineData("ayuda.chm")]
    [InlineData("disco.iso")]
    [InlineData("cambios.reg")]
    [InlineData("macro.docm")]
    [InlineData("pagina.phtml")]
    [InlineData("pagina.aspx")]
    [InlineData("pagina.jsp")]
    [InlineData("pagina.php5")]
    [InlineData("datos.xml")]
    public async Task Upload_OfATypeNotOnTheAllowList_IsRefused_AndWritesNothing(string name)
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");
        var before = await factory.SnapshotAsync();

        using var response = await form.AttachFile("files", name, Encoding.UTF8.GetBytes("inofensivo"), "application/octet-stream").PostAsync();

        var page = await client.FollowAsync(response);
        Assert.Equal($"No se admite el archivo «{name}»: los tipos admitidos son {AllowedTypes}.", page.Text("#attachment-error"));
        await factory.AssertUnchangedAsync(before);
    }

    public static TheoryData<string, string, string> ContentNotOfItsType => new()
    {
        { "factura.pdf", "MZ\u0090\0\u0003\0\0\0 This program cannot be run in DOS mode", "PDF" },
        { "foto.png", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>", "PNG" },
        { "foto.png", new string(' ', 600) + "<html><script>alert(1)</script></html>", "PNG" },
        { "nota.txt", "<html><body><script>alert(1)</script></body></html>", "TXT" },
        { "leeme.txt", "\uFEFF  <!DOCTYPE html><p>hola</p>", "TXT" },
        { "registro.txt", new string('a', 600) + "\n<script>alert(1)</script>", "TXT" },
        { "datos.csv", string.Concat(Enumerable.Repeat("fila;valor\n", 200)) + "<iframe src=\"https://example.com\">", "CSV" },
        { "informe.docx", "%PDF-1.4", "DOCX" },
    };

    [Theory]
    [MemberData(nameof(ContentNotOfItsType))]
    public async Task Upload_WhoseContentIsNotOfItsType_AnywhereInTheFile_IsRefused_AndWritesNothing(string name, string content, string type)
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");
        var before = await factory.SnapshotAsync();

        using var response = await form.AttachFile("files", name, Encoding.UTF8.GetBytes(content), "application/octet-stream").PostAsync();

        var page = await client.FollowAsync(response);
        Assert.Equal($"El contenido de «{name}» no corresponde a un archivo {type}.", page.Text("#attachment-error"));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Upload_OfAcceptedTypesWithTheirContent_StoresThem()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");

        using var response = await form
            .AttachFile("files", "captura.png", Convert.FromHexString("89504E470D0A1A0A0000000D49484452"), "image/png")
            .AttachFile("files", "informe.docx", Convert.FromHexString("504B030414000600"), "application/octet-stream")
            .AttachFile("files", "hoja.xls", Convert.FromHexString("D0CF11E0A1B11AE10000"), "application/vnd.ms-excel")
            .AttachFile("files", "logs.gz", Convert.FromHexString("1F8B0800000000000003"), "application/gzip")
            .AttachFile("files", "correo.eml", Encoding.UTF8.GetBytes("From: ana@example.com\r\nSubject: Factura\r\n\r\nAdjunto la factura."), "message/rfc822")
            .PostAsync();

        Assert.Equal($"/Cases/{item.Id}#attachments", response.RedirectTarget());
        Assert.Equal(["captura.png", "informe.docx", "hoja.xls", "logs.gz", "correo.eml"], (await AttachmentsAsync(item.Id)).Select(a => a.FileName));
    }

    [Fact]
    public async Task Upload_WithOneBlockedFileAmongGoodOnes_StoresNone()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");
        var before = await factory.SnapshotAsync();

        using var response = await form
            .AttachFile("files", "bueno.pdf", Pdf)
            .AttachFile("files", "malo.svg", Encoding.UTF8.GetBytes("<svg/>"))
            .PostAsync();

        Assert.Contains("«malo.svg»", (await client.FollowAsync(response)).Text("#attachment-error"), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Upload_WithoutAFileOrOfAnEmptyFile_IsRefused()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var none = await (await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form")).PostAsync();
        var noneMessage = (await client.FollowAsync(none)).Text("#attachment-error");
        using var empty = await (await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form")).AttachFile("files", "vacío.txt", []).PostAsync();
        var emptyMessage = (await client.FollowAsync(empty)).Text("#attachment-error");

        Assert.Equal("Elija uno o varios archivos.", noneMessage);
        Assert.Equal("El archivo «vacío.txt» está vacío.", emptyMessage);
        await factory.AssertUnchangedAsync(before);
    }

    [Theory]
    [InlineData("../../etc/passwd.txt", "passwd.txt")]
    [InlineData("..\\..\\Windows\\win.ini.txt", "win.ini.txt")]
    [InlineData("C:\\x\\y.txt", "y.txt")]
    [InlineData("/var/www/informe.csv", "informe.csv")]
    [InlineData("in\u0001for\u0007me\u001b.txt", "informe.txt")]
    [InlineData("fac\u202Efdp.txt", "facfdp.txt")]
    [InlineData("<y> |tubería|?*:.txt", "y tubería.txt")]
    public async Task Upload_WithAHostileName_StoresASafeName(string hostile, string expected)
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");

        using var response = await form.AttachFile("files", hostile, Encoding.UTF8.GetBytes("contenido"), "text/plain").PostAsync();

        Assert.Equal($"/Cases/{item.Id}#attachments", response.RedirectTarget());
        var stored = Assert.Single(await AttachmentsAsync(item.Id));
        Assert.Equal(expected, stored.FileName);
        AssertSafe(stored.FileName);
    }

    [Fact]
    public async Task Upload_WithAVeryLongName_KeepsAtMost150CharactersAndTheExtension()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");
        var longName = new string('n', 296) + ".pdf";

        using var response = await form.AttachFile("files", longName, Pdf).PostAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = Assert.Single(await AttachmentsAsync(item.Id));
        Assert.Equal(150, stored.FileName.Length);
        Assert.EndsWith(".pdf", stored.FileName, StringComparison.Ordinal);
        AssertSafe(stored.FileName);
    }

    [Fact]
    public async Task Download_IsAnAttachmentOfOctetStream_WithASafeFileName_AndNosniff()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form");
        var content = Encoding.UTF8.GetBytes("Año 2026: cuentas claras.");
        using (var uploaded = await form.AttachFile("files", "Año 2026 (copia).txt", content, "text/html").PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        }

        var stored = Assert.Single(await AttachmentsAsync(item.Id));

        using var response = await client.GetAsync(new Uri($"/Cases/{item.Id}/Attachments/{stored.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("Año 2026 (copia).txt", disposition.FileNameStar);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Download_OfANameStoredUnsafely_StillSendsASafeFileName()
    {
        var item = await NewCaseAsync();
        var attachment = await InsertAttachmentAsync(item.Id, await factory.UserIdAsync(Agent), "../x\"\r\nX-Evil: 1\r\n.html");
        var client = await factory.ClientAsync(Roles.Agent);

        using var response = await client.GetAsync(new Uri($"/Cases/{item.Id}/Attachments/{attachment.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Evil"));
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        AssertSafe(disposition.FileNameStar ?? disposition.FileName!.Trim('"'));
    }

    [Fact]
    public async Task Download_OfAnotherCasesOrAnUnknownAttachment_Answers404()
    {
        var item = await NewCaseAsync();
        var other = await NewCaseAsync();
        var attachment = await InsertAttachmentAsync(other.Id, await factory.UserIdAsync(Agent), "ajeno.pdf");
        var client = await factory.ClientAsync(Roles.Agent);

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfGetAsync($"/Cases/{item.Id}/Attachments/{attachment.Id}"));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfGetAsync($"/Cases/{item.Id}/Attachments/999999"));
    }

    [Fact]
    public async Task DeleteAttachment_Own_RemovesIt_AndRecordsItInTheHistory()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        using (var uploaded = await (await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form")).AttachFile("files", "borrar.pdf", Pdf).PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        }

        var stored = Assert.Single(await AttachmentsAsync(item.Id));
        var form = await client.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Attachments/{stored.Id}/Delete']");

        using var response = await form.PostAsync();

        Assert.Equal($"/Cases/{item.Id}#attachments", response.RedirectTarget());
        Assert.Empty(await AttachmentsAsync(item.Id));
        Assert.Equal(0, await factory.InDbAsync(db => db.Set<AttachmentContent>().CountAsync(c => c.AttachmentId == stored.Id)));
        Assert.Contains(await factory.HistoryAsync(item.Id), h => h.Field == HistoryField.AttachmentDeleted && h.OldValue == "borrar.pdf");
        Assert.Equal("Se eliminó el archivo adjunto.", (await client.FollowAsync(response)).Flash());
    }

    [Fact]
    public async Task DeleteAttachment_OfAnotherAgent_OffersNoButton_AndAForgedPostIsRefusedWithNothingChanged()
    {
        var item = await NewCaseAsync();
        var other = await factory.NewUserAsync(Roles.Agent);
        var attachment = await InsertAttachmentAsync(item.Id, other.Id, "de-otra.pdf");
        var client = await factory.ClientAsync(Roles.Agent);
        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.Contains("de-otra.pdf", page.Text("#attachment-list"), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector($"form[action='/Cases/{item.Id}/Attachments/{attachment.Id}/Delete']"));
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync($"/Cases/{item.Id}/Attachments/{attachment.Id}/Delete", tokenPage: $"/Cases/{item.Id}");

        Assert.Contains("Solo quien subió el archivo o un supervisor pueden eliminarlo.", (await client.FollowAsync(response)).Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task DeleteAttachment_Supervisor_MayDeleteAnyones()
    {
        var item = await NewCaseAsync();
        var attachment = await InsertAttachmentAsync(item.Id, await factory.UserIdAsync(Agent), "del-agente.pdf");
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        var form = await supervisor.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Attachments/{attachment.Id}/Delete']");

        using var response = await form.PostAsync();

        Assert.Equal($"/Cases/{item.Id}#attachments", response.RedirectTarget());
        Assert.Empty(await AttachmentsAsync(item.Id));
        var supervisorId = await factory.UserIdAsync(Supervisor);
        Assert.Contains(await factory.HistoryAsync(item.Id), h => h.Field == HistoryField.AttachmentDeleted && h.OldValue == "del-agente.pdf" && h.UserId == supervisorId);
    }

    // ---- Helpers

    private static void AssertSafe(string name)
    {
        Assert.InRange(name.Length, 1, 150);
        Assert.DoesNotContain('/', name);
        Assert.DoesNotContain('\\', name);
        Assert.DoesNotContain('"', name);
        Assert.DoesNotContain(name, char.IsControl);
        Assert.False(name.StartsWith('.'), name);
    }

    private async Task<Case> NewCaseAsync() => await (await factory.NewDataAsync()).UniqueCaseAsync("Con adjuntos");

    private Task<List<CaseAttachment>> AttachmentsAsync(int caseId) =>
        factory.InDbAsync(db => db.CaseAttachments.AsNoTracking().Include(a => a.Content).Where(a => a.CaseId == caseId).OrderBy(a => a.Id).ToListAsync());

    private Task<CaseAttachment> InsertAttachmentAsync(int caseId, string uploaderId, string fileName) =>
        factory.InDbAsync(async db =>
        {
            var attachment = new CaseAttachment(caseId, fileName, Pdf, uploaderId, DateTime.UtcNow);
            db.CaseAttachments.Add(attachment);
            await db.SaveChangesAsync();
            // The name exactly as given, written behind the domain's back: downloads must make even such a name safe.
            await db.CaseAttachments.Where(a => a.Id == attachment.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.FileName, fileName));
            return await db.CaseAttachments.AsNoTracking().SingleAsync(a => a.Id == attachment.Id);
        });
}
