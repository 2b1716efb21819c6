namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// One page of a list. Lists never count all their rows: a page asks for one row more than it shows,
/// which says whether there is a next page. Paging is bounded: past <see cref="Paging.MaxPage"/> the list
/// asks for a search or a filter instead (an OFFSET that deep would read every row before it).
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Number, bool HasNext)
{
    public bool HasPrevious => Number > 1;
}

public static class Paging
{
    public const int Size = 25;

    /// <summary>The last page a list shows (5,000 rows): every list is sorted on an index, so reading that far stays cheap.</summary>
    public const int MaxPage = 200;

    /// <summary>The page actually shown for the requested one: 1 to <see cref="MaxPage"/>.</summary>
    public static int Clamp(int page) => Math.Clamp(page, 1, MaxPage);

    public static int Skip(int page) => (Clamp(page) - 1) * Size;

    /// <summary>Reads one page (one row more than it shows, to know whether there is a next page).</summary>
    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> query, int page, CancellationToken ct = default)
    {
        var number = Clamp(page);
        var rows = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(query.Skip(Skip(number)).Take(Size + 1), ct);
        return ToPage(rows, number);
    }

    /// <summary>Page <paramref name="number"/> from the rows read for it (up to one more than <see cref="Size"/>).</summary>
    public static Page<T> ToPage<T>(List<T> rows, int number) =>
        new(rows.Count > Size ? rows.GetRange(0, Size) : rows, number, rows.Count > Size && number < MaxPage);
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
