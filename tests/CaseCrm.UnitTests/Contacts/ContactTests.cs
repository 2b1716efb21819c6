using CaseCrm.Domain.Contacts;
using Xunit;

namespace CaseCrm.UnitTests.Contacts;

public class ContactTests
{
    [Fact]
    public void RefreshSearchText_IndexesNameEmailPhonesAndAccount()
    {
        var contact = New("José", "Núñez Álvarez", "J.Nunez@Example.com", "910 000 000", "+34 600-111-222", "Telefónica Móviles");

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
        var contact = New("Ana", "López", account: "Iberdrola");
        var ana = contact.SearchTerms!.Single(t => t.Term == "ana");

        contact.Update(contact.Details with { LastName = "Muñoz" }, null, DateTime.UtcNow);

        Assert.Equal(["ana", "munoz"], Terms(contact));
        Assert.Same(ana, contact.SearchTerms!.Single(t => t.Term == "ana"));
        Assert.Equal("munoz ana", ana.SortName);
        Assert.Equal("munoz ana", contact.SortName);
    }

    [Fact]
    public void RefreshSearchText_SortsByLastNameThenFirstName()
    {
        var contact = New("Ángela", "Ómnibus");

        Assert.Equal("omnibus angela", contact.SortName);
    }

    [Fact]
    public void RefreshSearchText_SkipsMissingValues()
    {
        var contact = New(null, "Pérez");

        Assert.Equal(["perez"], Terms(contact));
        Assert.Equal("perez", contact.SortName);
    }

    [Fact]
    public void RefreshSearchText_RefusesAStoredContactWhoseTermsWereNotRead()
    {
        var contact = New(null, "Pérez");
        typeof(Contact).GetProperty(nameof(Contact.Id))!.SetValue(contact, 7);
        typeof(Contact).GetProperty(nameof(Contact.SearchTerms))!.SetValue(contact, null);

        Assert.Throws<InvalidOperationException>(() => contact.RefreshSearchText(null));
    }

    private static Contact New(string? first, string? last, string? email = null, string? phone = null, string? mobile = null, string? account = null) =>
        new(new ContactDetails(first, last, email, phone, mobile, null, null), account, null, DateTime.UtcNow);

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
        Assert.Equal(expected, New(first, last).FullName);
    }
}
