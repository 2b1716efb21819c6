using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// A CSV download as a Spanish spreadsheet opens it: UTF-8 with a byte order mark, ";" between fields, numbers and dates
/// already formatted in the user's culture by the caller, and a text cell that starts like a formula (=, +, -, @, tab, CR)
/// neutralised with a leading apostrophe (CSV injection). The rows are written to the response as they are read, so a
/// million rows never sit in memory (docs/import-export.md). The reports and every list export write through it.
/// </summary>
public sealed class CsvDownload(string fileName, IReadOnlyList<string> header, Func<CsvWriter, CancellationToken, Task> writeRows) : IActionResult
{
    /// <summary>The options every CSV file of the app is written with.</summary>
    public static CsvWriterOptions Options { get; } = CsvWriterOptions.Default with
    {
        Separator = ';',
        WriteByteOrderMark = true,
        Injection = CsvInjection.Escape,
    };

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        var ct = context.HttpContext.RequestAborted;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName }.ToString();
        response.Headers[HeaderNames.CacheControl] = "no-store";
        await using var csv = CsvWriter.Create(response.Body, Options with { FormatProvider = CultureInfo.CurrentCulture }, leaveOpen: true);
        foreach (var name in header)
        {
            csv.WriteField(name);
        }

        await csv.EndRecordAsync(ct);
        await writeRows(csv, ct);
        await csv.FlushAsync(ct);
    }

    /// <summary>A file name with today's date in it ("casos-2026-12-06.csv"), the date in the user's zone.</summary>
    public static string FileName(string stem, DateTime localToday) =>
        string.Create(CultureInfo.InvariantCulture, $"{stem}-{localToday:yyyy-MM-dd}.csv");
}

/// <summary>Field helpers of the list exports: empty for a missing value, numbers as numbers, times as the pages show them.</summary>
public static class CsvFields
{
    public static void Write(this CsvWriter csv, int? number)
    {
        if (number is { } n)
        {
            csv.WriteField(n, "D");
        }
        else
        {
            csv.WriteField((string?)null);
        }
    }

    /// <summary>A stored UTC time in the user's zone and culture, as the lists show it ("g").</summary>
    public static void Write(this CsvWriter csv, CurrentUser me, DateTime? utc) =>
        csv.WriteField(utc is { } at ? me.ToLocal(at).ToString("g", CultureInfo.CurrentCulture) : null);
}
