using System.Globalization;

namespace CaseCrm.Domain.Cases;

/// <summary>The visible case number: the database-assigned identity shown as CAS-000123.</summary>
public static class CaseNumber
{
    public const string Prefix = "CAS-";

    public static string Format(int id) => Prefix + id.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Reads "CAS-000123", "cas-123" or "123"; null when the text is not a case number.</summary>
    public static int? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        if (t.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            t = t[Prefix.Length..];
        }

        return int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
    }
}
