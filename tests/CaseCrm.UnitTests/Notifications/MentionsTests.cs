using CaseCrm.Domain.Notifications;
using CaseCrm.Domain.ServiceLevels;
using Xunit;

namespace CaseCrm.UnitTests.Notifications;

public sealed class MentionsTests
{
    [Theory]
    [InlineData("Hola @ana, ¿lo miras?", new[] { "ana" })]
    [InlineData("@Ana.Lopez y @PEDRO", new[] { "ana.lopez", "pedro" })]
    [InlineData("(@ana) @ana @ANA", new[] { "ana" })]
    [InlineData("Gracias @ana.", new[] { "ana" })]
    [InlineData("cc:@luis-\n@maría_j+soporte", new[] { "luis", "maría_j+soporte" })]
    [InlineData("Escriba a ana@cliente.es", new string[0])]
    [InlineData("@ana@cliente.es no es una mención", new string[0])]
    [InlineData("@@ana @ @. solo texto", new string[0])]
    [InlineData("", new string[0])]
    [InlineData(null, new string[0])]
    public void Handles_AreTheWordsAfterAnAtThatStartsAMention_LowerCaseAndOnce(string? text, string[] expected) =>
        Assert.Equal(expected, Mentions.Handles(text));

    [Fact]
    public void Handles_IgnoresARunLongerThanAnEmailsLocalPart_AndLooksAtMostTwentyUp()
    {
        Assert.Empty(Mentions.Handles("@" + new string('a', Mentions.MaxHandle + 1)));
        var many = string.Join(" ", Enumerable.Range(1, 30).Select(i => "@u" + i));
        Assert.Equal(Mentions.MaxPerText, Mentions.Handles(many).Count);
    }

    [Fact]
    public void Added_IsWhomAnEditNewlyMentions()
    {
        Assert.Equal(["luis"], Mentions.Added("Hola @ana", "Hola @ANA y @luis"));
        Assert.Empty(Mentions.Added("Hola @ana y @luis", "Hola @luis"));
        Assert.Equal(["ana"], Mentions.Added(null, "@ana"));
    }

    [Theory]
    [InlineData("Ana.Lopez@Empresa.es", "ana.lopez")]
    [InlineData("sin-arroba", "sin-arroba")]
    public void HandleOf_IsTheLocalPartOfTheUserName(string userName, string handle) =>
        Assert.Equal(handle, Mentions.HandleOf(userName));

    [Fact]
    public void Resolve_NamesTheOneActiveUserOfEachHandle_AndNobodyForAnUnknownOrSharedHandle()
    {
        (string, string)[] users =
        [
            ("1", "ana@empresa.es"), ("2", "luis@empresa.es"), ("3", "luis@filial.es"), ("4", "pedro@empresa.es"),
        ];

        Assert.Equal(["1"], Mentions.Resolve(["ana", "luis", "nadie"], users));
        Assert.Empty(Mentions.Resolve([], users));
    }

    [Fact]
    public void Notifies_EveryoneButTheActor()
    {
        Assert.True(Notification.Notifies("ana", "luis"));
        Assert.True(Notification.Notifies("ana", null));
        Assert.False(Notification.Notifies("ana", "ana"));
        Assert.False(Notification.Notifies(null, "luis"));
    }

    [Fact]
    public void ANotification_NamesItsTargetExactlyWhenItIsAboutAServiceLevel_AndIsReadOnce()
    {
        var now = new DateTime(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);
        Assert.Throws<ArgumentException>(() => new Notification("ana", NotificationKind.AtRisk, 1, null, now));
        Assert.Throws<ArgumentException>(() => new Notification("ana", NotificationKind.Assigned, 1, "luis", now, ServiceTarget.Resolution));

        var breached = new Notification("ana", NotificationKind.Breached, 1, null, now, ServiceTarget.FirstResponse);
        breached.MarkRead(now.AddMinutes(5));
        breached.MarkRead(now.AddMinutes(9));
        Assert.Equal(now.AddMinutes(5), breached.ReadAt);
    }
}
