using System.Globalization;
using System.Text;

namespace CaseCrm.Domain.Text;

/// <summary>Folds text for accent- and case-insensitive search that works the same on every database.</summary>
public static class SearchText
{
    /// <summary>Lower-cases and strips diacritics: "Núñez" becomes "nunez".</summary>
    public static string Fold(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var decomposed = value.Trim().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Folds and joins the parts with single spaces, skipping empty ones, cut to the column length.</summary>
    public static string Combine(params string?[] parts)
    {
        var joined = string.Join(' ', parts.Select(Fold).Where(p => p.Length > 0));
        return joined.Length <= Limits.SearchText ? joined : joined[..Limits.SearchText];
    }
}
