using System.Globalization;
using System.Text.RegularExpressions;
using CaseCrm.Data;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using NodaTime;
using NodaTime.Text;

namespace CaseCrm.Web.Features.ServiceLevels;

/// <summary>A calendar as the form shows it: one text per weekday (Monday first), such as "09:00-14:00, 15:00-18:00".</summary>
public sealed class CalendarForm
{
    public string? Name { get; set; }
    public string? TimeZoneId { get; set; } = "Europe/Madrid";
    public string?[] Days { get; set; } = new string?[7];
    public int Version { get; set; }
}

/// <summary>One year's holidays, one per line: "2026-12-25 Navidad".</summary>
public sealed class HolidaysForm
{
    public string? Lines { get; set; }
    public int Version { get; set; }
}

/// <summary>A policy: targets in working hours and minutes, as "4:00" or "0:30".</summary>
public sealed class PolicyForm
{
    public string? Name { get; set; }
    public CasePriority? Priority { get; set; }
    public int? CategoryId { get; set; }
    public int? CalendarId { get; set; }
    public string? FirstResponse { get; set; }
    public string? Resolution { get; set; }

    /// <summary>At risk when less than this share of a target is left.</summary>
    public int? AtRiskPercent { get; set; }
    public int Version { get; set; }
}

public sealed record CalendarRow(int Id, string Name, string TimeZoneId, IReadOnlyList<string> Days, int Holidays);

public sealed record PolicyRow(int Id, string Name, CasePriority Priority, string? CategoryName, string CalendarName, int FirstResponseMinutes, int ResolutionMinutes);

public sealed record ServiceLevelsModel(IReadOnlyList<CalendarRow> Calendars, IReadOnlyList<PolicyRow> Policies);

public sealed record CalendarEditModel(int? Id, CalendarForm Form, IReadOnlyList<int> Years);

public sealed record HolidaysEditModel(int Id, string CalendarName, int Year, HolidaysForm Form);

public sealed record PolicyEditModel(int? Id, PolicyForm Form, IReadOnlyList<CategoryOption> Categories, IReadOnlyList<(int Id, string Name)> Calendars);

