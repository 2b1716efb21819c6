using System.Text.Json;

namespace CaseCrm.Web.Features.Api;

/// <summary>One page of a list: its items and the cursor of the next page (null on the last).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// The API's opaque cursors: a list's keyset (the sort values and the id of the last row sent) as URL-safe base64 JSON.
/// A cursor that does not decode to the list's key is null, which the list answers as a 400 naming <c>cursor</c>.
/// </summary>
public static class ApiCursor
{
    public static string Encode<T>(T key) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static T? Decode<T>(string cursor)
        where T : class
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            return JsonSerializer.Deserialize<T>(Convert.FromBase64String(base64));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
