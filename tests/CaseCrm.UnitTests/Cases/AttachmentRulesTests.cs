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

    [Theory]
    [InlineData("virus.exe")]
    [InlineData("PAGINA.HTML")]
    [InlineData("logo.svg")]
    [InlineData("script.js")]
    [InlineData("run.sh")]
    public void IsBlocked_RefusesDangerousExtensions(string name)
    {
        Assert.True(AttachmentRules.IsBlocked(name, "hola"u8));
    }

    [Theory]
    [InlineData("factura.pdf", "MZ\u0090\u0000")]
    [InlineData("foto.png", "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'>")]
    [InlineData("nota.txt", "  <!DOCTYPE html><html>")]
    [InlineData("datos.csv", "a,b\n<script>alert(1)</script>")]
    [InlineData("instalar.txt", "#!/bin/sh\nrm -rf /")]
    public void IsBlocked_RefusesDangerousContentWhateverTheExtension(string name, string content)
    {
        Assert.True(AttachmentRules.IsBlocked(name, Encoding.UTF8.GetBytes(content)));
    }

    [Theory]
    [InlineData("nota.txt", "Hola, adjunto la factura.")]
    [InlineData("foto.png", "\u0089PNG\r\n")]
    [InlineData("factura.pdf", "%PDF-1.7")]
    public void IsBlocked_AcceptsOrdinaryFiles(string name, string content)
    {
        Assert.False(AttachmentRules.IsBlocked(name, Encoding.UTF8.GetBytes(content)));
    }

    private static readonly AttachmentLimits TestLimits = new() { MaxFileBytes = 1024, MaxFilesPerUpload = 2 };

    [Fact]
    public void Check_AcceptsFilesWithinTheLimits()
    {
        Assert.Empty(AttachmentRules.Check(1, [File("nota.txt", "hola"), File("foto.png", "\u0089PNG")], TestLimits));
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

        var refusals = AttachmentRules.Check(1, files, TestLimits);

        Assert.Equal(
            [CaseRuleCode.TooManyFiles, CaseRuleCode.FileEmpty, CaseRuleCode.FileTooLarge, CaseRuleCode.FileTypeBlocked],
            refusals.Select(v => v.Code));
        Assert.Equal(["vacio.txt", "grande.pdf", "virus.exe"], refusals.Skip(1).Select(v => v.Args[0]));
    }

    [Fact]
    public void Check_NamesTheFileByItsSafeName()
    {
        var refusal = Assert.Single(AttachmentRules.Check(1, [File("../../x<script>.exe", "MZ")], TestLimits));

        Assert.Equal("xscript.exe", refusal.Args[0]);
    }

    private static IncomingFile File(string name, string content) => new(name, Encoding.UTF8.GetByteCount(content), Encoding.UTF8.GetBytes(content));
}
