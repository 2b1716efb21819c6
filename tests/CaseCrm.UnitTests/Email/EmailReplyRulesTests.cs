using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using Xunit;

namespace CaseCrm.UnitTests.Email;

public sealed class EmailReplyRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("Pedido retrasado", "Re: Pedido retrasado [CAS-000123]")]
    [InlineData("RE: Re: Pedido retrasado", "Re: Pedido retrasado [CAS-000123]")]
    [InlineData("Re: Pedido retrasado [CAS-000123]", "Re: Pedido retrasado [CAS-000123]")]
    [InlineData("Fwd: [cas-000123] Pedido", "Re: Pedido [CAS-000123]")]
    [InlineData("RV: Factura", "Re: Factura [CAS-000123]")]
    public void AReplysSubject_HasOneRe_AndTheCaseTagOnce(string subject, string expected) =>
        Assert.Equal(expected, EmailReplyRules.ReplySubject(subject, 123));

    [Fact]
    public void AReplysSubject_StaysWithinTheLimit_AndKeepsItsTag()
    {
        var subject = EmailReplyRules.ReplySubject(new string('x', 2_000), 5);

        Assert.Equal(CaseCrm.Domain.Limits.EmailSubject, subject.Length);
        Assert.StartsWith("Re: xxx", subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hemos recibido su mensaje", "Hemos recibido su mensaje [CAS-000009]")]
    [InlineData("Caso [CAS-000009] abierto", "Caso [CAS-000009] abierto")]
    public void ATaggedSubject_CarriesTheCaseTagOnce(string subject, string expected) =>
        Assert.Equal(expected, EmailReplyRules.Tagged(subject, 9));

    [Fact]
    public void TheReferences_AreTheThreadsLastIds_OldestFirst()
    {
        var ids = Enumerable.Range(1, 15).Select(i => $"m{i}@x").ToList();

        Assert.Equal("m6@x m7@x m8@x m9@x m10@x m11@x m12@x m13@x m14@x m15@x", EmailReplyRules.References(ids));
        Assert.Null(EmailReplyRules.References([]));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(7, 60)]
    public void TheRetryDelay_DoublesFromTheFirst_UpToTheMost(int attempts, int minutes) =>
        Assert.Equal(Now.AddMinutes(minutes), EmailReplyRules.NextAttempt(attempts, 8, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), Now));

    [Fact]
    public void AfterItsLastAttempt_AMessageIsGivenUp() =>
        Assert.Null(EmailReplyRules.NextAttempt(8, 8, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), Now));
}

public sealed class QuickReplyTests
{
    private static readonly PlaceholderValues Values = new("Ana López", 42, "Sin conexión", "Luis Agente");

    [Fact]
    public void ThePlaceholders_AreFilledWithTheCasesValues()
    {
        var text = QuickReply.Render("Hola {contacto.nombre}: su caso {caso.numero} («{caso.titulo}»). {agente.nombre}", Values);

        Assert.Equal("Hola Ana López: su caso CAS-000042 («Sin conexión»). Luis Agente", text);
    }

    [Fact]
    public void AValue_IsNeverExpandedAgain()
    {
        var text = QuickReply.Render("{caso.titulo}", Values with { CaseTitle = "{agente.nombre}" });

        Assert.Equal("{agente.nombre}", text);
    }

    [Fact]
    public void AnUnknownPlaceholder_IsRefused_NamingEachOnce()
    {
        var reply = new QuickReply();

        var refused = Assert.Throws<CaseRuleException>(() => reply.Update("Saludo", "Caso {caso.numro}", "Hola {cliente.nombre} {cliente.nombre}, {contacto.nombre}"));

        Assert.Equal(["caso.numro", "cliente.nombre"], refused.Violations.Select(v => v.Args[0]));
        Assert.All(refused.Violations, v => Assert.Equal(CaseRuleCode.UnknownPlaceholder, v.Code));
        Assert.Equal(string.Empty, reply.Name);
    }

    [Fact]
    public void BracesThatAreNotAPlaceholder_AreText()
    {
        var reply = new QuickReply();

        reply.Update("JSON", "Formato", "Envíe {} o { contacto } tal cual.");

        Assert.Equal("Envíe {} o { contacto } tal cual.", QuickReply.Render(reply.Body, Values));
    }
}
