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
        Assert.Equal("jose nunez jose@example.com", SearchText.Combine(Limits.SortName, "José", "Núñez", "JOSE@example.com"));
    }

    [Fact]
    public void Combine_SkipsMissingParts()
    {
        Assert.Equal("ana telefonica", SearchText.Combine(Limits.SortName, null, "Ana", "", "   ", "Telefónica", null));
    }

    [Fact]
    public void Combine_OfNothing_IsEmpty()
    {
        Assert.Equal(string.Empty, SearchText.Combine(Limits.SortName, null, " "));
    }

    [Fact]
    public void Combine_CutsTheResultToTheColumnLength()
    {
        var longPart = new string('a', Limits.SortName);

        var combined = SearchText.Combine(Limits.SortName, "Bea", longPart);

        Assert.Equal(Limits.SortName, combined.Length);
        Assert.StartsWith("bea a", combined, StringComparison.Ordinal);
    }

    [Fact]
    public void Combine_KeepsTextThatFitsExactly()
    {
        var part = new string('b', Limits.SortName);

        Assert.Equal(part, SearchText.Combine(Limits.SortName, part));
    }

    [Theory]
    [InlineData("García", new[] { "garcia" })]
    [InlineData("  ana   LÓPEZ ", new[] { "ana", "lopez" })]
    [InlineData("ana ana", new[] { "ana" })]
    [InlineData("@correo.test", new[] { "correo.test" })]
    [InlineData("\"comillas\"", new[] { "comillas\"" })]
    [InlineData("+34 600 111 222", new[] { "34", "600", "111", "222" })]
    [InlineData("(600) 111-222", new[] { "600", "111222" })]
    [InlineData("100%", new[] { "100%" })]
    [InlineData("@ * --", new string[0])]
    [InlineData("uno dos tres cuatro cinco seis", new[] { "uno", "dos", "tres", "cuatro", "cinco" })]
    public void SearchWords_FoldsSplitsAndDropsLeadingPunctuation(string typed, string[] expected)
    {
        Assert.Equal(expected, SearchText.SearchWords(typed));
    }

    [Fact]
    public void SearchWords_AndTerms_AreCutToTheTermLength_NeverInsideASurrogatePair()
    {
        var typed = new string('a', Limits.SearchTerm - 1) + "𝔸bc";

        var word = Assert.Single(SearchText.SearchWords(typed));
        var term = Assert.Single(SearchText.Terms([typed], []));

        Assert.Equal(new string('a', Limits.SearchTerm - 1), word);
        Assert.Equal(word, term);
    }

    [Theory]
    [InlineData("García-Pérez", new[] { "garcia-perez", "perez" })]
    [InlineData("ana.lopez@correo.test", new[] { "ana.lopez@correo.test", "correo.test", "lopez@correo.test", "test" })]
    [InlineData("O'Brien", new[] { "brien", "o'brien" })]
    [InlineData("(nota)", new[] { "nota)" })]
    [InlineData("- & -", new string[0])]
    public void Terms_StartAtEveryWordAndAfterPunctuation(string text, string[] expected)
    {
        Assert.Equal(expected, SearchText.Terms([text], []).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("+34 600 111 222", new[] { "00111222", "0111222", "111222", "11222", "1222", "222", "34600111222", "4600111222", "600111222" })]
    [InlineData("12", new[] { "12" })]
    [InlineData("ext.", new string[0])]
    public void Terms_IndexEveryRunOfAPhonesDigitsToTheEnd(string phone, string[] expected)
    {
        Assert.Equal(expected, SearchText.Terms([], [phone]).Order(StringComparer.Ordinal));
    }
}
