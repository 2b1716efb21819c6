using System.Globalization;
using CaseCrm.Data.Reports;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Reports;

/// <summary>The report's query string: dates as yyyy-MM-dd (the date inputs' format) and the grouping; read as text, so that bad input is refused beside its field.</summary>
public sealed class ReportForm
{
    public string? From { get; set; }
    public string? To { get; set; }
    public string? GroupBy { get; set; }
}

public sealed record ReportPageModel(ReportForm Form, Report? Report);

/// <summary>Informes (supervisors and administrators): service-level compliance and median times for a period, with CSV exports.</summary>
[Authorize(Policy = Policies.ManageCases)]
public sealed class ReportsController(ReportQueries queries, CurrentUser me, TimeProvider clock, IStringLocalizer<SharedResource> l) : Controller
{
    /// <summary>The longest period a report covers.</summary>
    public const int MaxYears = 3;

    [HttpGet]
    public async Task<IActionResult> Index(ReportForm form, CancellationToken ct)
    {
        var period = Read(form);
        return View(new ReportPageModel(form, period is null ? null : await queries.RunAsync(period, ct)));
    }

    /// <summary>One measure's table as CSV: UTF-8 with a byte order mark, ";" between fields, numbers and dates in the user's culture.</summary>
    [HttpGet]
    public async Task<IActionResult> Export(ReportForm form, string? measure, CancellationToken ct)
    {
        var period = Read(form);
        if (!Enum.TryParse<ReportMeasure>(measure, ignoreCase: true, out var which) || !Enum.IsDefined(which))
        {
            ModelState.AddModelError(nameof(measure), l["Reports_UnknownMeasure"]);
        }

        if (period is null || !ModelState.IsValid)
        {
            return View("Index", new ReportPageModel(form, null));
        }

        var table = await queries.RunAsync(period, which, ct);
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{(which == ReportMeasure.FirstResponse ? l["Reports_FileFirstResponse"] : l["Reports_FileResolution"])}-{period.From:yyyy-MM-dd}-{period.To:yyyy-MM-dd}.csv");
        string[] header = [ReportText.GroupHeader(l, period.GroupBy), l["Reports_Cases"], l["Reports_WithTarget"], l["Reports_Met"], l["Reports_MetPercent"], l["Reports_Median"]];
        return new CsvDownload(name, header, async (csv, token) =>
        {
            foreach (var row in table.Rows.Append(table.Total))
            {
                await csv.WriteRecordAsync(
                [
                    row == table.Total ? l["Reports_Total"] : ReportText.Label(l, period.GroupBy, row),
                    row.Cases.ToString("N0", CultureInfo.CurrentCulture), row.WithTarget.ToString("N0", CultureInfo.CurrentCulture),
                    row.Met.ToString("N0", CultureInfo.CurrentCulture), row.MetPercent?.ToString("N1", CultureInfo.CurrentCulture) ?? string.Empty,
                    ReportText.Duration(row.MedianSeconds),
                ], token);
            }
        });
    }

    /// <summary>The period of the form, or null with each refusal beside its field. Empty dates mean last month.</summary>
    private ReportPeriod? Read(ReportForm form)
    {
        var today = DateOnly.FromDateTime(me.ToLocal(clock.GetUtcNow().UtcDateTime));
        var lastMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var from = Date(form.From, nameof(form.From), lastMonth);
        var to = Date(form.To, nameof(form.To), lastMonth.AddMonths(1).AddDays(-1));
        form.From = from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? form.From;
        form.To = to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? form.To;

        var grouping = ReportGrouping.Week;
        if (!string.IsNullOrEmpty(form.GroupBy)
            && (!Enum.TryParse(form.GroupBy, ignoreCase: true, out grouping) || !Enum.IsDefined(grouping) || int.TryParse(form.GroupBy, out _)))
        {
            ModelState.AddModelError(nameof(form.GroupBy), l["Reports_UnknownGrouping"]);
        }

        form.GroupBy = ModelState.ContainsKey(nameof(form.GroupBy)) ? form.GroupBy : grouping.ToString();
        if (from is { } start && to is { } end)
        {
            if (end < start)
            {
                ModelState.AddModelError(nameof(form.To), l["Reports_ToBeforeFrom"]);
            }
            else if (end >= start.AddYears(MaxYears))
            {
                ModelState.AddModelError(nameof(form.To), l["Reports_TooLong", MaxYears]);
            }
        }

        // A valid field shows the value read (a default for an empty one), not the text bound from the query string.
        foreach (var field in new[] { nameof(form.From), nameof(form.To), nameof(form.GroupBy) })
        {
            if (ModelState.TryGetValue(field, out var entry) && entry.Errors.Count == 0)
            {
                ModelState.Remove(field);
            }
        }

        if (!ModelState.IsValid || from is null || to is null)
        {
            return null;
        }

        return new ReportPeriod(from.Value, to.Value, grouping,
            me.ToUtc(from.Value.ToDateTime(TimeOnly.MinValue)), me.ToUtc(to.Value.AddDays(1).ToDateTime(TimeOnly.MinValue)), me.TimeZone);
    }

    private DateOnly? Date(string? text, string field, DateOnly fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year is >= 2000 and <= 2100)
        {
            return date;
        }

        ModelState.AddModelError(field, l["Reports_BadDate"]);
        return null;
    }
}

/// <summary>The texts of a report that the page and the CSV share.</summary>
public static class ReportText
{
    public static string GroupHeader(IStringLocalizer l, ReportGrouping grouping) => l[$"Reports_Group_{grouping}"];

    public static string Label(IStringLocalizer l, ReportGrouping grouping, ReportRow row) => grouping switch
    {
        ReportGrouping.Week => l["Reports_WeekOf", row.Start!.Value.ToString("d", CultureInfo.CurrentCulture)],
        ReportGrouping.Month => row.Start!.Value.ToString("MMMM yyyy", CultureInfo.CurrentCulture),
        _ => row.Name ?? l["Reports_Unassigned"],
    };

    /// <summary>Working time as hours and minutes ("26:05"), rounded to the minute; empty without a value.</summary>
    public static string Duration(int? seconds)
    {
        if (seconds is not { } s)
        {
            return string.Empty;
        }

        var minutes = (s + 30) / 60;
        return string.Create(CultureInfo.InvariantCulture, $"{minutes / 60}:{minutes % 60:D2}");
    }
}
