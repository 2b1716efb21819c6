using System.Collections.Concurrent;
using System.Linq.Expressions;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;

namespace CaseCrm.Web.Features.SavedViews;

/// <summary>A saved view as the case list's tabs show it; <see cref="Query"/> is checked (<see cref="SavedFilter"/>).</summary>
public sealed record SavedViewTab(int Id, string Name, string Query, bool IsShared);

/// <summary>The tabs of the case list: the three base views and the user's saved ones; <see cref="Current"/> is the saved view opened.</summary>
public sealed record SavedViewTabs(string View, int? Current, IReadOnlyList<SavedViewTab> Views);

/// <summary>A row of "Vistas guardadas"; <see cref="Editable"/>: the user may rename and delete it.</summary>
public sealed record SavedViewRow(int Id, string Name, string Query, bool IsShared, string OwnerName, bool Editable);

/// <summary>
/// The reads of saved views: the case list's tabs (one statement) and the management page. Both are compiled once
/// (CompiledQueries): the tabs are read on every request of the case list.
/// </summary>
public sealed class SavedViewQueries(CrmDbContext db)
{
    /// <summary>The most saved views the case list shows as tabs; "Vistas guardadas" lists them all.</summary>
    public const int MaxTabs = 20;

    public async Task<SavedViewTabs> TabsAsync(string userId, string view, int? current, CancellationToken ct)
    {
        var tabs = new List<SavedViewTab>();
        await foreach (var v in CompiledQueries.For(TabQueries, db, CompileTabQuery)(db, userId).WithCancellation(ct))
        {
            tabs.Add(new SavedViewTab(v.Id, v.Name, SavedFilter.ToQuery(SavedFilter.Parse(v.Query)), v.IsShared));
        }

        return new SavedViewTabs(view, tabs.Any(t => t.Id == current) ? current : null, tabs);
    }

    /// <summary>Every view the user sees: their own and the shared ones, by name.</summary>
    public async Task<IReadOnlyList<SavedViewRow>> ListAsync(string userId, bool isSupervisor, CancellationToken ct)
    {
        var rows = new List<SavedViewRow>();
        await foreach (var v in CompiledQueries.For(ListQueries, db, CompileListQuery)(db, userId).WithCancellation(ct))
        {
            rows.Add(new SavedViewRow(v.Id, v.Name, v.Query, v.IsShared, v.Owner, SavedView.IsEditable(v.OwnerId, v.IsShared, userId, isSupervisor)));
        }

        return rows;
    }

    private sealed record TabRow(int Id, string Name, string Query, bool IsShared);

    private sealed record ListRow(int Id, string Name, string Query, bool IsShared, string OwnerId, string Owner);

    private static readonly ConcurrentDictionary<IModel, Func<CrmDbContext, string, IAsyncEnumerable<TabRow>>> TabQueries = new();
    private static readonly ConcurrentDictionary<IModel, Func<CrmDbContext, string, IAsyncEnumerable<ListRow>>> ListQueries = new();

    private static Func<CrmDbContext, string, IAsyncEnumerable<TabRow>> CompileTabQuery() =>
        EF.CompileAsyncQuery(Visible((CrmDbContext db, string userId, Expression<Func<SavedView, bool>> visible) => db.SavedViews.AsNoTracking()
            .Where(visible)
            .OrderBy(v => v.Name).ThenBy(v => v.Id)
            .Take(MaxTabs)
            .Select(v => new TabRow(v.Id, v.Name, v.Query, v.IsShared))));

    private static Func<CrmDbContext, string, IAsyncEnumerable<ListRow>> CompileListQuery() =>
        EF.CompileAsyncQuery(Visible((CrmDbContext db, string userId, Expression<Func<SavedView, bool>> visible) => db.SavedViews.AsNoTracking()
            .Where(visible)
            .OrderBy(v => v.Name).ThenBy(v => v.Id)
            .Select(v => new ListRow(v.Id, v.Name, v.Query, v.IsShared, v.OwnerId, db.Users.Where(u => u.Id == v.OwnerId).Select(u => u.DisplayName).First()))));

    /// <summary>
    /// <paramref name="query"/> with the domain's rule (<see cref="SavedView.IsVisibleTo"/>) for the query's user in place
    /// of its <c>visible</c> parameter: a compiled query takes the user as a parameter, and the rule stays in one place.
    /// </summary>
    private static Expression<Func<CrmDbContext, string, IQueryable<T>>> Visible<T>(
        Expression<Func<CrmDbContext, string, Expression<Func<SavedView, bool>>, IQueryable<T>>> query)
    {
        var rule = SavedView.IsVisibleTo;
        var visible = Expression.Lambda<Func<SavedView, bool>>(
            ReplacingExpressionVisitor.Replace(rule.Parameters[1], query.Parameters[1], rule.Body), rule.Parameters[0]);
        return Expression.Lambda<Func<CrmDbContext, string, IQueryable<T>>>(
            ReplacingExpressionVisitor.Replace(query.Parameters[2], Expression.Quote(visible), query.Body), query.Parameters[0], query.Parameters[1]);
    }
}
