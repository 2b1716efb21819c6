using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Features.Contacts;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.Search;

/// <summary>The results page of the quick search: both lists, each cut short, or a message.</summary>
public sealed record SearchModel(string? Q, Page<ContactRow>? Contacts, Page<CaseRow>? Cases, string? NoCaseNumber)
{
    /// <summary>How many rows of each list the results page shows; the full lists are a link away.</summary>
    public const int Shown = 10;
}

/// <summary>
/// The top bar's quick search: a case number opens the case; any other text finds contacts (the contact list's search:
/// name, email, phone) and cases by title (the case list's search). A single match opens directly.
/// </summary>
[Route("Search")]
public sealed class SearchController(CrmDbContext db, ContactQueries contacts, CaseQueries cases, CurrentUser me) : Controller
{
    /// <summary>Longer text is cut: no name, email, phone or title the search finds is longer.</summary>
    public const int MaxLength = 200;

    // Up to six digits, with or without "CAS-", is read as a case number (CAS-000123); longer runs of digits are phones.
    private const int CaseNumberDigits = 6;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? q, CancellationToken ct)
    {
        var text = q?.Trim() is { Length: > 0 } t ? (t.Length > MaxLength ? t[..MaxLength] : t) : null;
        if (text is null)
        {
            return View(new SearchModel(null, null, null, null));
        }

        var hasPrefix = text.StartsWith(CaseNumber.Prefix, StringComparison.OrdinalIgnoreCase);
        if (CaseNumber.TryParse(text) is { } id && (hasPrefix || text.Length <= CaseNumberDigits))
        {
            if (await db.Cases.AnyAsync(c => c.Id == id, ct))
            {
                return Redirect(Url.Content($"~/Cases/{id}"));
            }

            if (hasPrefix)
            {
                return View(new SearchModel(text, null, null, CaseNumber.Format(id)));
            }
        }

        var foundContacts = await contacts.ListAsync(text, new SortOrder("name", false), 1, Paging.Size, ct);
        // The case list's search, over all cases: by title (digits alone are read there as a case number, as in the list).
        var foundCases = await cases.ListAsync(
            new CaseListFilter { View = CaseListFilter.AllView, Q = text }, new SortOrder("updated", true), me.Id, ct);

        if (foundContacts.Count + foundCases.Count == 1)
        {
            return Redirect(foundContacts.Count == 1
                ? Url.Content($"~/Contacts/{foundContacts.Items[0].Id}")
                : Url.Content($"~/Cases/{foundCases.Items[0].Id}"));
        }

        return View(new SearchModel(text, foundContacts, foundCases, null));
    }
}
