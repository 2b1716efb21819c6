using System.Text;
using System.Text.Encodings.Web;

namespace CaseCrm.Web.Infrastructure;

/// <summary>Links to the current list with some query values changed (sort, page, filters), the others kept;
/// a change to an empty value removes the key.</summary>
public static class QueryLinks
{
    public static string With(HttpRequest request, params (string Key, string? Value)[] changes)
    {
        // Written straight into one builder, as QueryBuilder writes it (each key and value URL-encoded): a sort header or
        // a pager link is made several times a page, and a dictionary and a list of pairs each time were 6 % of the case
        // list's allocation. The request's keys keep their order and spelling; new ones follow in the order given.
        var query = new StringBuilder();
        foreach (var (key, values) in request.Query)
        {
            var change = LastChangeOf(changes, key);
            if (change < 0)
            {
                foreach (var value in values)
                {
                    Append(query, key, value ?? string.Empty);
                }
            }
            else if (!string.IsNullOrEmpty(changes[change].Value))
            {
                Append(query, key, changes[change].Value!);
            }
        }

        for (var i = 0; i < changes.Length; i++)
        {
            if (!string.IsNullOrEmpty(changes[i].Value) && !request.Query.ContainsKey(changes[i].Key) && LastChangeOf(changes, changes[i].Key) == i)
            {
                Append(query, changes[i].Key, changes[i].Value!);
            }
        }

        return request.PathBase + request.Path + (query.Length == 0 ? QueryString.Empty : new QueryString(query.ToString()));
    }

    private static int LastChangeOf((string Key, string? Value)[] changes, string key)
    {
        for (var i = changes.Length - 1; i >= 0; i--)
        {
            if (string.Equals(changes[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static void Append(StringBuilder query, string key, string value) =>
        query.Append(query.Length == 0 ? '?' : '&').Append(UrlEncoder.Default.Encode(key)).Append('=').Append(UrlEncoder.Default.Encode(value));

    /// <summary>The current path and query, used as a return URL.</summary>
    public static string Current(HttpRequest request) => request.PathBase + request.Path + request.QueryString;
}
