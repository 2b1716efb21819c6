namespace CaseCrm.Domain.Notifications;

/// <summary>
/// How a comment names a user: <c>@handle</c>, where the handle is the local part of the user's email (their user name),
/// compared without regard to case. The <c>@</c> starts a mention only at the start of the text or after a character
/// that cannot be part of a handle, so an email address written in a comment (<c>ana@cliente.es</c>) names nobody. A
/// handle is letters, digits and <c>. _ - +</c>; a final dot or hyphen is punctuation (<c>@ana.</c> names ana). Which
/// users a handle names is decided by the caller from <see cref="HandleOf"/>: an unknown handle, or one that two active
/// users share, is just text.
/// </summary>
public static class Mentions
{
    /// <summary>The longest handle looked at; longer runs name nobody (an email's local part is at most 64).</summary>
    public const int MaxHandle = 64;

    /// <summary>At most this many distinct handles of one text are looked up.</summary>
    public const int MaxPerText = 20;

    /// <summary>The distinct handles written in <paramref name="text"/>, lower-case, in order of appearance.</summary>
    public static IReadOnlyList<string> Handles(string? text)
    {
        var found = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return found;
        }

        for (var i = 0; i < text.Length && found.Count < MaxPerText; i++)
        {
            if (text[i] != '@' || (i > 0 && IsHandleChar(text[i - 1])) || (i > 0 && text[i - 1] == '@'))
            {
                continue;
            }

            var end = i + 1;
            while (end < text.Length && IsHandleChar(text[end]))
            {
                end++;
            }

            var handle = text[(i + 1)..end].TrimEnd('.', '-');
            i = end - 1;
            if (handle.Length is 0 or > MaxHandle || (end < text.Length && text[end] == '@'))
            {
                continue;
            }

            handle = handle.ToLowerInvariant();
            if (!found.Contains(handle))
            {
                found.Add(handle);
            }
        }

        return found;
    }

    /// <summary>The handles of <paramref name="edited"/> that <paramref name="before"/> did not have: whom an edit newly mentions.</summary>
    public static IReadOnlyList<string> Added(string? before, string? edited)
    {
        var old = Handles(before);
        return [.. Handles(edited).Where(h => !old.Contains(h))];
    }

    /// <summary>A user's handle: the local part of their user name (an email), lower-case.</summary>
    public static string HandleOf(string userName)
    {
        var at = userName.LastIndexOf('@');
        return (at < 0 ? userName : userName[..at]).ToLowerInvariant();
    }

    /// <summary>
    /// The users that <paramref name="handles"/> name among <paramref name="users"/> (id and user name of the active
    /// people): a handle that matches no user or more than one names nobody.
    /// </summary>
    public static IReadOnlyList<string> Resolve(IReadOnlyCollection<string> handles, IEnumerable<(string Id, string UserName)> users) =>
        [.. users
            .GroupBy(u => HandleOf(u.UserName))
            .Where(g => handles.Contains(g.Key) && g.Count() == 1)
            .Select(g => g.Single().Id)];

    private static bool IsHandleChar(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '+';
}
