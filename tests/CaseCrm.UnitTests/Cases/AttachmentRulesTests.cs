using System.Text;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using Xunit;

namespace CaseCrm.UnitTests.Cases;

public class AttachmentRulesTests
{
    [Theory]
    [InlineData("informe.pdf", "informe.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\ana\\factura.xlsx", "factura.xlsx")]
    [InlineData("fac\u0000tu\u0007ra\r\n.txt", "factura.txt")]
    [InlineData("\"<b>x</b>\".txt", "b.txt")]
    [InlineData("  ...  ", "archivo")]
    [InlineData(null, "archivo")]
    [InlineData("nota\u202Etxt.exe", "notatxt.exe")]
    public void SafeFileName_RemovesPathPartsControlAndMarkupCharacters(string? name, string expected)
    {
        Assert.Equal(expected, AttachmentRules.SafeFileName(name));
    }

    [Fact]
    public void SafeFileName_CutsLongNamesKeepingTheExtension()
    {
        var safe = AttachmentRules.SafeFileName(new string('a', 300) + ".docx");

        Assert.Equal(Limits.FileName, safe.Length);
        Assert.EndsWith(".docx", safe, StringComparison.Ordinal);
    }

    private static readonly AttachmentLimits Defaults = new();

    [Theory]
    [InlineData("virus.exe")]
    [InlineData("PAGINA.HTML")]
    [InlineData("logo.svg")]
    [InlineData("script.js")]
    [InlineData("run.sh")]
    [InlineData("acceso.lnk")]
    [InlineData("ayuda.chm")]
    [InlineData("disco.iso")]
    [InlineData("registro.reg")]
    [InlineData("macro.docm")]
    [InlineData("pagina.phtml")]
    [InlineData("pagina.aspx")]
    [InlineData("pagina.jsp")]
    [InlineData("pagina.php5")]
    [InlineData("datos.xml")]
    [InlineData("sin-extension")]
    public void IsAllowed_RefusesEveryTypeNotOnTheAllowList(string name)
    {
        Assert.False(AttachmentRules.IsAllowed(name, "hola"u8, Defaults));
    }

    [Theory]
    [InlineData("factura.pdf", "MZ\u0090\u0000")]
    [InlineData("foto.png", "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'>")]
    [InlineData("nota.txt", "  <!DOCTYPE html><html>")]
    [InlineData("datos.csv", "a,b\n<script>alert(1)</script>")]
    [InlineData("instalar.txt", "#!/bin/sh\nrm -rf /")]
    [InlineData("informe.docx", "%PDF-1.7")]
    [InlineData("hoja.xls", "PK\u0003\u0004")]
    [InlineData("foto.jpg", "\u0089PNG\r\n\u001a\n")]
    [InlineData("correo.eml", "From: a@b.c\r\n\r\n<iframe src=x>")]
    [InlineData("nota.txt", "hola\u0000mundo")]
    public void IsAllowed_RefusesContentThatIsNotOfTheDeclaredType(string name, string content)
    {
        Assert.False(AttachmentRules.IsAllowed(name, Latin1(content), Defaults));
    }

    [Fact]
    public void IsAllowed_RefusesHtmlAfterPaddingInAPng()
    {
        var content = Encoding.ASCII.GetBytes(new string(' ', 600) + "<html><script>alert(1)</script></html>");

        Assert.False(AttachmentRules.IsAllowed("foto.png", content, Defaults));
    }

    [Fact]
    public void IsAllowed_ReadsTheWholeTextFile_NotOnlyItsHead()
    {
        var content = Encoding.UTF8.GetBytes(new string('a', 5000) + "\n<script>alert(1)</script>");

        Assert.True(AttachmentRules.IsAllowed("nota.txt", content.AsSpan(0, AttachmentRules.HeadBytes), Defaults, isWhole: false));
        Assert.False(AttachmentRules.IsAllowed("nota.txt", content, Defaults));
    }

    [Fact]
    public void IsAllowed_RefusesTextThatIsNotUtf8()
    {
        Assert.False(AttachmentRules.IsAllowed("datos.csv", Latin1("nombre;año\nPeña;2026"), Defaults));
    }

    [Fact]
    public void IsAllowed_AcceptsAHeadThatEndsInsideACharacter()
    {
        var content = Encoding.UTF8.GetBytes("año ñandú");

        Assert.True(AttachmentRules.IsAllowed("nota.txt", content.AsSpan(0, 2), Defaults, isWhole: false));
        Assert.False(AttachmentRules.IsAllowed("nota.txt", content.AsSpan(0, 2), Defaults, isWhole: true));
    }

    [Theory]
    [InlineData("nota.txt", "\uFEFFHola, adjunto la factura.\r\nAño 2026\t€")]
    [InlineData("datos.csv", "a;b\n1;2 < 3")]
    [InlineData("correo.eml", "From: ana@example.com\r\nSubject: Factura\r\n\r\nAdjunto la factura.")]
    public void IsAllowed_AcceptsPlainText(string name, string content)
    {
        Assert.True(AttachmentRules.IsAllowed(name, Encoding.UTF8.GetBytes(content), Defaults));
    }

