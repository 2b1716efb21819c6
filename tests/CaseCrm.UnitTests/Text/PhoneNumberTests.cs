using CaseCrm.Domain.Text;
using Xunit;

namespace CaseCrm.UnitTests.Text;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("+34 600 11 22 33", "600112233")]
    [InlineData("0034600112233", "600112233")]
    [InlineData("(+34) 600 11 22 33", "600112233")]
    [InlineData("00 34 600 11 22 33", "600112233")]
    [InlineData("600112233", "600112233")]
    [InlineData("600 11 22 33", "600112233")]
    [InlineData("+1 (555) 123-4567", "5551234567")]
    [InlineData("+7 495 123 45 67", "4951234567")]
    [InlineData("+44 20 7946 0000", "2079460000")]
    [InlineData("020 7946 0000", "2079460000")]
    [InlineData("+52 55 1234 5678", "5512345678")]
    [InlineData("+593 2 123 4567", "21234567")]
    [InlineData("+351 912 345 678", "912345678")]
    [InlineData("+39 06 1234 5678", "612345678")]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("+34", "")]
    [InlineData("+", "")]
    [InlineData("00", "")]
    public void NationalDigits_DropTheInternationalPrefixAndLeadingZeros(string? number, string expected)
    {
        Assert.Equal(expected, PhoneNumber.NationalDigits(number));
    }

    [Fact]
    public void AStoredPhone_EndsWithTheNationalDigits_HoweverEitherIsWritten()
    {
        string[] stored = ["600 11 22 33", "+34 600 11 22 33", "0034 600 112 233"];
        string[] asked = ["+34 600 11 22 33", "0034600112233", "600112233"];

        foreach (var phone in stored)
        {
            var terms = SearchText.Terms([], [phone]);
            Assert.All(asked, number => Assert.Contains(PhoneNumber.NationalDigits(number), terms));
        }
    }
}
