using System.Globalization;
using System.Text;

namespace CaseCrm.Domain.Text;

/// <summary>Folds text for accent- and case-insensitive search that works the same on every database.</summary>
public static class SearchText
{
    /// <summary>Lower-cases and strips diacritics: "Núñez" becomes "nunez".</summary>
    /// <summary>
    /// <see cref="Fold(string?)"/> cut to <paramref name="maxLength"/> UTF-16 units (never inside a surrogate pair):
    /// folding decomposes, so the folded text can be longer than the text, and a search column must hold it.
    /// </summary>
    public static string Fold(string? value, int maxLength) => Cut(Fold(value), maxLength);

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

    /// <summary>The most words of a search that are looked up; the rest are ignored.</summary>
    public const int MaxSearchWords = 5;

    /// <summary>
    /// The terms under which a contact is found (ADR 0009). Each word of <paramref name="texts"/> (folded) from its
    /// start and from every letter or digit that follows a punctuation mark: "ana.lopez@correo.test" gives itself,
    /// "lopez@correo.test", "correo.test" and "test"; "García-Pérez" gives "garcia-perez" and "perez". The digits of
    /// each of <paramref name="phones"/> from every position to the end: "+34 600 111 222" gives "34600111222",
    /// "4600111222", … , "222", so that any run of a phone's digits is found. A search word finds a contact when it
    /// starts one of its terms (see <see cref="SearchWords"/>). Terms are cut to <see cref="Limits.SearchTerm"/>.
    /// </summary>
    public static HashSet<string> Terms(IEnumerable<string?> texts, IEnumerable<string?> phones)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in texts.SelectMany(t => Fold(t).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
        {
            var index = 0;
            var afterWordCharacter = false;
            foreach (var rune in word.EnumerateRunes())
            {
                var isWordCharacter = Rune.IsLetterOrDigit(rune);
                if (isWordCharacter && !afterWordCharacter)
                {
                    terms.Add(Cut(word[index..]));
                }

                afterWordCharacter = isWordCharacter;
                index += rune.Utf16SequenceLength;
            }
        }

        foreach (var phone in phones)
        {
            var digits = Digits(phone);
            for (var start = 0; start < digits.Length && (start == 0 || digits.Length - start >= MinPhoneRun); start++)
            {
                terms.Add(Cut(digits[start..]));
            }
        }

        return terms;
    }

    /// <summary>The shortest run of a phone's digits that is indexed on its own (shorter ones start longer runs).</summary>
    private const int MinPhoneRun = 3;

    /// <summary>
    /// The words of a search, each to be matched as the start of a contact's <see cref="Terms"/>: folded, split at
    /// spaces, without leading punctuation ("@correo" looks for "correo"); a word of digits and phone punctuation
    /// keeps only its digits ("(600) 111-222" looks for "600" and "111222"). At most <see cref="MaxSearchWords"/>
    /// distinct words, each cut to <see cref="Limits.SearchTerm"/>.
    /// </summary>
    public static IReadOnlyList<string> SearchWords(string? typed)
    {
        var words = new List<string>();
        foreach (var word in Fold(typed).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var term = Cut(IsPhoneLike(word) ? Digits(word) : WithoutLeadingPunctuation(word));
            if (term.Length > 0 && !words.Contains(term))
            {
                words.Add(term);
            }

            if (words.Count == MaxSearchWords)
            {
                break;
            }
        }

        return words;
    }

    /// <summary>Only the ASCII digits of <paramref name="phone"/>: "+34 600 111 222" becomes "34600111222".</summary>
    public static string Digits(string? phone) => phone is null ? string.Empty : new string([.. phone.Where(char.IsAsciiDigit)]);

    private static bool IsPhoneLike(string word) =>
        word.Any(char.IsAsciiDigit) && word.All(c => char.IsAsciiDigit(c) || "+-()./".Contains(c, StringComparison.Ordinal));

    private static string WithoutLeadingPunctuation(string word)
    {
        var index = 0;
        foreach (var rune in word.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                return word[index..];
            }

            index += rune.Utf16SequenceLength;
        }

        return string.Empty;
    }

    /// <summary><paramref name="text"/> cut to <see cref="Limits.SearchTerm"/> UTF-16 units, never inside a surrogate pair.</summary>
    private static string Cut(string text, int maxLength = Limits.SearchTerm)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return text[..length];
    }

    /// <summary>Folds and joins the parts with single spaces, skipping empty ones, cut to <paramref name="maxLength"/>.</summary>
    public static string Combine(int maxLength, params string?[] parts) =>
        Cut(string.Join(' ', parts.Select(p => Fold(p)).Where(p => p.Length > 0)), maxLength);
}
