using CaseCrm.Domain;
using CaseCrm.Domain.Text;
using Xunit;

namespace CaseCrm.UnitTests.Text;

public class SearchTextTests
{
    [Theory]
    [InlineData("Núñez ÁLVAREZ", "nunez alvarez")]
    [InlineData("José Pérez", "jose perez")]
    [InlineData("MARÍA", "maria")]
    [InlineData("Güemes", "guemes")]
    [InlineData("Ñandú", "nandu")]
    [InlineData("Françoise Gérard", "francoise gerard")]
    [InlineData("  Ana López  ", "ana lopez")]
    [InlineData("ANA@EXAMPLE.COM", "ana@example.com")]
    [InlineData("+34 600 11 22 33", "+34 600 11 22 33")]
    [InlineData("nunez", "nunez")]
    public void Fold_LowerCasesAndStripsAccents(string input, string expected)
    {
        Assert.Equal(expected, SearchText.Fold(input));
    }

    [Fact]
    public void Fold_TreatsPrecomposedAndDecomposedAccentsAlike()
    {
        var precomposed = "N\u00fa\u00f1ez";
        var decomposed = "Nu\u0301n\u0303ez";

        Assert.Equal("nunez", SearchText.Fold(precomposed));
        Assert.Equal("nunez", SearchText.Fold(decomposed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Fold_ReturnsEmptyForMissingText(string? input)
    {
        Assert.Equal(string.Empty, SearchText.Fold(input));
    }

    [Fact]
    public void Combine_FoldsAndJoinsPartsWithSingleSpaces()
    {
        Assert.Equal("jose nunez jose@example.com", SearchText.Combine("José", "Núñez", "JOSE@example.com"));
    }

    [Fact]
    public void Combine_SkipsMissingParts()
    {
        Assert.Equal("ana telefonica", SearchText.Combine(null, "Ana", "", "   ", "Telefónica", null));
    }

    [Fact]
    public void Combine_OfNothing_IsEmpty()
    {
        Assert.Equal(string.Empty, SearchText.Combine(null, " "));
    }

    [Fact]
    public void Combine_CutsTheResultToTheColumnLength()
    {
        var longPart = new string('a', Limits.SearchText);

        var combined = SearchText.Combine("Bea", longPart);

        Assert.Equal(Limits.SearchText, combined.Length);
        Assert.StartsWith("bea a", combined, StringComparison.Ordinal);
    }

    [Fact]
    public void Combine_KeepsTextThatFitsExactly()
    {
        var part = new string('b', Limits.SearchText);

        Assert.Equal(part, SearchText.Combine(part));
    }
}
