using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.Text;

namespace CaseCrm.Domain.Accounts;

/// <summary>What a person fills in for an account; blank optional values become null.</summary>
public sealed record AccountDetails(string Name, string? TaxId, string? Phone, string? Email, string? Website, string? Address);

/// <summary>A customer organisation ("cuenta" or "cliente").</summary>
public class Account
{
    private Account()
    {
    }

    public Account(AccountDetails details, string? ownerId, DateTime now)
    {
        OwnerId = ownerId;
        CreatedAt = now;
        Update(details, [], now);
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = string.Empty;

    /// <summary>The folded name, for accent- and case-insensitive search and sorting.</summary>
    public string SearchName { get; private set; } = string.Empty;
    public string? TaxId { get; private set; }
    public string? Phone { get; private set; }
    public string? Email { get; private set; }
    public string? Website { get; private set; }
    public string? Address { get; private set; }
    public string? OwnerId { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public AccountDetails Details => new(Name, TaxId, Phone, Email, Website, Address);

    /// <summary>True when saving <paramref name="details"/> changes the name, so that the contacts must come along.</summary>
    public bool IsRenamedBy(AccountDetails details) => Name != details.Name.Trim();

    /// <summary>
    /// Changes what a person filled in. A rename refreshes the search terms of <paramref name="contacts"/>, which must
    /// then be all of this account's contacts, read with their terms (their terms hold the account name's words).
    /// </summary>
    public void Update(AccountDetails details, IReadOnlyCollection<Contact> contacts, DateTime now)
    {
        if (contacts.Any(c => c.AccountId != Id))
        {
            throw new InvalidOperationException($"Only the contacts of account {Id} follow its name.");
        }

        var renamed = IsRenamedBy(details);
        Name = details.Name.Trim();
        SearchName = SearchText.Fold(Name, Limits.AccountName);
        TaxId = Clean(details.TaxId);
        Phone = Clean(details.Phone);
        Email = Clean(details.Email);
        Website = Clean(details.Website);
        Address = Clean(details.Address);
        UpdatedAt = now;
        if (renamed)
        {
            foreach (var contact in contacts)
            {
                contact.RefreshSearchText(Name);
            }
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
