using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CaseCrm.Web.Infrastructure;
using CsvHelper;

namespace CaseCrm.Web.Features.Import;

/// <summary>A row of the uploaded file: its line in the file (the header is line 1) and its fields.</summary>
public sealed record ImportRow(long Line, string[] Fields);

/// <summary>The file's header, a few first rows, and how it was read (separator, encoding).</summary>
public sealed record ImportPreview(IReadOnlyList<string> Columns, IReadOnlyList<ImportRow> Rows, char Separator, string EncodingName);

/// <summary>
/// The uploaded file between the steps of "Importar": kept in a temporary folder under a random token and the
/// uploader's id, so that only the user who uploaded it can read it; deleted after the import and after a day.
/// Read as UTF-8 (with or without a byte order mark) when it is valid UTF-8, otherwise as Windows-1252 (a spreadsheet's
/// "CSV" on Windows); ";" or "," (tab and "|" too) found by CsvHelper from the first lines.
/// </summary>
public sealed class ImportFiles(TimeProvider clock)
{
    /// <summary>The largest file accepted: 100,000 contacts take about 10 MB.</summary>
    public const long MaxBytes = 50 * 1024 * 1024;

    public const int PreviewRows = 5;

    private static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    static ImportFiles() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Folder => Path.Combine(Path.GetTempPath(), "casecrm-import");

    /// <summary>Stores an upload; returns its token.</summary>
    public async Task<string> SaveAsync(string userId, Stream content, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        DeleteOld();
        var token = Guid.NewGuid().ToString("N");
        await using var file = new FileStream(PathOf(userId, token), FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await content.CopyToAsync(file, ct);
        return token;
    }

    /// <summary>The stored file's bytes, or null when the token is unknown, expired or someone else's.</summary>
    public async Task<byte[]?> ReadAsync(string userId, string token, CancellationToken ct)
    {
        var path = PathOf(userId, token);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, ct) : null;
    }

    public void Delete(string userId, string token)
    {
        var path = PathOf(userId, token);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>The header and the first rows; null when the file has no header.</summary>
    public static ImportPreview? Preview(byte[] content)
    {
        using var csv = Open(content, out var encoding);
        if (csv.Headers.Count == 0)
        {
            return null;
        }

        var rows = new List<ImportRow>();
        while (rows.Count < PreviewRows && csv.Read())
        {
            rows.Add(new ImportRow(csv.LineNumber, Clean(csv.Current.ToArray())));
        }

        return new ImportPreview(Clean([.. csv.Headers]), rows, csv.Separator, encoding.WebName);
    }

    /// <summary>Every data row of the file, in order.</summary>
    public static IEnumerable<ImportRow> Rows(byte[] content)
    {
        using var csv = Open(content, out _);
        while (csv.Read())
        {
            yield return new ImportRow(csv.LineNumber, Clean(csv.Current.ToArray()));
        }
    }

    // As a form's text is bound (RequestGuards): no bidirectional controls; and no NUL, which PostgreSQL refuses in text.
    private static string[] Clean(string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = RequestGuards.WithoutBidiControls(fields[i]).Replace("\0", string.Empty, StringComparison.Ordinal);
        }

        return fields;
    }

    private static CsvReader Open(byte[] content, out Encoding encoding)
    {
        encoding = Utf8.IsValid(content) ? Encoding.UTF8 : Encoding.GetEncoding(1252);
        return CsvReader.Create(content, CsvReaderOptions.Default with
        {
            Encoding = encoding,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            FormatProvider = CultureInfo.InvariantCulture,
        });
    }

    // The file name carries the user: a token alone never opens another user's upload.
    private static string PathOf(string userId, string token)
    {
        if (token.Length != 32 || !token.All(char.IsAsciiHexDigitLower))
        {
            token = "invalid";
        }

        var user = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(userId)))[..16];
        return Path.Combine(Folder, $"{user}-{token}.csv");
    }

    private void DeleteOld()
    {
        var limit = clock.GetUtcNow().UtcDateTime - KeptFor;
        foreach (var old in new DirectoryInfo(Folder).EnumerateFiles("*.csv").Where(f => f.LastWriteTimeUtc < limit))
        {
            try
            {
                old.Delete();
            }
            catch (IOException)
            {
                // Another instance deleted it first, or it is being read: the next upload tries again.
            }
        }
    }
}
