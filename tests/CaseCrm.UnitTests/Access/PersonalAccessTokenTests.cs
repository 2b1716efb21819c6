using CaseCrm.Domain;
using CaseCrm.Domain.Access;
using Xunit;

namespace CaseCrm.UnitTests.Access;

/// <summary>A personal access token: a name, an expiry in the future within a year, a random secret kept only as its hash.</summary>
public sealed class PersonalAccessTokenTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Create_KeepsTheHashAndPrefix_NeverTheSecret()
    {
        var (token, secret) = PersonalAccessToken.Create("u1", "  Centralita ", Now.AddDays(30), Now);

        Assert.StartsWith(PersonalAccessToken.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.Equal("Centralita", token.Name);
        Assert.Equal(PersonalAccessToken.Hash(secret), token.SecretHash);
        Assert.Equal(64, token.SecretHash.Length);
        Assert.Equal(secret[..PersonalAccessToken.DisplayPrefixLength], token.Prefix);
        Assert.NotEqual(secret, token.SecretHash);
        Assert.NotEqual(secret, PersonalAccessToken.Create("u1", "Otro", Now.AddDays(30), Now).Secret);
        Assert.True(token.IsUsable(Now));
    }

    [Theory]
    [InlineData("", 30)]
    [InlineData("   ", 30)]
    [InlineData("Centralita", 0)]
    [InlineData("Centralita", -1)]
    [InlineData("Centralita", 367)]
    public void Create_RefusesNoNameOrAnExpiryOutOfRange(string name, int days)
    {
        Assert.ThrowsAny<ArgumentException>(() => PersonalAccessToken.Create("u1", name, Now.AddDays(days), Now));
    }

    [Fact]
    public void Create_RefusesATooLongName()
    {
        Assert.ThrowsAny<ArgumentException>(() => PersonalAccessToken.Create("u1", new string('a', Limits.TokenName + 1), Now.AddDays(1), Now));
    }

    [Fact]
    public void RevokedOrExpired_IsNotUsable_AndRevokingTwiceKeepsTheFirstTime()
    {
        var (token, _) = PersonalAccessToken.Create("u1", "Informes", Now.AddDays(1), Now);
        Assert.False(token.IsUsable(Now.AddDays(1)));

        token.Revoke(Now);
        token.Revoke(Now.AddHours(1));

        Assert.Equal(Now, token.RevokedAt);
        Assert.False(token.IsUsable(Now));
    }
}
