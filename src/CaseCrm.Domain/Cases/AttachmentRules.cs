using System.Globalization;
using System.Text;

namespace CaseCrm.Domain.Cases;

/// <summary>How much one upload may carry, and which types (configuration section "Attachments").</summary>
public sealed class AttachmentLimits
{
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;
    public int MaxFilesPerUpload { get; set; } = 10;

    /// <summary>All the files of one case together.</summary>
    public long MaxCaseBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>What one user may upload in any hour, across cases.</summary>
    public long MaxUserBytesPerHour { get; set; } = 200L * 1024 * 1024;

    /// <summary>
    /// Accepted extensions, separated by commas or spaces. Only types whose content <see cref="AttachmentRules"/> knows how
    /// to check can be accepted (<see cref="AttachmentRules.CheckableExtensions"/>); others listed here are still refused.
    /// A string rather than a list, so that configuration replaces the default instead of adding to it.
    /// </summary>
    public string AllowedExtensions { get; set; } = AttachmentRules.DefaultAllowedExtensions;

    /// <summary>The accepted extensions, without dots, lower case, in the configured order.</summary>
    public IReadOnlyList<string> AllowedExtensionList =>
        [.. AllowedExtensions.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.TrimStart('.').ToLowerInvariant())
            .Where(AttachmentRules.CheckableExtensions.Contains)
            .Distinct()];

    /// <summary>The largest request body an upload may need: every file at its limit, plus room for the form's other parts.</summary>
    public long MaxRequestBytes =>
        Math.Min(MaxFileBytes * MaxFilesPerUpload, Math.Max(MaxFileBytes, Math.Min(MaxCaseBytes, MaxUserBytesPerHour))) + (64 * 1024) + (MaxFilesPerUpload * 1024L);
}

/// <summary>A file offered for upload: its name as sent, its length, and its first bytes (or all of them).</summary>
public sealed record IncomingFile(string? Name, long Length, ReadOnlyMemory<byte> Head)
{
    public string SafeName => AttachmentRules.SafeFileName(Name);

    /// <summary>True when <see cref="Head"/> holds the whole file, so that its content is judged in full.</summary>
    public bool IsWhole => Head.Length == Length;
}

/// <summary>
/// What the database says about the attachments already stored, read in the operation's transaction.
/// </summary>
/// <param name="CaseBytes">The total size of the case's attachments.</param>
/// <param name="UserBytesLastHour">The total size of the attachments the user uploaded in the last hour, on any case.</param>
public sealed record AttachmentUsage(long CaseBytes, long UserBytesLastHour);

