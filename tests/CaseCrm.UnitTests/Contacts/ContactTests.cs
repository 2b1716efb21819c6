using CaseCrm.Domain.Contacts;
using Xunit;

namespace CaseCrm.UnitTests.Contacts;

public class ContactTests
{
    [Fact]
    public void RefreshSearchText_FoldsNameEmailPhonesAndAccount()
    {
        var contact = new Contact
        {
            FirstName = "José",
            LastName = "Núñez Álvarez",
            Email = "JNUNEZ@Example.com",
            Phone = "910 000 000",
            Mobile = "600 111 222",
        };

        contact.RefreshSearchText("Telefónica");

        Assert.StartsWith("jose nunez alvarez jnunez@example.com 910 000 000 600 111 222 telefonica", contact.SearchText, StringComparison.Ordinal);
    }

    [Fact]
    public void RefreshSearchText_AlsoIndexesPhonesAsBareDigits()
    {
        var contact = new Contact { FirstName = "Ana", Phone = "+34 910-000-000", Mobile = "600 111 222" };

        contact.RefreshSearchText(null);

        Assert.Contains("34910000000", contact.SearchText, StringComparison.Ordinal);
        Assert.Contains("600111222", contact.SearchText, StringComparison.Ordinal);
    }

    [Fact]
    public void RefreshSearchText_FollowsChangesToTheContact()
    {
        var contact = new Contact { FirstName = "Ana", LastName = "López" };
        contact.RefreshSearchText("Iberdrola");

        contact.LastName = "Muñoz";
        contact.RefreshSearchText(null);

        Assert.Contains("munoz", contact.SearchText, StringComparison.Ordinal);
        Assert.DoesNotContain("lopez", contact.SearchText, StringComparison.Ordinal);
        Assert.DoesNotContain("iberdrola", contact.SearchText, StringComparison.Ordinal);
        Assert.Equal("munoz ana", contact.SortName);
    }

    [Fact]
    public void RefreshSearchText_SortsByLastNameThenFirstName()
    {
        var contact = new Contact { FirstName = "Ángela", LastName = "Ómnibus" };

        contact.RefreshSearchText(null);

        Assert.Equal("omnibus angela", contact.SortName);
    }

    [Fact]
    public void RefreshSearchText_SkipsMissingValues()
    {
        var contact = new Contact { LastName = "Pérez" };

        contact.RefreshSearchText(null);

        Assert.Equal("perez", contact.SearchText);
        Assert.Equal("perez", contact.SortName);
    }

    [Theory]
    [InlineData("Ana", "López", "Ana López")]
    [InlineData("Ana", null, "Ana")]
    [InlineData(null, "López", "López")]
    [InlineData("  ", "López", "López")]
    [InlineData(null, null, "")]
    public void FormatName_JoinsTheNamesThatExist(string? first, string? last, string expected)
    {
        Assert.Equal(expected, Contact.FormatName(first, last));
        Assert.Equal(expected, new Contact { FirstName = first, LastName = last }.FullName);
    }
}
