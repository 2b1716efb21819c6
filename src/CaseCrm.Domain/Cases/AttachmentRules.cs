using System.Globalization;
using System.Text;

namespace CaseCrm.Domain.Cases;

/// <summary>How much one upload may carry (configuration section "Attachments").</summary>
public sealed class AttachmentLimits
{
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;
    public int MaxFilesPerUpload { get; set; } = 10;
}

/// <summary>A file offered for upload: its name as sent, its length, and its first bytes (or all of them).</summary>
public sealed record IncomingFile(string? Name, long Length, ReadOnlyMemory<byte> Head)
{
    public string SafeName => AttachmentRules.SafeFileName(Name);
}

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

    /// <summary>How many leading bytes <see cref="Check"/> needs to judge a file's content.</summary>
    public const int HeadBytes = 512;

    /// <summary>
    /// What an upload accepts, in one place: at least one file and at most <see cref="AttachmentLimits.MaxFilesPerUpload"/>,
    /// none empty or over <see cref="AttachmentLimits.MaxFileBytes"/>, none refused by type (<see cref="IsBlocked"/>).
    /// Every refusal is returned, each naming its file.
    /// </summary>
    public static IReadOnlyList<CaseRuleViolation> Check(int caseId, IReadOnlyCollection<IncomingFile> files, AttachmentLimits limits)
    {
        if (files.Count == 0)
        {
            return [new(CaseRuleCode.FileMissing, caseId)];
        }

        var violations = new List<CaseRuleViolation>();
        if (files.Count > limits.MaxFilesPerUpload)
        {
            violations.Add(new(CaseRuleCode.TooManyFiles, caseId, limits.MaxFilesPerUpload.ToString(CultureInfo.CurrentCulture)));
        }

        foreach (var file in files)
        {
            if (file.Length == 0)
            {
                violations.Add(new(CaseRuleCode.FileEmpty, caseId, file.SafeName));
            }
            else if (file.Length > limits.MaxFileBytes)
            {
                violations.Add(new(CaseRuleCode.FileTooLarge, caseId, file.SafeName, FormatSize(limits.MaxFileBytes)));
            }
            else if (IsBlocked(file.SafeName, file.Head.Span))
            {
                violations.Add(new(CaseRuleCode.FileTypeBlocked, caseId, file.SafeName));
            }
        }

        return violations;
    }

    /// <summary>A size as people read it: "10 MB", "512 KB".</summary>
    public static string FormatSize(long bytes) =>
        bytes >= 1024 * 1024
            ? string.Format(CultureInfo.CurrentCulture, "{0:0.#} MB", bytes / 1024d / 1024d)
            : string.Format(CultureInfo.CurrentCulture, "{0:0.#} KB", bytes / 1024d);

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

        var head = Encoding.UTF8.GetString(content[..Math.Min(content.Length, HeadBytes)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        return BlockedStarts.Any(head.StartsWith) || head.Contains("<script", StringComparison.Ordinal) || head.Contains("<svg", StringComparison.Ordinal);
    }
}
