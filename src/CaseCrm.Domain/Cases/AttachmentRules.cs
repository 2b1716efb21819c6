using System.Text;

namespace CaseCrm.Domain.Cases;

/// <summary>What files may be attached, and how their names are made safe to store and to send back.</summary>
public static class AttachmentRules
{
    private static readonly HashSet<string> BlockedExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".exe", ".dll", ".com", ".bat", ".cmd", ".msi", ".msp", ".scr", ".pif", ".cpl", ".jar", ".app", ".apk",
        ".ps1", ".psm1", ".vbs", ".vbe", ".js", ".jse", ".mjs", ".wsf", ".wsh", ".hta", ".sh", ".bash", ".php", ".py", ".pl", ".rb",
        ".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml", ".svg", ".svgz", ".xml", ".xsl", ".swf",
    };

    // Leading bytes of executables, and markup a browser would render or run.
    private static readonly string[] BlockedStarts = ["mz", "\u007felf", "#!", "<!doctype html", "<html", "<script", "<svg", "<?xml"];

    /// <summary>
    /// A file name without path parts or control characters, at most <see cref="Limits.FileName"/> characters,
    /// keeping its extension; "archivo" when nothing usable is left.
    /// </summary>
    public static string SafeFileName(string? name)
    {
        var lastPart = (name ?? string.Empty).Replace('\\', '/').Split('/').LastOrDefault() ?? string.Empty;
        var builder = new StringBuilder(lastPart.Length);
        foreach (var c in lastPart.Normalize(NormalizationForm.FormC))
        {
            if (!char.IsControl(c) && c is not ('"' or '<' or '>' or ':' or '|' or '?' or '*') && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format)
            {
                builder.Append(c);
            }
        }

        var clean = builder.ToString().Trim().Trim('.').Trim();
        if (clean.Length == 0)
        {
            return "archivo";
        }

        if (clean.Length <= Limits.FileName)
        {
            return clean;
        }

        var extension = Path.GetExtension(clean);
        extension = extension.Length is > 0 and <= 16 ? extension : string.Empty;
        return clean[..(Limits.FileName - extension.Length)] + extension;
    }

    /// <summary>True when the file is refused by its extension or by what its first bytes look like.</summary>
    public static bool IsBlocked(string safeName, ReadOnlySpan<byte> content)
    {
        if (BlockedExtensions.Contains(Path.GetExtension(safeName)))
        {
            return true;
        }

        var head = Encoding.UTF8.GetString(content[..Math.Min(content.Length, 512)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        return BlockedStarts.Any(head.StartsWith) || head.Contains("<script", StringComparison.Ordinal) || head.Contains("<svg", StringComparison.Ordinal);
    }
}
