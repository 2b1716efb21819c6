using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

namespace CaseCrm.Web.Infrastructure;

/// <summary>Links to the current list with some query values changed (sort, page, filters), the others kept.</summary>
public static class QueryLinks
{
    public static string With(HttpRequest request, params (string Key, string? Value)[] changes)
    {
        var values = request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in changes)
        {
            if (string.IsNullOrEmpty(value))
            {
                values.Remove(key);
            }
            else
            {
                values[key] = new StringValues(value);
            }
        }

        var query = new QueryBuilder(values.SelectMany(v => v.Value.Select(x => new KeyValuePair<string, string>(v.Key, x ?? string.Empty))));
        return request.PathBase + request.Path + query.ToQueryString();
    }

    /// <summary>The current path and query, used as a return URL.</summary>
    public static string Current(HttpRequest request) => request.PathBase + request.Path + request.QueryString;
}