/// <summary>
/// Configuración → Niveles de servicio (administrators): working calendars (zone, hours per weekday, holidays by year)
/// and the policies that give cases their targets. The rules are the domain's (<see cref="ServiceCalendar"/>,
/// <see cref="ServicePolicy"/>); this parses the form's text and shows each refusal beside its field.
/// </summary>
[Authorize(Policy = Policies.Administer)]
[Route("ServiceLevels")]
public sealed partial class ServiceLevelsController(CrmDbContext db, ReferenceData reference, IStringLocalizer<SharedResource> l) : Controller
{
    private static readonly IsoDayOfWeek[] Week =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var calendars = await db.ServiceCalendars.AsNoTracking().OrderBy(c => c.Name).AsSplitQuery().ToListAsync(ct);
        var policies = await db.ServicePolicies.AsNoTracking().OrderBy(p => p.Priority).ThenBy(p => p.CategoryId)
            .Select(p => new PolicyRow(p.Id, p.Name, p.Priority,
                db.Categories.Where(c => c.Id == p.CategoryId).Select(c => c.Name).FirstOrDefault(),
                db.ServiceCalendars.Where(c => c.Id == p.CalendarId).Select(c => c.Name).First(), p.FirstResponseMinutes, p.ResolutionMinutes))
            .ToListAsync(ct);
        return View(new ServiceLevelsModel(
            [.. calendars.Select(c => new CalendarRow(c.Id, c.Name, c.TimeZoneId, DayTexts(c), c.Holidays.Count))], policies));
    }

    [HttpGet("Calendars/Create")]
    public IActionResult CreateCalendar() =>
        View("Calendar", new CalendarEditModel(null, new CalendarForm { Days = ["09:00-14:00, 15:00-18:00", "09:00-14:00, 15:00-18:00", "09:00-14:00, 15:00-18:00", "09:00-14:00, 15:00-18:00", "09:00-14:00, 15:00-18:00", "", ""] }, []));

    [HttpPost("Calendars/Create")]
    public Task<IActionResult> CreateCalendar(CalendarForm form, CancellationToken ct) => SaveCalendarAsync(null, form, ct);

    [HttpGet("Calendars/{id:int}")]
    public async Task<IActionResult> Calendar(int id, CancellationToken ct)
    {
        var calendar = await db.ServiceCalendars.AsNoTracking().AsSplitQuery().SingleOrDefaultAsync(c => c.Id == id, ct);
        return calendar is null
            ? NotFound()
            : View(new CalendarEditModel(id, new CalendarForm { Name = calendar.Name, TimeZoneId = calendar.TimeZoneId, Days = [.. DayTexts(calendar)], Version = calendar.Version }, Years(calendar)));
    }

    [HttpPost("Calendars/{id:int}")]
    public Task<IActionResult> Calendar(int id, CalendarForm form, CancellationToken ct) => SaveCalendarAsync(id, form, ct);

    [HttpGet("Calendars/{id:int}/Holidays/{year:int}")]
    public async Task<IActionResult> Holidays(int id, int year, CancellationToken ct)
    {
        var calendar = await db.ServiceCalendars.AsNoTracking().AsSplitQuery().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (calendar is null || year is < 2000 or > 2100)
        {
            return NotFound();
        }

        var lines = string.Join("\n", calendar.Holidays.Where(h => h.Date.Year == year).OrderBy(h => h.Date)
            .Select(h => $"{h.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {h.Name}"));
        return View(new HolidaysEditModel(id, calendar.Name, year, new HolidaysForm { Lines = lines, Version = calendar.Version }));
    }

    [HttpPost("Calendars/{id:int}/Holidays/{year:int}")]
    public async Task<IActionResult> Holidays(int id, int year, HolidaysForm form, CancellationToken ct)
    {
        var calendar = await db.ServiceCalendars.AsSplitQuery().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (calendar is null || year is < 2000 or > 2100)
        {
            return NotFound();
        }

        var holidays = new List<(LocalDate, string)>();
        var lines = (form.Lines ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var match = HolidayLine().Match(lines[i]);
            var date = match.Success ? LocalDatePattern.Iso.Parse(match.Groups[1].Value) : null;
            if (date is not { Success: true } || match.Groups[2].Value.Length > Limits.Name)
            {
                ModelState.AddModelError(nameof(HolidaysForm.Lines), l["ServiceLevels_HolidayLine", i + 1]);
                continue;
            }

            holidays.Add((date.Value, match.Groups[2].Value.Trim()));
        }

        if (ModelState.ErrorCount == 0)
        {
            try
            {
                calendar.SetHolidays(year, holidays);
            }
            catch (CaseRuleException ex)
            {
                ModelState.AddRuleErrors(ex);
            }
        }

        if (ModelState.ErrorCount > 0 || !await SaveVersionedAsync(calendar, form.Version, ct))
        {
            return View(new HolidaysEditModel(id, calendar.Name, year, form));
        }

        TempData["Message"] = l["ServiceLevels_HolidaysSaved", holidays.Count, year, calendar.Name].Value;
        return RedirectToAction(nameof(Calendar), new { id });
    }

    [HttpPost("Calendars/{id:int}/Delete")]
    public async Task<IActionResult> DeleteCalendar(int id, CancellationToken ct)
    {
        var calendar = await db.ServiceCalendars.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (calendar is null)
        {
            return NotFound();
        }

        var used = await db.ServicePolicies.CountAsync(p => p.CalendarId == id, ct);
        if (used > 0)
        {
            TempData["Error"] = new CaseRuleViolation(CaseRuleCode.CalendarInUse, null, calendar.Name, used.ToString(CultureInfo.CurrentCulture)).Message;
            return RedirectToAction(nameof(Index));
        }

        db.ServiceCalendars.Remove(calendar);
        await db.SaveChangesAsync(ct);
        TempData["Message"] = l["ServiceLevels_CalendarDeleted", calendar.Name].Value;
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("Policies/Create")]
    public async Task<IActionResult> CreatePolicy(CancellationToken ct) =>
        View("Policy", await PolicyModelAsync(null, new PolicyForm { Priority = CasePriority.Normal, FirstResponse = "4:00", Resolution = "40:00", AtRiskPercent = ServicePolicy.DefaultAtRiskPercent }, null, ct));

    [HttpPost("Policies/Create")]
    public Task<IActionResult> CreatePolicy(PolicyForm form, CancellationToken ct) => SavePolicyAsync(null, form, ct);

    [HttpGet("Policies/{id:int}")]
    public async Task<IActionResult> Policy(int id, CancellationToken ct)
    {
        var policy = await db.ServicePolicies.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return policy is null
            ? NotFound()
            : View(await PolicyModelAsync(id, new PolicyForm
            {
                Name = policy.Name, Priority = policy.Priority, CategoryId = policy.CategoryId, CalendarId = policy.CalendarId,
                FirstResponse = HoursText(policy.FirstResponseMinutes), Resolution = HoursText(policy.ResolutionMinutes), AtRiskPercent = policy.AtRiskPercent,
                Version = policy.Version,
            }, policy.CategoryId, ct));
    }

    [HttpPost("Policies/{id:int}")]
    public Task<IActionResult> Policy(int id, PolicyForm form, CancellationToken ct) => SavePolicyAsync(id, form, ct);

    [HttpPost("Policies/{id:int}/Delete")]
    public async Task<IActionResult> DeletePolicy(int id, CancellationToken ct)
    {
        var deleted = await db.ServicePolicies.Where(p => p.Id == id).ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            return NotFound();
        }

        TempData["Message"] = l["ServiceLevels_PolicyDeleted"].Value;
        return RedirectToAction(nameof(Index));
    }

    /// <summary>"4:00" → 240, "0:30" → 30, "40" → 2400; null when it is not hours and minutes.</summary>
    public static int? ParseHours(string? text)
    {
        var match = text is null ? null : HoursPattern().Match(text.Trim());
        return match is { Success: true }
            && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && hours <= 100_000
            ? (hours * 60) + (match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0)
            : null;
    }

    public static string HoursText(int minutes) => $"{minutes / 60}:{minutes % 60:00}";

    private async Task<IActionResult> SaveCalendarAsync(int? id, CalendarForm form, CancellationToken ct)
    {
        var calendar = id is { } calendarId ? await db.ServiceCalendars.AsSplitQuery().SingleOrDefaultAsync(c => c.Id == calendarId, ct) : new ServiceCalendar();
        if (calendar is null)
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(form.Name) || form.Name.Trim().Length > Limits.Name)
        {
            ModelState.AddModelError(nameof(CalendarForm.Name), l["ServiceLevels_NameRequired"]);
        }
        else if (await db.ServiceCalendars.AnyAsync(c => c.Name == form.Name.Trim() && c.Id != calendar.Id, ct))
        {
            ModelState.AddModelError(nameof(CalendarForm.Name), l["ServiceLevels_NameTaken"]);
        }

        var ranges = new List<WorkingRange>();
        for (var day = 0; day < Week.Length; day++)
        {
            foreach (var part in (form.Days.ElementAtOrDefault(day) ?? string.Empty).Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (RangePattern().Match(part) is { Success: true } m && Time(m.Groups[1].Value) is { } start && Time(m.Groups[2].Value) is { } end)
                {
                    ranges.Add(new WorkingRange(Week[day], start, end));
                }
                else
                {
                    ModelState.AddModelError($"Days[{day}]", l["ServiceLevels_RangeFormat", part]);
                }
            }
        }

        if (ModelState.ErrorCount == 0)
        {
            try
            {
                calendar.Update(form.Name!.Trim(), (form.TimeZoneId ?? string.Empty).Trim(), ranges);
            }
            catch (CaseRuleException ex)
            {
                ModelState.AddRuleErrors(ex);
            }
        }

        if (ModelState.ErrorCount == 0)
        {
            if (id is null)
            {
                db.ServiceCalendars.Add(calendar);
            }

            if (await SaveVersionedAsync(calendar, form.Version, ct))
            {
                TempData["Message"] = l["ServiceLevels_CalendarSaved", calendar.Name].Value;
                return RedirectToAction(nameof(Index));
            }
        }

        return View("Calendar", new CalendarEditModel(id, form, id is null ? [] : Years(calendar)));
    }

    private async Task<IActionResult> SavePolicyAsync(int? id, PolicyForm form, CancellationToken ct)
    {
        var policy = id is { } policyId ? await db.ServicePolicies.SingleOrDefaultAsync(p => p.Id == policyId, ct) : new ServicePolicy();
        if (policy is null)
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(form.Name) || form.Name.Trim().Length > Limits.Name)
        {
            ModelState.AddModelError(nameof(PolicyForm.Name), l["ServiceLevels_NameRequired"]);
        }

        if (form.Priority is not { } priority || !Enum.IsDefined(priority))
        {
            ModelState.AddModelError(nameof(PolicyForm.Priority), l["Validation_Choice"]);
        }

        if (form.CalendarId is not { } calendarId || !await db.ServiceCalendars.AnyAsync(c => c.Id == calendarId, ct))
        {
            ModelState.AddModelError(nameof(PolicyForm.CalendarId), l["Validation_Choice"]);
        }

        if (form.CategoryId is { } categoryId && (await reference.CategoriesAsync(policy.CategoryId, ct)).All(c => c.Id != categoryId))
        {
            ModelState.AddModelError(nameof(PolicyForm.CategoryId), l["Validation_Choice"]);
        }

        var firstResponse = ParseHours(form.FirstResponse);
        var resolution = ParseHours(form.Resolution);
        if (firstResponse is null)
        {
            ModelState.AddModelError(nameof(PolicyForm.FirstResponse), l["ServiceLevels_HoursFormat"]);
        }

        if (resolution is null)
        {
            ModelState.AddModelError(nameof(PolicyForm.Resolution), l["ServiceLevels_HoursFormat"]);
        }

        if (ModelState.ErrorCount == 0 && await db.ServicePolicies.AnyAsync(p => p.Priority == form.Priority && p.CategoryId == form.CategoryId && p.Id != policy.Id, ct))
        {
            ModelState.AddRuleErrors(new CaseRuleException(CaseRuleCode.PolicyExists));
        }

        if (ModelState.ErrorCount == 0)
        {
            try
            {
                policy.Update(
                    form.Name!.Trim(), form.Priority!.Value, form.CategoryId, form.CalendarId!.Value, firstResponse!.Value, resolution!.Value,
                    form.AtRiskPercent ?? ServicePolicy.DefaultAtRiskPercent);
                if (id is null)
                {
                    db.ServicePolicies.Add(policy);
                }

                if (await SaveVersionedAsync(policy, form.Version, ct))
                {
                    TempData["Message"] = l["ServiceLevels_PolicySaved", policy.Name].Value;
                    return RedirectToAction(nameof(Index));
                }
            }
            catch (CaseRuleException ex)
            {
                ModelState.AddRuleErrors(ex);
            }
        }

        return View("Policy", await PolicyModelAsync(id, form, policy.CategoryId, ct));
    }

    // Saves with the version the form was opened with: a save in between is refused with a message, not overwritten.
    private async Task<bool> SaveVersionedAsync(object entity, int formVersion, CancellationToken ct)
    {
        if (await db.SaveWithFormVersionAsync(entity, formVersion, ct))
        {
            return true;
        }

        ModelState.AddModelError(string.Empty, l["ServiceLevels_Stale"]);
        return false;
    }

    private async Task<PolicyEditModel> PolicyModelAsync(int? id, PolicyForm form, int? keepCategoryId, CancellationToken ct) =>
        new(id, form, await reference.CategoriesAsync(keepCategoryId, ct),
            [.. (await db.ServiceCalendars.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Id, c.Name }).ToListAsync(ct)).Select(c => (c.Id, c.Name))]);

    private static List<string> DayTexts(ServiceCalendar calendar) =>
        [.. Week.Select(day => string.Join(", ", calendar.Hours.Where(h => h.Day == day).OrderBy(h => h.Start).Select(h => ServiceCalendar.Text(h.ToRange()))))];

    private static List<int> Years(ServiceCalendar calendar)
    {
        var thisYear = DateTime.UtcNow.Year;
        return [.. calendar.Holidays.Select(h => h.Date.Year).Append(thisYear).Append(thisYear + 1).Distinct().Order()];
    }

    private static LocalTime? Time(string text)
    {
        var result = LocalTimePattern.CreateWithInvariantCulture("H:mm").Parse(text);
        return result.Success ? result.Value : text is "24:00" ? LocalTime.Midnight : null;
    }

    [GeneratedRegex(@"^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})\s+(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex HolidayLine();

    [GeneratedRegex(@"^(\d{1,6})(?::([0-5]\d))?$", RegexOptions.CultureInvariant)]
    private static partial Regex HoursPattern();
}
