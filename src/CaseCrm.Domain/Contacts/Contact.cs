using CaseCrm.Domain.Accounts;
using CaseCrm.Domain.Text;

namespace CaseCrm.Domain.Contacts;

/// <summary>A person who contacts the service team, optionally working for an account.</summary>
public class Contact
{
    public int Id { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Mobile { get; set; }
    public string? JobTitle { get; set; }
    public int? AccountId { get; set; }
    public Account? Account { get; set; }
    public string? OwnerId { get; set; }

    /// <summary>Folded name, email, phones and account name; kept current by <see cref="RefreshSearchText"/>.</summary>
    public string SearchText { get; private set; } = string.Empty;

    /// <summary>Folded "last first", the sort key of the contact list.</summary>
    public string SortName { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string FullName => FormatName(FirstName, LastName);

    /// <summary>Recomputes the folded search and sort columns; call after changing a name, phone, email or account.</summary>
    public void RefreshSearchText(string? accountName)
    {
        SearchText = Text.SearchText.Combine(FirstName, LastName, Email, Phone, Mobile, accountName, Digits(Phone), Digits(Mobile));
        SortName = Text.SearchText.Combine(LastName, FirstName);
    }

    // Phones are also indexed as bare digits so that "600111222" finds "+34 600 111 222".
    private static string Digits(string? phone) => phone is null ? string.Empty : new string(phone.Where(char.IsAsciiDigit).ToArray());

    /// <summary>"First Last", or whichever of the two exists.</summary>
    public static string FormatName(string? firstName, string? lastName) =>
        string.Join(' ', new[] { firstName, lastName }.Where(p => !string.IsNullOrWhiteSpace(p))!);
}
