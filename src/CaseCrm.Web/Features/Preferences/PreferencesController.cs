using CaseCrm.Data.Identity;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Preferences;

public sealed class PreferencesForm
{
    /// <summary>An IANA time zone id; empty for the server's.</summary>
    public string? TimeZoneId { get; set; }
}

public sealed record TimeZoneOption(string Id, string Label);

public sealed record PreferencesModel(PreferencesForm Form, IReadOnlyList<TimeZoneOption> Zones, string ServerZone);

/// <summary>
/// "Preferencias": what each user sets for themself — the time zone their times are shown and entered in (activities,
/// the calendar). Kept in the sign-in cookie, refreshed when saved.
/// </summary>
public sealed class PreferencesController(UserManager<AppUser> users, SignInManager<AppUser> signIn, CurrentUser me, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("/Preferences")]
    public async Task<IActionResult> Index()
    {
        var user = await users.FindByIdAsync(me.Id);
        return View(Model(new PreferencesForm { TimeZoneId = user?.TimeZoneId }));
    }

    [HttpPost("/Preferences")]
    public async Task<IActionResult> Index(PreferencesForm form)
    {
        var id = string.IsNullOrWhiteSpace(form.TimeZoneId) ? null : form.TimeZoneId.Trim();
        if (id is not null && (id.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out _)))
        {
            ModelState.AddModelError(nameof(PreferencesForm.TimeZoneId), l["Validation_Choice"]);
            return View(Model(form));
        }

        if (await users.FindByIdAsync(me.Id) is not { } user)
        {
            return NotFound();
        }

        user.TimeZoneId = id;
        await users.UpdateAsync(user);
        await signIn.RefreshSignInAsync(user);
        TempData["Message"] = l["Preferences_Saved"].Value;
        return RedirectToAction(nameof(Index));
    }

    private static PreferencesModel Model(PreferencesForm form) => new(
        form,
        [.. TimeZoneInfo.GetSystemTimeZones()
            .Where(z => z.HasIanaId && z.Id.Contains('/', StringComparison.Ordinal) && !z.Id.StartsWith("Etc/", StringComparison.Ordinal))
            .OrderBy(z => z.BaseUtcOffset).ThenBy(z => z.Id, StringComparer.Ordinal)
            .Select(z => new TimeZoneOption(z.Id, $"(UTC{Offset(z.BaseUtcOffset)}) {z.Id.Replace('_', ' ')}"))],
        TimeZoneInfo.Local.Id);

    private static string Offset(TimeSpan offset) => (offset < TimeSpan.Zero ? "−" : "+") + offset.Duration().ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture);
}
