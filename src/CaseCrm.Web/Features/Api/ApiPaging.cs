namespace CaseCrm.Web.Features.Api;

/// <summary>The page size of the API's lists: <c>limit</c> 1 to <see cref="MaxLimit"/>, <see cref="DefaultLimit"/> when not given.</summary>
public static class ApiPaging
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 50;

    /// <summary>The page size <paramref name="limit"/> asks for; null when it is out of range (the list answers 400 naming <c>limit</c>).</summary>
    public static int? Size(int? limit) => (limit ?? DefaultLimit) is var size && size is >= 1 and <= MaxLimit ? size : null;
}
