using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using Xunit;

namespace CaseCrm.UnitTests.Email;

public sealed class EmailIntakeRulesTests
{
    [Theory]
    [InlineData("Re: Pedido [CAS-000123]", 123)]
    [InlineData("[cas-42] algo", 42)]
    [InlineData("RE: RE: [CAS-7] y [CAS-9]", 7)]
    [InlineData("CAS-000123 sin corchetes", null)]
    [InlineData("[CAS-] vacío", null)]
    [InlineData("[CAS-9999999999] demasiado largo", null)]
    [InlineData("[CAS-0] cero", null)]
    [InlineData(null, null)]
    public void TheCaseNumber_IsReadFromTheSubjectTag(string? subject, int? expected) =>
        Assert.Equal(expected, EmailIntakeRules.CaseIdInSubject(subject));

    [Theory]
    [InlineData("Auto-Submitted", "auto-replied", true)]
    [InlineData("Auto-Submitted", "auto-generated", true)]
    [InlineData("Auto-Submitted", "no", false)]
    [InlineData("Precedence", "bulk", true)]
    [InlineData("Precedence", "list", true)]
    [InlineData("Precedence", "first-class", false)]
    [InlineData("X-Autoreply", "yes", true)]
    [InlineData("Subject", "Hola", false)]
    public void AutomaticMail_IsRecognizedByItsHeaders(string name, string value, bool automatic) =>
        Assert.Equal(automatic, EmailIntakeRules.IsAutomatic(h => h == name ? value : null, "cliente@example.com", "text/plain", []));

    [Theory]
    [InlineData("MAILER-DAEMON@example.com", "text/plain", true)]
    [InlineData("postmaster@example.com", "text/plain", true)]
    [InlineData("soporte@casecrm.example", "text/plain", true)]
    [InlineData("", "text/plain", true)]
    [InlineData("cliente@example.com", "multipart/report", true)]
    [InlineData("cliente@example.com", "multipart/mixed", false)]
    public void DeliveryReports_AndOurOwnAddresses_AreAutomatic(string from, string contentType, bool automatic) =>
        Assert.Equal(automatic, EmailIntakeRules.IsAutomatic(_ => null, from, contentType, ["SOPORTE@casecrm.example"]));

    [Fact]
    public void AReply_JoinsAnActiveCase_ReopensARecentlyClosedOne_AndOpensANewCaseAfterTheWindow()
    {
        var now = new DateTime(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal(IntakeAction.Join, EmailIntakeRules.Decide(CaseStatus.OnHold, now.AddDays(-30), now, 7));
        Assert.Equal(IntakeAction.Reopen, EmailIntakeRules.Decide(CaseStatus.Resolved, now.AddDays(-6.9), now, 7));
        Assert.Equal(IntakeAction.NewReferring, EmailIntakeRules.Decide(CaseStatus.Resolved, now.AddDays(-7), now, 7));
        Assert.Equal(IntakeAction.NewReferring, EmailIntakeRules.Decide(CaseStatus.Cancelled, now.AddDays(-1), now, 0));
    }

    [Fact]
    public void TheTitle_ComesFromTheSubject_WithinItsLength()
    {
        Assert.Equal("de@x.com", EmailIntakeRules.TitleFrom("  ", "de@x.com"));
        Assert.Equal(200, EmailIntakeRules.TitleFrom(new string('a', 500), "x").Length);
        Assert.Equal("Hola", EmailIntakeRules.TitleFrom(" Hola ", "x"));
    }
}
