using CaseCrm.Domain.Contacts;
using Xunit;

namespace CaseCrm.UnitTests.Contacts;

public class ContactTests
{
    [Fact]
    public void RefreshSearchText_IndexesNameEmailPhonesAndAccount()
    {
        var contact = new Contact
        {
            FirstName = "José",
            LastName = "Núñez Álvarez",
            Email = "J.Nunez@Example.com",
            Phone = "910 000 000",
            Mobile = "+34 600-111-222",
        };

        contact.RefreshSearchText("Telefónica Móviles");

        Assert.Equal(
            [
                "000", "0000", "00000", "000000", "0000000", "00111222", "0111222", "10000000", "111222", "11222", "1222", "222",
                "34600111222", "4600111222", "600111222", "910000000",
                "alvarez", "com", "example.com", "j.nunez@example.com", "jose", "moviles", "nunez", "nunez@example.com", "telefonica",
            ],
            Terms(contact));
        Assert.All(contact.SearchTerms!, t => Assert.Equal("nunez alvarez jose", t.SortName));
    }

    [Fact]
    public void RefreshSearchText_KeepsTheTermsThatStay_AndFollowsTheChanges()
    {
        var contact = new Contact { FirstName = "Ana", LastName = "López" };
        contact.RefreshSearchText("Iberdrola");
        var ana = contact.SearchTerms!.Single(t => t.Term == "ana");

        contact.LastName = "Muñoz";
        contact.RefreshSearchText(null);

        Assert.Equal(["ana", "munoz"], Terms(contact));
        Assert.Same(ana, contact.SearchTerms!.Single(t => t.Term == "ana"));
        Assert.Equal("munoz ana", ana.SortName);
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

        Assert.Equal(["perez"], Terms(contact));
        Assert.Equal("perez", contact.SortName);
    }

    [Fact]
    public void RefreshSearchText_RefusesAStoredContactWhoseTermsWereNotRead()
    {
        var contact = new Contact { Id = 7, LastName = "Pérez" };

        Assert.Throws<InvalidOperationException>(() => contact.RefreshSearchText(null));
    }

    private static List<string> Terms(Contact contact) => [.. contact.SearchTerms!.Select(t => t.Term).Order(StringComparer.Ordinal)];

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
