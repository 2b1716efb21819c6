using CaseCrm.Domain.Accounts;

namespace CaseCrm.Domain.Contacts;

/// <summary>What a person fills in for a contact; blank values become null.</summary>
public sealed record ContactDetails(
    string? FirstName, string? LastName, string? Email, string? Phone, string? Mobile, string? JobTitle, int? AccountId);

/// <summary>A person who contacts the service team, optionally working for an account.</summary>
public class Contact
{
    private Contact()
    {
    }

    /// <summary>A new contact; <paramref name="accountName"/> is the name of the account it works for, if any.</summary>
    public Contact(ContactDetails details, string? accountName, string? ownerId, DateTime now)
    {
        OwnerId = ownerId;
        CreatedAt = now;
        Update(details, accountName, now);
    }

    public int Id { get; private set; }
    public string? FirstName { get; private set; }
    public string? LastName { get; private set; }
    public string? Email { get; private set; }
    public string? Phone { get; private set; }
    public string? Mobile { get; private set; }
    public string? JobTitle { get; private set; }
    public int? AccountId { get; private set; }
    public Account? Account { get; private set; }
    public string? OwnerId { get; private set; }

    /// <summary>Folded "last first", the sort key of the contact list.</summary>
    public string SortName { get; private set; } = string.Empty;

    /// <summary>
    /// The contact's entries in the search index (ADR 0009), kept current by every change. Null until loaded: a contact
    /// read from the database must be read with its terms before its name, email, phones or account change.
    /// </summary>
    public List<ContactSearchTerm>? SearchTerms { get; private set; }

    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public string FullName => FormatName(FirstName, LastName);

    public ContactDetails Details => new(FirstName, LastName, Email, Phone, Mobile, JobTitle, AccountId);

    /// <summary>Changes what a person filled in; the search terms follow.</summary>
    public void Update(ContactDetails details, string? accountName, DateTime now)
    {
        FirstName = Clean(details.FirstName);
        LastName = Clean(details.LastName);
        Email = Clean(details.Email);
        Phone = Clean(details.Phone);
        Mobile = Clean(details.Mobile);
        JobTitle = Clean(details.JobTitle);
        AccountId = details.AccountId;
        UpdatedAt = now;
        RefreshSearchText(accountName);
    }

    /// <summary>
    /// Recomputes the sort name and the search terms from the name, email, phones and <paramref name="accountName"/>
    /// (also when the account is renamed). Terms that stay are kept, so an edit writes only what changed.
    /// </summary>
    public void RefreshSearchText(string? accountName)
    {
        SortName = Text.SearchText.Combine(Limits.SortName, LastName, FirstName);
        var sortName = SortName;
        var wanted = Text.SearchText.Terms([FirstName, LastName, Email, accountName], [Phone, Mobile]);
        if (SearchTerms is null)
        {
            SearchTerms = Id == 0
                ? []
                : throw new InvalidOperationException($"Contact {Id} was read without its search terms (Include(c => c.SearchTerms)).");
        }

        SearchTerms.RemoveAll(t => !wanted.Contains(t.Term));
        foreach (var term in SearchTerms)
        {
            term.SortName = sortName;
            wanted.Remove(term.Term);
        }

        SearchTerms.AddRange(wanted.Order(StringComparer.Ordinal).Select(t => new ContactSearchTerm(t, sortName)));
    }

    /// <summary>"First Last", or whichever of the two exists.</summary>
    public static string FormatName(string? firstName, string? lastName) =>
        string.Join(' ', new[] { firstName, lastName }.Where(p => !string.IsNullOrWhiteSpace(p))!);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