    [Theory]
    [InlineData("foto.png", "89504E470D0A1A0A")]
    [InlineData("factura.pdf", "255044462D312E37")]
    [InlineData("FOTO.JPG", "FFD8FFE0")]
    [InlineData("foto.jpeg", "FFD8FFE1")]
    [InlineData("anim.gif", "474946383961")]
    [InlineData("anim.gif", "474946383761")]
    [InlineData("foto.webp", "52494646000000005745425056503820")]
    [InlineData("mapa.bmp", "424D")]
    [InlineData("escaneo.tiff", "49492A00")]
    [InlineData("escaneo.tif", "4D4D002A")]
    [InlineData("foto.heic", "0000001866747970686569630000")]
    [InlineData("informe.docx", "504B0304")]
    [InlineData("hoja.xlsx", "504B0304")]
    [InlineData("charla.pptx", "504B0304")]
    [InlineData("texto.odt", "504B0304")]
    [InlineData("hoja.ods", "504B0304")]
    [InlineData("charla.odp", "504B0304")]
    [InlineData("logs.zip", "504B0304")]
    [InlineData("informe.doc", "D0CF11E0A1B11AE1")]
    [InlineData("hoja.xls", "D0CF11E0A1B11AE1")]
    [InlineData("charla.ppt", "D0CF11E0A1B11AE1")]
    [InlineData("correo.msg", "D0CF11E0A1B11AE1")]
    [InlineData("logs.7z", "377ABCAF271C")]
    [InlineData("logs.gz", "1F8B08")]
    [InlineData("carta.rtf", "7B5C727466")]
    public void IsAllowed_AcceptsEachBinaryTypeByItsMagicNumber(string name, string hex)
    {
        Assert.True(AttachmentRules.IsAllowed(name, Convert.FromHexString(hex), Defaults));
    }

    [Fact]
    public void IsAllowed_AcceptsATarByItsUstarMark()
    {
        var tar = new byte[512];
        "ustar"u8.CopyTo(tar.AsSpan(257));

        Assert.True(AttachmentRules.IsAllowed("logs.tar", tar, Defaults));
        Assert.False(AttachmentRules.IsAllowed("logs.tar", new byte[512], Defaults));
    }

    [Fact]
    public void AllowedExtensions_FromConfiguration_NarrowTheList_AndCannotAddUncheckableTypes()
    {
        var limits = new AttachmentLimits { AllowedExtensions = ".PDF, txt; exe html" };

        Assert.Equal(["pdf", "txt"], limits.AllowedExtensionList);
        Assert.False(AttachmentRules.IsAllowed("foto.png", Convert.FromHexString("89504E470D0A1A0A"), limits));
        Assert.True(AttachmentRules.IsAllowed("factura.pdf", "%PDF-1.7"u8, limits));
    }

    private static readonly AttachmentLimits TestLimits = new() { MaxFileBytes = 1024, MaxFilesPerUpload = 2, MaxCaseBytes = 4096 };

    [Fact]
    public void Check_AcceptsFilesWithinTheLimits()
    {
        Assert.Empty(AttachmentRules.Check(1, [File("nota.txt", "hola"), new IncomingFile("foto.png", 100, Convert.FromHexString("89504E470D0A1A0A"))], TestLimits));
    }

    [Fact]
    public void Check_WithoutFiles_AsksForOne()
    {
        Assert.Equal([CaseRuleCode.FileMissing], AttachmentRules.Check(1, [], TestLimits).Select(v => v.Code));
    }

    [Fact]
    public void Check_NamesEveryRefusalAtOnce()
    {
        var files = new[]
        {
            File("vacio.txt", ""),
            new IncomingFile("grande.pdf", 2048, "%PDF"u8.ToArray()),
            File("virus.exe", "MZ"),
        };

        var refusals = AttachmentRules.Check(1, [.. files, File("falso.pdf", "<html>")], TestLimits, new AttachmentUsage(3000, 0));

        Assert.Equal(
            [
                CaseRuleCode.TooManyFiles, CaseRuleCode.FileEmpty, CaseRuleCode.FileTooLarge, CaseRuleCode.FileTypeBlocked,
                CaseRuleCode.FileContentMismatch, CaseRuleCode.CaseAttachmentsFull,
            ],
            refusals.Select(v => v.Code));
        Assert.Equal(["vacio.txt", "grande.pdf", "virus.exe", "falso.pdf"], refusals.Skip(1).Take(4).Select(v => v.Args[0]));
    }

    [Fact]
    public void Check_NamesTheFileByItsSafeName()
    {
        var refusal = Assert.Single(AttachmentRules.Check(1, [File("../../x<script>.exe", "MZ")], TestLimits));

        Assert.Equal("xscript.exe", refusal.Args[0]);
    }

