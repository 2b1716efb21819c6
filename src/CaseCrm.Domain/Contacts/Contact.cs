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

    /// <summary>Folded "last first", the sort key of the contact list.</summary>
    public string SortName { get; private set; } = string.Empty;

    /// <summary>
    /// The contact's entries in the search index (ADR 0009), kept current by <see cref="RefreshSearchText"/>. Null until
    /// loaded: a contact read from the database must be read with its terms before its name, email, phones or account
    /// change.
    /// </summary>
    public List<ContactSearchTerm>? SearchTerms { get; private set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string FullName => FormatName(FirstName, LastName);

    /// <summary>
    /// Recomputes the sort name and the search terms from the name, email, phones and <paramref name="accountName"/>;
    /// call after changing any of them. Terms that stay are kept, so an edit writes only what changed.
    /// </summary>
    public void RefreshSearchText(string? accountName)
    {
        SortName = Text.SearchText.Combine(LastName, FirstName);
        var sortName = SortName.Length <= Limits.SortName ? SortName : SortName[..Limits.SortName];
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
}
