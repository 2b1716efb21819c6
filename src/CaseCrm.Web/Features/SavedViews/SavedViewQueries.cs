using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.SavedViews;

/// <summary>A saved view as the case list's tabs show it; <see cref="Query"/> is checked (<see cref="SavedFilter"/>).</summary>
public sealed record SavedViewTab(int Id, string Name, string Query, bool IsShared);

/// <summary>The tabs of the case list: the three base views and the user's saved ones; <see cref="Current"/> is the saved view opened.</summary>
public sealed record SavedViewTabs(string View, int? Current, IReadOnlyList<SavedViewTab> Views);

/// <summary>A row of "Vistas guardadas"; <see cref="Editable"/>: the user may rename and delete it.</summary>
public sealed record SavedViewRow(int Id, string Name, string Query, bool IsShared, string OwnerName, bool Editable);

/// <summary>The reads of saved views: the case list's tabs (one statement) and the management page.</summary>
public sealed class SavedViewQueries(CrmDbContext db)
{
    /// <summary>The most saved views the case list shows as tabs; "Vistas guardadas" lists them all.</summary>
    public const int MaxTabs = 20;

    public async Task<SavedViewTabs> TabsAsync(string userId, string view, int? current, CancellationToken ct)
    {
        var rows = await db.SavedViews.AsNoTracking()
            .Where(SavedView.VisibleTo(userId))
            .OrderBy(v => v.Name).ThenBy(v => v.Id)
            .Take(MaxTabs)
            .Select(v => new { v.Id, v.Name, v.Query, v.IsShared })
            .ToListAsync(ct);
        var tabs = rows.Select(v => new SavedViewTab(v.Id, v.Name, SavedFilter.ToQuery(SavedFilter.Parse(v.Query)), v.IsShared)).ToList();
        return new SavedViewTabs(view, tabs.Any(t => t.Id == current) ? current : null, tabs);
    }

    /// <summary>Every view the user sees: their own and the shared ones, by name.</summary>
    public async Task<IReadOnlyList<SavedViewRow>> ListAsync(string userId, bool isSupervisor, CancellationToken ct)
    {
        var rows = await db.SavedViews.AsNoTracking()
            .Where(SavedView.VisibleTo(userId))
            .OrderBy(v => v.Name).ThenBy(v => v.Id)
            .Select(v => new { v.Id, v.Name, v.Query, v.IsShared, v.OwnerId, Owner = db.Users.Where(u => u.Id == v.OwnerId).Select(u => u.DisplayName).First() })
            .ToListAsync(ct);
        return rows.Select(v => new SavedViewRow(v.Id, v.Name, v.Query, v.IsShared, v.Owner, SavedView.IsEditable(v.OwnerId, v.IsShared, userId, isSupervisor))).ToList();
    }
}
