namespace CaseCrm.Domain.Text;

/// <summary>
/// A caller id read as the number it names, whatever way it is written: "+34 600 11 22 33", "0034600112233" and
/// "600112233" are the same number.
/// </summary>
public static class PhoneNumber
{
    /// <summary>
    /// The digits of <paramref name="number"/> without its international prefix ("+" or "00" and the country code) and
    /// without leading zeros (a trunk prefix: "020 7946 0000" and "+44 20 7946 0000" give "2079460000"). The country
    /// code's length is read from its first digits, as E.164 assigns them (codes are prefix-free: "1" and "7" are one
    /// digit, the two-digit codes are listed, every other code is three digits), so every country is covered.
    /// A stored phone is the same number when its digits end with these (<see cref="SearchText.Terms"/> indexes every
    /// ending of a phone's digits).
    /// </summary>
    public static string NationalDigits(string? number)
    {
        var text = number?.Trim() ?? string.Empty;
        var digits = SearchText.Digits(text);
        var international = text.TrimStart('(').StartsWith('+'); // "+34 …" or "(+34) …"
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = digits[2..];
            international = true;
        }

        if (international)
        {
            digits = digits[Math.Min(digits.Length, CountryCodeLength(digits))..];
        }

        return digits.TrimStart('0');
    }

    /// <summary>The E.164 country codes of two digits; "1" and "7" are of one, all others of three.</summary>
    private static readonly HashSet<string> TwoDigitCodes =
    [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86",
        "90", "91", "92", "93", "94", "95", "98",
    ];

    private static int CountryCodeLength(string digits) =>
        digits.StartsWith('1') || digits.StartsWith('7') ? 1
        : digits.Length >= 2 && TwoDigitCodes.Contains(digits[..2]) ? 2
        : 3;
}
