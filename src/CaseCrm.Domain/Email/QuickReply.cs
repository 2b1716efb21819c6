using System.Text;
using System.Text.RegularExpressions;
using CaseCrm.Domain.Cases;

namespace CaseCrm.Domain.Email;

/// <summary>
/// A "Respuesta rápida": a named subject and body an agent starts a reply from (and the acknowledgement of a mailbox).
/// Its text may name the placeholders of <see cref="Placeholders"/>; any other is refused when it is saved.
/// </summary>
public sealed partial class QuickReply
{
    public int Id { get; set; }
    public string Name { get; private set; } = string.Empty;
    public string Subject { get; private set; } = string.Empty;
    public string Body { get; private set; } = string.Empty;
    public int Version { get; set; }

    /// <summary>The placeholders a text may name, in braces.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["contacto.nombre", "caso.numero", "caso.titulo", "agente.nombre"];

    /// <summary>Sets the text, refusing it (<see cref="CaseRuleCode.UnknownPlaceholder"/>, on the field) when it names an unknown placeholder.</summary>
    public void Update(string name, string subject, string body)
    {
        CheckPlaceholders(subject, body);
        (Name, Subject, Body) = (name, subject, body);
    }

    /// <summary>Throws <see cref="CaseRuleException"/> naming each unknown placeholder of <paramref name="texts"/>.</summary>
    public static void CheckPlaceholders(params string[] texts)
    {
        var unknown = texts.SelectMany(t => Named().Matches(t).Select(m => m.Groups[1].Value))
            .Where(p => !Placeholders.Contains(p, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(p => new CaseRuleViolation(CaseRuleCode.UnknownPlaceholder, null, p))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new CaseRuleException(unknown);
        }
    }

    /// <summary>The text with each known placeholder replaced by its value (a value never expands further).</summary>
    public static string Render(string text, PlaceholderValues values) =>
        Named().Replace(text, m => m.Groups[1].Value switch
        {
            "contacto.nombre" => values.ContactName,
            "caso.numero" => CaseNumber.Format(values.CaseId),
            "caso.titulo" => values.CaseTitle,
            "agente.nombre" => values.AgentName,
            _ => m.Value,
        });

    // {name.part}: letters (with accents), digits, dots and underscores between braces.
    [GeneratedRegex(@"\{([\p{L}\p{N}_.]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Named();
}

/// <summary>What the placeholders of a quick reply stand for in one case.</summary>
public sealed record PlaceholderValues(string ContactName, int CaseId, string CaseTitle, string AgentName);

/// <summary>The rules of outgoing mail: the reply's subject, the threading headers and the outbox's retries.</summary>
public static class EmailReplyRules
{
    /// <summary>
    /// "Re: " and the subject, without a second "Re:"/"RE:"/"Fwd:", ending with the case's tag <c>[CAS-000123]</c> (once),
    /// so a reply from any mail client finds the case again.
    /// </summary>
    public static string ReplySubject(string subject, int caseId)
    {
        var tag = $"[{CaseNumber.Format(caseId)}]";
        var text = subject.Trim();
        while (StripPrefix(text) is { } stripped)
        {
            text = stripped;
        }

        text = text.Replace(tag, string.Empty, StringComparison.OrdinalIgnoreCase).Trim();
        var reply = $"Re: {text} {tag}".Replace("  ", " ", StringComparison.Ordinal);
        return reply.Length <= Limits.EmailSubject ? reply : reply[..Limits.EmailSubject];
    }

    /// <summary>The subject with the case's tag added when it lacks one (an acknowledgement, a message to a child's contact).</summary>
    public static string Tagged(string subject, int caseId)
    {
        var tag = $"[{CaseNumber.Format(caseId)}]";
        var text = subject.Contains(tag, StringComparison.OrdinalIgnoreCase) ? subject.Trim() : $"{subject.Trim()} {tag}".Trim();
        return text.Length <= Limits.EmailSubject ? text : text[..Limits.EmailSubject];
    }

    /// <summary>
    /// The References of a reply: the thread's Message-IDs (oldest first) — the last <paramref name="max"/>, within the
    /// column — so that mail clients and our own intake place it in its thread.
    /// </summary>
    public static string? References(IEnumerable<string> threadOldestFirst, int max = 10)
    {
        var ids = threadOldestFirst.TakeLast(max).ToList();
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            if (text.Length + id.Length + 1 > Limits.EmailRecipients)
            {
                break;
            }

            text.Append(text.Length == 0 ? string.Empty : " ").Append(id);
        }

        return text.Length == 0 ? null : text.ToString();
    }

    /// <summary>
    /// When a message that failed <paramref name="attempts"/> times is tried again: the delay doubles from
    /// <paramref name="firstDelay"/> up to <paramref name="maxDelay"/>; null when it has had its attempts (it is given up).
    /// </summary>
    public static DateTime? NextAttempt(int attempts, int maxAttempts, TimeSpan firstDelay, TimeSpan maxDelay, DateTime now)
    {
        if (attempts >= maxAttempts)
        {
            return null;
        }

        var factor = Math.Pow(2, Math.Max(0, attempts - 1));
        var delay = TimeSpan.FromTicks((long)Math.Min(firstDelay.Ticks * factor, maxDelay.Ticks));
        return now + delay;
    }

    private static string? StripPrefix(string subject)
    {
        foreach (var prefix in new[] { "re:", "rv:", "fw:", "fwd:", "aw:" })
        {
            if (subject.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return subject[prefix.Length..].TrimStart();
            }
        }

        return null;
    }
}