/// <summary>What files may be attached, and how their names are made safe to store and to send back.</summary>
public static class AttachmentRules
{
    /// <summary>The types a support team exchanges: documents, images, archives and mail.</summary>
    public const string DefaultAllowedExtensions =
        "pdf, doc, docx, xls, xlsx, ppt, pptx, odt, ods, odp, rtf, txt, csv, png, jpg, jpeg, gif, webp, bmp, tiff, tif, heic, zip, 7z, gz, tar, eml, msg";

    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] Ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly string[] HeifBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"];

    private static readonly Dictionary<string, Func<ReadOnlySpan<byte>, bool>> Signatures = new(StringComparer.Ordinal)
    {
        ["pdf"] = c => c.StartsWith("%PDF-"u8),
        ["png"] = c => c.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ["jpg"] = IsJpeg,
        ["jpeg"] = IsJpeg,
        ["gif"] = c => c.StartsWith("GIF87a"u8) || c.StartsWith("GIF89a"u8),
        ["webp"] = c => c.Length >= 12 && c.StartsWith("RIFF"u8) && c[8..12].SequenceEqual("WEBP"u8),
        ["bmp"] = c => c.StartsWith("BM"u8),
        ["tiff"] = IsTiff,
        ["tif"] = IsTiff,
        ["heic"] = c => c.Length >= 12 && c[4..8].SequenceEqual("ftyp"u8) && HeifBrands.Contains(Encoding.ASCII.GetString(c[8..12])),
        ["zip"] = IsZip,
        ["docx"] = IsZip,
        ["xlsx"] = IsZip,
        ["pptx"] = IsZip,
        ["odt"] = IsZip,
        ["ods"] = IsZip,
        ["odp"] = IsZip,
        ["doc"] = IsOle,
        ["xls"] = IsOle,
        ["ppt"] = IsOle,
        ["msg"] = IsOle,
        ["7z"] = c => c.StartsWith((ReadOnlySpan<byte>)[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]),
        ["gz"] = c => c.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]),
        ["tar"] = c => c.Length >= 262 && c[257..262].SequenceEqual("ustar"u8),
        ["rtf"] = c => c.StartsWith(@"{\rtf"u8),
    };

    // Judged by the whole file: text, with nothing a browser would render or run.
    private static readonly HashSet<string> TextTypes = new(StringComparer.Ordinal) { "txt", "csv", "eml", "json" };

    private static readonly string[] Markup =
    [
        "<script", "<html", "<!doctype", "<svg", "<iframe", "<object", "<embed", "<body", "<?xml", "<meta", "<img", "<style",
        "<link", "<frame", "<base", "<form", "javascript:",
    ];

    /// <summary>How many leading bytes <see cref="Check"/> needs to judge a binary file's content.</summary>
    public const int HeadBytes = 512;

    /// <summary>Every extension whose content can be checked; <see cref="AttachmentLimits.AllowedExtensions"/> chooses among them.</summary>
    public static IReadOnlySet<string> CheckableExtensions { get; } = Signatures.Keys.Concat(TextTypes).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// What an upload accepts, in one place: at least one file and at most <see cref="AttachmentLimits.MaxFilesPerUpload"/>,
    /// none empty or over <see cref="AttachmentLimits.MaxFileBytes"/>, each of an allowed type whose content matches it
    /// (<see cref="IsAllowed"/>), and, when <paramref name="usage"/> is given, the case's total and the user's hourly
    /// uploads within their limits. Every refusal is returned, each naming its file.
    /// </summary>
    public static IReadOnlyList<CaseRuleViolation> Check(
        int caseId, IReadOnlyCollection<IncomingFile> files, AttachmentLimits limits, AttachmentUsage? usage = null)
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

        var allowed = limits.AllowedExtensionList;
        foreach (var file in files)
        {
            var extension = Extension(file.SafeName);
            if (file.Length == 0)
            {
                violations.Add(new(CaseRuleCode.FileEmpty, caseId, file.SafeName));
            }
            else if (file.Length > limits.MaxFileBytes)
            {
                violations.Add(new(CaseRuleCode.FileTooLarge, caseId, file.SafeName, FormatSize(limits.MaxFileBytes)));
            }
            else if (!allowed.Contains(extension))
            {
                violations.Add(new(CaseRuleCode.FileTypeBlocked, caseId, file.SafeName, string.Join(", ", allowed)));
            }
            else if (!ContentMatches(extension, file.Head.Span, file.IsWhole))
            {
                violations.Add(new(CaseRuleCode.FileContentMismatch, caseId, file.SafeName, extension.ToUpperInvariant()));
            }
        }

        if (usage is not null)
        {
            var incoming = files.Sum(f => f.Length);
            if (usage.CaseBytes + incoming > limits.MaxCaseBytes)
            {
                violations.Add(new(
                    CaseRuleCode.CaseAttachmentsFull, caseId, FormatSize(limits.MaxCaseBytes), FormatSize(Math.Max(0, limits.MaxCaseBytes - usage.CaseBytes))));
            }

            if (usage.UserBytesLastHour + incoming > limits.MaxUserBytesPerHour)
            {
                violations.Add(new(
                    CaseRuleCode.UploadQuotaExceeded, caseId, FormatSize(limits.MaxUserBytesPerHour),
                    FormatSize(Math.Max(0, limits.MaxUserBytesPerHour - usage.UserBytesLastHour))));
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

    /// <summary>
    /// True when the extension is allowed and the content is of that type: its magic number for a binary format; for a text
    /// type, valid UTF-8 without control characters or HTML/script markup (in full when <paramref name="isWhole"/>, otherwise
    /// as far as the given bytes go).
    /// </summary>
    public static bool IsAllowed(string safeName, ReadOnlySpan<byte> content, AttachmentLimits limits, bool isWhole = true)
    {
        var extension = Extension(safeName);
        return limits.AllowedExtensionList.Contains(extension) && ContentMatches(extension, content, isWhole);
    }

    private static string Extension(string safeName) => Path.GetExtension(safeName).TrimStart('.').ToLowerInvariant();

    private static bool ContentMatches(string extension, ReadOnlySpan<byte> content, bool isWhole) =>
        Signatures.TryGetValue(extension, out var signature) ? signature(content) : TextTypes.Contains(extension) && IsPlainText(content, isWhole);

    private static bool IsJpeg(ReadOnlySpan<byte> c) => c.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);

    private static bool IsTiff(ReadOnlySpan<byte> c) => c.StartsWith("II*\0"u8) || c.StartsWith("MM\0*"u8);

    private static bool IsZip(ReadOnlySpan<byte> c) => c.StartsWith(Zip);

    private static bool IsOle(ReadOnlySpan<byte> c) => c.StartsWith(Ole);

    private static bool IsPlainText(ReadOnlySpan<byte> content, bool isWhole)
    {
        var check = new PlainTextCheck();
        check.Append(content, isLast: isWhole);
        return check.IsPlain;
    }

    private static bool IsText(string safeName) => TextTypes.Contains(Extension(safeName));

    /// <summary>
    /// The authority on an upload: <see cref="Check"/> on each file's first bytes and the stored usage, then the whole
    /// content of each text file whose head is not all of it, read from the file in pieces (a text type may hide markup
    /// anywhere; a binary type is judged by its magic number). No file is ever held whole in memory.
    /// </summary>
    public static async Task<IReadOnlyList<CaseRuleViolation>> CheckAsync(
        int caseId, IReadOnlyList<UploadedFile> files, AttachmentLimits limits, AttachmentUsage usage, CancellationToken ct)
    {
        var heads = new List<IncomingFile>(files.Count);
        foreach (var file in files)
        {
            heads.Add(await file.ReadHeadAsync(ct));
        }

        var violations = Check(caseId, heads, limits, usage);
        if (violations.Count > 0)
        {
            return violations;
        }

        var refused = new List<CaseRuleViolation>();
        foreach (var (file, head) in files.Zip(heads))
        {
            if (!head.IsWhole && IsText(head.SafeName) && !await IsPlainTextAsync(file, ct))
            {
                refused.Add(new(CaseRuleCode.FileContentMismatch, caseId, head.SafeName, Extension(head.SafeName).ToUpperInvariant()));
            }
        }

        return refused;
    }

    private static async Task<bool> IsPlainTextAsync(UploadedFile file, CancellationToken ct)
    {
        var check = new PlainTextCheck();
        var buffer = new byte[64 * 1024];
        await using var stream = file.Open();
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0 && check.IsPlain)
        {
            check.Append(buffer.AsSpan(0, read), isLast: false);
        }

        check.Append([], isLast: true);
        return check.IsPlain;
    }

    /// <summary>
    /// Judges text piece by piece: valid UTF-8 (a leading byte-order mark allowed), no control characters but tab, line
    /// and form feed, no HTML or script markup anywhere (a piece keeps the end of the one before, so that markup split
    /// between two pieces is found), and not a script ("#!" first).
    /// </summary>
    private sealed class PlainTextCheck
    {
        private static readonly int Overlap = Markup.Max(m => m.Length) - 1;
        private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        private readonly StringBuilder _lead = new(2);
        private string _tail = string.Empty;
        private bool _atStart = true;

        public bool IsPlain { get; private set; } = true;

        public void Append(ReadOnlySpan<byte> bytes, bool isLast)
        {
            if (!IsPlain)
            {
                return;
            }

            var chars = new char[bytes.Length + 4];
            int count;
            try
            {
                count = _decoder.GetChars(bytes, chars, flush: isLast);
            }
            catch (DecoderFallbackException)
            {
                IsPlain = false;
                return;
            }

            var text = new StringBuilder(_tail, _tail.Length + count);
            foreach (var c in chars.AsSpan(0, count))
            {
                if (_atStart && c == '\uFEFF')
                {
                    _atStart = false;
                    continue;
                }

                _atStart = false;
                if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f'))
                {
                    IsPlain = false;
                    return;
                }

                if (_lead.Length < 2 && (_lead.Length > 0 || c is not (' ' or '\t' or '\r' or '\n')))
                {
                    _lead.Append(c);
                }

                text.Append(char.ToLowerInvariant(c));
            }

            var lower = text.ToString();
            IsPlain = !(_lead.Length == 2 && _lead[0] == '#' && _lead[1] == '!') && !Markup.Any(m => lower.Contains(m, StringComparison.Ordinal));
            _tail = lower.Length > Overlap ? lower[^Overlap..] : lower;
        }
    }
}

/// <summary>A file as an upload brings it: its name as sent, its length, and a way to read it (again, after a retry).</summary>
public sealed record UploadedFile(string? Name, long Length, Func<Stream> Open)
{
    /// <summary>A file held in memory (tests, the demo seed).</summary>
    public static UploadedFile Of(string name, byte[] data) => new(name, data.Length, () => new MemoryStream(data, writable: false));

    /// <summary>The file's first <see cref="AttachmentRules.HeadBytes"/> bytes, which <see cref="AttachmentRules.Check"/> judges.</summary>
    public async Task<IncomingFile> ReadHeadAsync(CancellationToken ct)
    {
        var head = new byte[Math.Min(Length, AttachmentRules.HeadBytes)];
        await using (var stream = Open())
        {
            await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        }

        return new IncomingFile(Name, Length, head);
    }
}
