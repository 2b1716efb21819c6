namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// One page of a list. Lists never count all their rows: a page asks for one row more than it shows,
/// which says whether there is a next page.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Number, bool HasNext)
{
    public bool HasPrevious => Number > 1;
}

public static class Paging
{
    public const int Size = 25;

    public static int Skip(int page) => (Math.Max(page, 1) - 1) * Size;

    /// <summary>Reads one page (one row more than it shows, to know whether there is a next page).</summary>
    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> query, int page, CancellationToken ct = default)
    {
        var rows = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(query.Skip(Skip(page)).Take(Size + 1), ct);
        return new Page<T>(rows.Take(Size).ToList(), Math.Max(page, 1), rows.Count > Size);
    }
}

/// <summary>A list's sort: an allow-listed key and a direction.</summary>
public sealed record SortOrder(string Key, bool Descending)
{
    /// <summary>Keeps <paramref name="key"/> only when it is one of <paramref name="allowed"/>; otherwise the default.</summary>
    public static SortOrder Parse(string? key, string? direction, IReadOnlyCollection<string> allowed, string defaultKey, bool defaultDescending = false) =>
        key is not null && allowed.Contains(key)
            ? new SortOrder(key, string.Equals(direction, "desc", StringComparison.OrdinalIgnoreCase))
            : new SortOrder(defaultKey, defaultDescending);

    public string Direction => Descending ? "desc" : "asc";
}
