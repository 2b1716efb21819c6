using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Infrastructure;

/// <summary>Return URLs that the app redirects to after a form: local only, and safe to send in a Location header.</summary>
internal static class LocalUrls
{
    /// <summary>
    /// <paramref name="url"/> when it is local (<see cref="IUrlHelper.IsLocalUrl"/>), with every character a header may
    /// not carry (non-ASCII, controls, spaces) percent-encoded as UTF-8; otherwise null. Kestrel refuses a non-ASCII
    /// Location header with a 500 after the action has already saved, so the encoding happens before the redirect.
    /// </summary>
    public static string? LocalOrNull(this IUrlHelper url, string? returnUrl) =>
        url.IsLocalUrl(returnUrl) ? Encode(returnUrl) : null;

    public static string Encode(string url)
    {
        StringBuilder? encoded = null;
        var index = 0;
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7F)
            {
                encoded?.Append((char)rune.Value);
            }
            else
            {
                encoded ??= new StringBuilder(url.Length + 16).Append(url, 0, index);
                var length = rune.EncodeToUtf8(bytes);
                foreach (var b in bytes[..length])
                {
                    encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            index += rune.Utf16SequenceLength;
        }

        return encoded?.ToString() ?? url;
    }
}
