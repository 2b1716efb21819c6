using System.Globalization;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Cases;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace CaseCrm.Web.Features.SavedViews;

/// <summary>
/// What a saved view keeps of the case list — the base view, the filters and the sort — as the list's query string. It is
/// written from checked values in one order, and read back checked again: the stored text is never trusted, so an unknown
/// key is ignored and a value the list would not accept is dropped (ADR 0024).
/// </summary>
public static class SavedFilter
{
    /// <summary>The query parameter that marks the saved view a list was opened from (its tab is the current one).</summary>
    public const string Parameter = "savedView";

    /// <summary>The checked filter as a query string without "?": <c>view=active&amp;priority=Urgent&amp;assignee=none</c>.</summary>
    public static string ToQuery(CaseListFilter filter)
    {
        var f = Check(filter);
        var query = new QueryBuilder { { "view", f.EffectiveView } };
        Add("q", f.Q);
        Add("status", f.Status?.ToString());
        Add("categoryId", f.CategoryId?.ToString(CultureInfo.InvariantCulture));
        Add("priority", f.Priority?.ToString());
        Add("assignee", f.Assignee);
        Add("sla", f.Sla);
        Add("age", f.Age);
        Add("sort", f.Sort);
        Add("dir", f.Dir);
        return query.ToQueryString().Value![1..];

        void Add(string key, string? value)
        {
            if (value is not null)
            {
                query.Add(key, value);
            }
        }
    }

    /// <summary>The filter of a stored query string: known keys only (each once), each value checked.</summary>
    public static CaseListFilter Parse(string? query)
    {
        var values = QueryHelpers.ParseNullableQuery(query);
        string? One(string key) => values is not null && values.TryGetValue(key, out var v) && v.Count == 1 ? v[0] : null;
        return Check(new CaseListFilter
        {
            View = One("view"),
            Q = One("q"),
            Status = EnumOf<CaseStatus>(One("status")),
            CategoryId = int.TryParse(One("categoryId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null,
            Priority = EnumOf<CasePriority>(One("priority")),
            Assignee = One("assignee"),
            Sla = One("sla"),
            Age = One("age"),
            Sort = One("sort"),
            Dir = One("dir"),
        });
    }

    /// <summary>The values of <paramref name="filter"/> that the list accepts; the others (and page, size) dropped.</summary>
    public static CaseListFilter Check(CaseListFilter filter) => new()
    {
        View = filter.EffectiveView,
        Q = filter.Q?.Trim() is { Length: > 0 and <= Limits.CaseTitle } q ? q : null,
        Status = filter.Status is { } status && Enum.IsDefined(status) ? status : null,
        CategoryId = filter.CategoryId is > 0 ? filter.CategoryId : null,
        Priority = filter.Priority is { } priority && Enum.IsDefined(priority) ? priority : null,
        // "Mis casos" is the signed-in user's: an assignee means nothing there.
        Assignee = filter.EffectiveView != CaseListFilter.MineView && filter.Assignee is { Length: > 0 and <= Limits.UserId } assignee ? assignee : null,
        Sla = filter.Sla is CaseQueries.AtRisk or CaseQueries.Breached ? filter.Sla : null,
        Age = BacklogAge.Find(filter.Age)?.Key,
        Sort = filter.Sort is { } sort && CaseQueries.SortKeys.Contains(sort) ? sort : null,
        Dir = filter.Dir is "asc" or "desc" ? filter.Dir : null,
    };

    // By name only: a number would name any value of the enum's type.
    private static T? EnumOf<T>(string? text)
        where T : struct, Enum =>
        Enum.GetValues<T>().Where(v => string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase)).Select(v => (T?)v).FirstOrDefault();
}
