using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// One page of a list. A page asks for one row more than it shows, which says whether there is a next page. Paging is
/// bounded: past <see cref="Paging.MaxRows"/> rows the list asks for a search or a filter instead (an OFFSET that deep
/// would read every row before it). <see cref="Count"/>, when the list counts, is exact up to
/// <see cref="Paging.CountCap"/> and <see cref="Paging.CountCap"/> + 1 for "more than that".
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Number, bool HasNext, int Size = Paging.Size, int? Count = null)
{
    public bool HasPrevious => Number > 1;

    /// <summary>What the list's count line and page numbers need.</summary>
    public ListPager Pager => new(Number, HasNext, Size, Count);
}

/// <summary>A list's count line and pager: the page shown, its size and the capped count of matching rows.</summary>
public sealed record ListPager(int Number, bool HasNext, int Size, int? Count)
{
    public bool IsCapped => Count > Paging.CountCap;

    /// <summary>The page numbers to offer: up to two either side of the current one, among the pages known to exist.</summary>
    public IReadOnlyList<int> NearbyPages
    {
        get
        {
            var last = Math.Min(LastKnownPage, Paging.MaxPage(Size));
            var from = Math.Max(1, Number - 2);
            var to = Math.Min(last, Number + 2);
            return Enumerable.Range(from, Math.Max(0, to - from + 1)).ToList();
        }
    }

    /// <summary>The last page when the count is exact; otherwise the last one known to exist.</summary>
    public int LastKnownPage =>
        Math.Max(Count is { } count ? (Math.Min(count, Paging.CountCap + 1) + Size - 1) / Size : Number, HasNext ? Number + 1 : Number);

    /// <summary>Whether the last page is known exactly (so it can be offered as a number of its own).</summary>
    public bool LastIsExact => Count is not null && !IsCapped;
}

public static class Paging
{
    /// <summary>The default page size.</summary>
    public const int Size = 25;

    /// <summary>The page sizes a list offers.</summary>
    public static readonly IReadOnlyList<int> Sizes = [25, 50, 100];

    /// <summary>Lists count their rows exactly up to this many; beyond it they say "more than" (never an unbounded COUNT).</summary>
    public const int CountCap = 1000;

    /// <summary>The deepest row a list pages to (5,000): every list is sorted on an index, so reading that far stays cheap.</summary>
    public const int MaxRows = 5000;

    /// <summary>The last page a list shows at <paramref name="size"/> rows a page.</summary>
    public static int MaxPage(int size) => MaxRows / size;

    /// <summary>The page size asked for when it is one offered, otherwise the default.</summary>
    public static int SizeOf(int? requested) => requested is { } s && Sizes.Contains(s) ? s : Size;

    /// <summary>The page actually shown for the requested one: 1 to the last page of that size.</summary>
    public static int Clamp(int page, int size = Size) => Math.Clamp(page, 1, MaxPage(size));

    public static int Skip(int page, int size = Size) => (Clamp(page, size) - 1) * size;

    /// <summary>Reads one page (one row more than it shows, to know whether there is a next page).</summary>
    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> query, int page, CancellationToken ct = default)
    {
        var number = Clamp(page);
        var rows = await query.Skip(Skip(number)).Take(Size + 1).ToListAsync(ct);
        return ToPage(rows, number);
    }

    /// <summary>
    /// Reads one page of <paramref name="rows"/> of <paramref name="size"/> and, in the same statement, how many of
    /// <paramref name="matches"/> there are, counted up to <see cref="CountCap"/> + 1 (a subquery with LIMIT, evaluated
    /// once: SQLite and PostgreSQL run an uncorrelated scalar subquery once per statement). An empty page has no row to
    /// carry the count, so then it is read on its own (page 1 of an empty list: 0 without asking).
    /// </summary>
    public static Task<Page<T>> ToCountedPageAsync<T, TMatch>(
        this IQueryable<T> rows, IQueryable<TMatch> matches, int page, int size, CancellationToken ct = default)
    {
        var number = Clamp(page, size);
        return CountedPageAsync(rows.Skip(Skip(number, size)).Take(size + 1), matches, number, size, ct);
    }

    /// <summary>Page <paramref name="number"/> from <paramref name="pageRows"/>, the page's rows already limited to one more than <paramref name="size"/>, with the capped count of <paramref name="matches"/> in the same statement.</summary>
    public static async Task<Page<T>> CountedPageAsync<T, TMatch>(
        IQueryable<T> pageRows, IQueryable<TMatch> matches, int number, int size, CancellationToken ct = default) =>
        ToCountedPage(await WithCount(pageRows, matches).ToListAsync(ct), number, size);

    /// <summary>Each of <paramref name="pageRows"/> with the count of <paramref name="matches"/> up to <see cref="CountCap"/> + 1 (<see cref="CountedPageAsync"/>).</summary>
    public static IQueryable<Counted<T>> WithCount<T, TMatch>(IQueryable<T> pageRows, IQueryable<TMatch> matches) =>
        pageRows.Select(r => new Counted<T>(r, matches.Take(CountCap + 1).Count()));

    /// <summary>Page <paramref name="number"/> from the rows read by <see cref="WithCount"/>.</summary>
    public static Page<T> ToCountedPage<T>(List<Counted<T>> read, int number, int size)
    {
        // An empty page has no row to carry the count: page 1 of an empty list is 0; past the end, the count is not shown.
        int? count = read.Count > 0 ? read[0].Count : number == 1 ? 0 : null;
        return ToPage(read.ConvertAll(r => r.Row), number, size) with { Count = count };
    }

    /// <summary>Page <paramref name="number"/> from the rows read for it (up to one more than <paramref name="size"/>).</summary>
    public static Page<T> ToPage<T>(List<T> rows, int number, int size = Size) =>
        new(rows.Count > size ? rows.GetRange(0, size) : rows, number, rows.Count > size && number < MaxPage(size), size);

}

/// <summary>A row of a page with the capped count of the list's matches (<see cref="Paging.WithCount"/>).</summary>
public sealed record Counted<T>(T Row, int Count);

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
