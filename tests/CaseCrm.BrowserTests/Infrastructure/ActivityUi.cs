using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Infrastructure;

/// <summary>
/// Activities (calls, tasks, appointments) as a user sees them: the activity form (#activity-form), the lists of
/// Servicio → Actividades and of the "Actividades" tabs, and the case's "Actividad" timeline (#timeline).
/// </summary>
public static class ActivityUi
{
    /// <summary>The activity form (new or existing).</summary>
    public static ILocator ActivityForm(this IPage page) => page.Locator("#activity-form");

    /// <summary>A field of the activity form by its label ("Asunto", "Vencimiento", "Inicio", "Fin"…; required ones end with " *").</summary>
    public static ILocator ActivityField(this IPage page, string label) =>
        page.ActivityForm().GetByLabel(label);

    /// <summary>What "Referente a" names when the form was opened from a record ("Contacto: Ramón Núñez").</summary>
    public static ILocator RegardingCurrent(this IPage page) => page.Locator("#regarding-current");

    /// <summary>The status badge of an existing activity's page ("Abierta", "Completada", "Cancelada").</summary>
    public static ILocator ActivityStatus(this IPage page) => page.Locator("#activity-status");

    /// <summary>Waits for "Se guardó la actividad «…»." after a new activity was saved.</summary>
    public static Task ExpectActivityCreatedAsync(this IPage page, string subject) =>
        Expect(page.FlashMessage()).ToHaveTextAsync($"Se guardó la actividad «{subject}».");

    /// <summary>The row of an activity table (the list, or an "Actividades" tab) whose subject link is <paramref name="subject"/>.</summary>
    public static ILocator ActivityRow(this ILocator table, string subject) =>
        table.GetByRole(AriaRole.Row).Filter(new() { Has = table.Page.GetByRole(AriaRole.Link, new() { Name = subject, Exact = true }) });

    /// <summary>The case timeline's entry of an activity (li[data-activity-id]) whose link is <paramref name="subject"/>.</summary>
    public static ILocator TimelineActivity(this IPage page, string subject) =>
        page.Locator("#timeline li[data-activity-id]").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = subject, Exact = true }) });

    /// <summary>The "Actividades" tab of a contact's or an account's page.</summary>
    public static async Task OpenActivitiesTabAsync(this IPage page)
    {
        var tab = page.Locator("#activities-tab");
        await Expect(tab).ToHaveTextAsync("Actividades");
        await tab.ClickAsync();
        await Expect(tab).ToHaveAttributeAsync("aria-current", "page");
    }

    /// <summary>A value for a <c>datetime-local</c> input: "2026-12-09T10:00".</summary>
    public static string LocalInput(DateTime wallClock) => wallClock.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
}