    [Fact]
    public void Check_RefusesFilesThatWouldTakeTheCaseOverItsTotal()
    {
        var limits = new AttachmentLimits { MaxFileBytes = 1024, MaxCaseBytes = 4096 };
        var file = new IncomingFile("factura.pdf", 1000, "%PDF-1.7"u8.ToArray());

        Assert.Empty(AttachmentRules.Check(7, [file], limits, new AttachmentUsage(3096, 0)));
        var refusal = Assert.Single(AttachmentRules.Check(7, [file], limits, new AttachmentUsage(3097, 0)));

        Assert.Equal((CaseRuleCode.CaseAttachmentsFull, 7), (refusal.Code, refusal.CaseId));
        Assert.Equal(["4 KB", "1 KB"], refusal.Args.Select(a => a.Replace(',', '.')));
    }

    [Fact]
    public void Check_RefusesFilesThatWouldTakeTheUserOverTheHourlyQuota()
    {
        var limits = new AttachmentLimits { MaxFileBytes = 1024, MaxUserBytesPerHour = 2048 };
        var files = new[] { new IncomingFile("a.pdf", 600, "%PDF-1.7"u8.ToArray()), new IncomingFile("b.pdf", 600, "%PDF-1.7"u8.ToArray()) };

        Assert.Empty(AttachmentRules.Check(7, files, limits, new AttachmentUsage(0, 848)));
        Assert.Equal([CaseRuleCode.UploadQuotaExceeded], AttachmentRules.Check(7, files, limits, new AttachmentUsage(0, 849)).Select(v => v.Code));
    }

    [Fact]
    public void Check_WithoutUsage_LeavesTheQuotasToTheService()
    {
        var limits = new AttachmentLimits { MaxFileBytes = 1024, MaxCaseBytes = 10, MaxUserBytesPerHour = 10 };

        Assert.Empty(AttachmentRules.Check(7, [new IncomingFile("a.pdf", 600, "%PDF-1.7"u8.ToArray())], limits));
    }

    [Fact]
    public void MaxRequestBytes_FollowsTheLimits()
    {
        var limits = new AttachmentLimits { MaxFileBytes = 1000, MaxFilesPerUpload = 3, MaxCaseBytes = 2000, MaxUserBytesPerHour = 5000 };

        Assert.Equal(2000 + (64 * 1024) + (3 * 1024), limits.MaxRequestBytes);
        Assert.True(new AttachmentLimits().MaxRequestBytes < 101L * 1024 * 1024);
    }

    [Theory]
    [InlineData(64 * 1024 - 3)]
    [InlineData(64 * 1024 - 1)]
    [InlineData(64 * 1024)]
    public async Task CheckAsync_FindsMarkupSplitBetweenTwoPiecesOfALargeTextFile(int at)
    {
        var content = Encoding.UTF8.GetBytes(new string('a', at) + "<script>alert(1)</script>" + new string('b', 1000));

        var refusals = await AttachmentRules.CheckAsync(7, [UploadedFile.Of("nota.txt", content)], Defaults, new AttachmentUsage(0, 0), default);

        Assert.Equal([CaseRuleCode.FileContentMismatch], refusals.Select(v => v.Code));
    }

    [Fact]
    public async Task CheckAsync_AcceptsACharacterSplitBetweenTwoPieces_AndRefusesOneCutAtTheEnd()
    {
        var text = new string('a', 64 * 1024 - 1) + "ñandú 🙂 fin";
        var whole = Encoding.UTF8.GetBytes(text);

        Assert.Empty(await AttachmentRules.CheckAsync(7, [UploadedFile.Of("nota.txt", whole)], Defaults, new AttachmentUsage(0, 0), default));
        Assert.NotEmpty(await AttachmentRules.CheckAsync(7, [UploadedFile.Of("nota.txt", whole[..^5])], Defaults, new AttachmentUsage(0, 0), default));
    }

    [Fact]
    public async Task CheckAsync_JudgesQuotasOnTheLengths_AndAScriptByItsFirstCharacters()
    {
        var limits = new AttachmentLimits { MaxCaseBytes = 1000 };
        var script = UploadedFile.Of("run.txt", Encoding.UTF8.GetBytes("\uFEFF \n#!/bin/sh\nrm -rf /" + new string('x', 600)));

        Assert.Equal(
            [CaseRuleCode.CaseAttachmentsFull],
            (await AttachmentRules.CheckAsync(7, [UploadedFile.Of("a.pdf", Pdf(600))], limits, new AttachmentUsage(500, 0), default)).Select(v => v.Code));
        Assert.Equal(
            [CaseRuleCode.FileContentMismatch],
            (await AttachmentRules.CheckAsync(7, [script], Defaults, new AttachmentUsage(0, 0), default)).Select(v => v.Code));
    }

    private static byte[] Pdf(int size)
    {
        var content = new byte[size];
        "%PDF-1.7\n"u8.CopyTo(content);
        return content;
    }

    private static byte[] Latin1(string content) => Encoding.Latin1.GetBytes(content);

    private static IncomingFile File(string name, string content) => new(name, Encoding.UTF8.GetByteCount(content), Encoding.UTF8.GetBytes(content));
}
