using CaseCrm.Data;
using CaseCrm.Domain.Text;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.Accounts;

public sealed record AccountOption(int Id, string Name);

/// <summary>
/// The account choices a form offers: the current and suggested accounts plus those matching a search.
/// Forms never list every account, so they stay light however many accounts there are.
/// </summary>
public sealed class AccountLookup(CrmDbContext db)
{
    public const int MaxMatches = 20;

    public async Task<IReadOnlyList<AccountOption>> OptionsAsync(IEnumerable<int?> keep, string? search, CancellationToken ct = default)
    {
        var ids = keep.OfType<int>().Distinct().ToList();
        var options = ids.Count == 0
            ? []
            : await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new AccountOption(a.Id, a.Name)).ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(search))
        {
            options.AddRange(await SearchAsync(search, ct));
        }

        return options.DistinctBy(o => o.Id).OrderBy(o => o.Name, StringComparer.CurrentCulture).ToList();
    }

    public async Task<IReadOnlyList<AccountOption>> SearchAsync(string search, CancellationToken ct = default)
    {
        var folded = SearchText.Fold(search);
        return await db.Accounts.AsNoTracking()
            .Where(a => a.SearchName.Contains(folded))
            .OrderBy(a => a.SearchName)
            .Take(MaxMatches)
            .Select(a => new AccountOption(a.Id, a.Name))
            .ToListAsync(ct);
    }
}
