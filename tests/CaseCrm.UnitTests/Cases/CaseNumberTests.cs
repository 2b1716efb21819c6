using CaseCrm.Domain.Cases;
using Xunit;

namespace CaseCrm.UnitTests.Cases;

public class CaseNumberTests
{
    [Theory]
    [InlineData(1, "CAS-000001")]
    [InlineData(123, "CAS-000123")]
    [InlineData(999_999, "CAS-999999")]
    [InlineData(1_234_567, "CAS-1234567")]
    public void Format_PadsTheIdToSixDigitsAfterThePrefix(int id, string expected)
    {
        Assert.Equal(expected, CaseNumber.Format(id));
    }

    [Theory]
    [InlineData("CAS-000123", 123)]
    [InlineData("cas-123", 123)]
    [InlineData("Cas-000123", 123)]
    [InlineData("123", 123)]
    [InlineData("000123", 123)]
    [InlineData("  CAS-000123  ", 123)]
    [InlineData("CAS-1234567", 1_234_567)]
    public void TryParse_ReadsNumbersWithOrWithoutPrefix(string text, int expected)
    {
        Assert.Equal(expected, CaseNumber.TryParse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("CAS--5")]
    [InlineData("+5")]
    [InlineData("0")]
    [InlineData("CAS-000000")]
    [InlineData("CAS-")]
    [InlineData("CAS-12a")]
    [InlineData("1.000")]
    [InlineData("CAS- 12")]
    [InlineData("CASE-12")]
    [InlineData("99999999999")]
    public void TryParse_ReturnsNullForTextThatIsNotACaseNumber(string? text)
    {
        Assert.Null(CaseNumber.TryParse(text));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(123)]
    [InlineData(int.MaxValue)]
    public void TryParse_ReadsBackWhatFormatWrites(int id)
    {
        Assert.Equal(id, CaseNumber.TryParse(CaseNumber.Format(id)));
    }
}
