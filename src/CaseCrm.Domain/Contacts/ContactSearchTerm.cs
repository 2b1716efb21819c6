namespace CaseCrm.Domain.Contacts;

/// <summary>
/// One entry of the contact search index (ADR 0009): a folded text that a contact's search words start with, and the
/// contact's sort name, so that the first page of a search in name order is read from the index alone.
/// </summary>
public class ContactSearchTerm
{
    public ContactSearchTerm(string term, string sortName)
    {
        Term = term;
        SortName = sortName;
    }

    public int ContactId { get; private set; }

    /// <summary>See <see cref="Text.SearchText.Terms"/>.</summary>
    public string Term { get; private set; }

    /// <summary>A copy of <see cref="Contact.SortName"/> (cut to <see cref="Limits.SortName"/>).</summary>
    public string SortName { get; internal set; }
}
