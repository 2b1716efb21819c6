using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.ServiceLevels;

/// <summary>
/// Configuración → Niveles de servicio through its forms, on SQLite and PostgreSQL: a calendar with several ranges a day
/// and a year's holidays; each refusal beside its field with nothing written (overlapping ranges, a range that ends
/// before it starts, an unknown time zone, a holiday outside the year, a target of zero, a second policy for the same
/// priority); a calendar in use is not deleted; the demo's calendars for Spain, Colombia and Mexico.
/// </summary>
public abstract class ServiceLevelPagesTests(CrmWebFactory factory)
{
    [Fact]
    public async Task AnAdministrator_SavesACalendar_WithSeveralRangesADay_AndAYearsHolidays()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var name = "Soporte " + Token();
        var form = (await client.GetFormAsync("/ServiceLevels/Calendars/Create", "#calendar-form"))
            .Set("Name", name).Set("TimeZoneId", "Europe/Madrid").Set("Days[0]", "09:00-14:00, 15:00-18:00").Set("Days[1]", "").Set("Days[2]", "").Set("Days[3]", "").Set("Days[4]", "").Set("Days[5]", "10:00-13:00").Set("Days[6]", "20:00-24:00");

        using (var saved = await form.PostAsync())
        {
            Assert.Equal("/ServiceLevels", saved.RedirectTarget());
        }

        var calendar = await factory.InDbAsync(db => db.ServiceCalendars.AsNoTracking().SingleAsync(c => c.Name == name));
        Assert.Equal(
            [(IsoDayOfWeek.Monday, "09:00-14:00"), (IsoDayOfWeek.Monday, "15:00-18:00"), (IsoDayOfWeek.Saturday, "10:00-13:00"), (IsoDayOfWeek.Sunday, "20:00-00:00")],
            calendar.Hours.OrderBy(h => h.Day).ThenBy(h => h.Start).Select(h => (h.Day, CaseCrm.Domain.ServiceLevels.ServiceCalendar.Text(h.ToRange()))));

        var holidays = (await client.GetFormAsync($"/ServiceLevels/Calendars/{calendar.Id}/Holidays/2026", "#holidays-form"))
            .Set("Lines", "2026-12-25 Navidad\n\n2026-01-01 Año Nuevo");
        using (var saved = await holidays.PostAsync())
        {
            Assert.Equal($"/ServiceLevels/Calendars/{calendar.Id}", saved.RedirectTarget());
        }

        var stored = await factory.InDbAsync(db => db.ServiceCalendars.AsNoTracking().SingleAsync(c => c.Id == calendar.Id));
        Assert.Equal([(new DateOnly(2026, 1, 1), "Año Nuevo"), (new DateOnly(2026, 12, 25), "Navidad")], stored.Holidays.OrderBy(h => h.Date).Select(h => (h.Date, h.Name)));
        // Thursday 24 December, 17:00 in Madrid + 1 working hour: no hours on Thursday, Christmas off, Saturday 10:00–11:00.
        Assert.Equal(
            Instant.FromUtc(2026, 12, 26, 10, 0),
            stored.Schedule().Add(Instant.FromUtc(2026, 12, 24, 16, 0), Duration.FromMinutes(60)));
    }

    [Fact]
    public async Task ACalendarsMistakes_AreRefusedBesideTheirFields_AndNothingIsWritten()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var name = "Errores " + Token();
        var form = (await client.GetFormAsync("/ServiceLevels/Calendars/Create", "#calendar-form"))
            .Set("Name", name).Set("TimeZoneId", "Europe/Madird")
            .Set("Days[0]", "09:00-14:00, 13:00-15:00").Set("Days[1]", "18:00-09:00").Set("Days[2]", "9 a 5");

        using var refused = await form.PostAsync();

        var page = await refused.PageAsync();
        Assert.Equal("«9 a 5» no es un tramo: escríbalo como 09:00-14:00.", page.FieldError("Days[2]"));
        Assert.False(await factory.InDbAsync(db => db.ServiceCalendars.AnyAsync(c => c.Name == name)));

        using var again = await page.GetForm(client, "#calendar-form").Set("Days[2]", "").PostAsync();
        var second = await again.PageAsync();
        Assert.Equal("Los tramos 09:00-14:00 y 13:00-15:00 se solapan.", second.FieldError("Days[0]"));
        Assert.Equal("El tramo 18:00-09:00 termina antes de empezar.", second.FieldError("Days[1]"));
        Assert.StartsWith("La zona horaria «Europe/Madird» no existe.", second.FieldError("TimeZoneId"), StringComparison.Ordinal);
        Assert.False(await factory.InDbAsync(db => db.ServiceCalendars.AnyAsync(c => c.Name == name)));
    }

    [Fact]
    public async Task AHolidayOutsideTheYear_OrAMalformedLine_IsRefused_AndTheYearIsUnchanged()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var calendarId = await factory.InDbAsync(db => db.ServiceCalendars.Where(c => c.Name == "España (Madrid)").Select(c => c.Id).SingleAsync());
        var before = await HolidaysAsync(calendarId);

        using (var refused = await (await client.GetFormAsync($"/ServiceLevels/Calendars/{calendarId}/Holidays/2026", "#holidays-form"))
            .Set("Lines", "2026-12-25 Navidad\n2027-01-01 Año Nuevo").PostAsync())
        {
            Assert.Equal("La fecha 2027-01-01 no es del año 2026.", (await refused.PageAsync()).FieldError("Lines"));
        }

        using (var malformed = await (await client.GetFormAsync($"/ServiceLevels/Calendars/{calendarId}/Holidays/2026", "#holidays-form"))
            .Set("Lines", "2026-12-25 Navidad\n25/12/2026 Navidad").PostAsync())
        {
            Assert.Equal("Línea 2: escriba la fecha como 2026-12-25 y después el nombre.", (await malformed.PageAsync()).FieldError("Lines"));
        }

        Assert.Equal(before, await HolidaysAsync(calendarId));
    }

    [Fact]
    public async Task APolicysMistakes_AreRefusedBesideTheirFields_AndACalendarInUseIsNotDeleted()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var calendarId = await factory.InDbAsync(db => db.ServiceCalendars.Where(c => c.Name == "Colombia (Bogotá)").Select(c => c.Id).SingleAsync());
        var data = await factory.NewDataAsync();
        var name = "Política " + Token();
        var form = (await client.GetFormAsync("/ServiceLevels/Policies/Create", "#policy-form"))
            .Set("Name", name).Set("CalendarId", calendarId).Set("Priority", "High").Set("CategoryId", data.Category.Id)
            .Set("FirstResponse", "0:00").Set("Resolution", "ocho");

        using (var refused = await form.PostAsync())
        {
            var page = await refused.PageAsync();
            Assert.Equal("Escriba horas y minutos, como 4:00 o 0:30.", page.FieldError("Resolution"));
        }

        using (var zero = await form.Set("Resolution", "16:00").PostAsync())
        {
            Assert.Equal("El objetivo debe ser mayor que cero.", (await zero.PageAsync()).FieldError("FirstResponse"));
        }

        Assert.False(await factory.InDbAsync(db => db.ServicePolicies.AnyAsync(p => p.Name == name)));
        using (var saved = await form.Set("FirstResponse", "1:30").PostAsync())
        {
            Assert.Equal("/ServiceLevels", saved.RedirectTarget());
        }

        var policy = await factory.InDbAsync(db => db.ServicePolicies.AsNoTracking().SingleAsync(p => p.Name == name));
        Assert.Equal((90, 960, CasePriority.High, (int?)data.Category.Id), (policy.FirstResponseMinutes, policy.ResolutionMinutes, policy.Priority, policy.CategoryId));

        using (var twice = await form.Set("Name", name + " bis").PostAsync())
        {
            Assert.Equal("Ya existe una política para esa prioridad y categoría.", (await twice.PageAsync()).FieldError("Priority"));
        }

        using (var deleted = await client.PostWithTokenAsync($"/ServiceLevels/Calendars/{calendarId}/Delete", null, "/ServiceLevels"))
        {
            Assert.Equal("/ServiceLevels", deleted.RedirectTarget());
            Assert.StartsWith("El calendario «Colombia (Bogotá)» lo usan 1 políticas", (await client.FollowAsync(deleted)).Text("#service-levels-error"), StringComparison.Ordinal);
        }

        Assert.True(await factory.InDbAsync(db => db.ServiceCalendars.AnyAsync(c => c.Id == calendarId)));
    }

    [Fact]
    public async Task TheDemo_HasSpainColombiaAndMexico_WithTheirNationalHolidaysOf2026And2027_AndAPolicyPerPriority()
    {
        var calendars = await factory.InDbAsync(db => db.ServiceCalendars.AsNoTracking().ToListAsync());
        int Count(string name, int year) => calendars.Single(c => c.Name == name).Holidays.Count(h => h.Date.Year == year);

        Assert.Equal((10, 10), (Count("España (Madrid)", 2026), Count("España (Madrid)", 2027)));
        Assert.Equal((18, 18), (Count("Colombia (Bogotá)", 2026), Count("Colombia (Bogotá)", 2027)));
        Assert.Equal((7, 7), (Count("México (Ciudad de México)", 2026), Count("México (Ciudad de México)", 2027)));
        var colombia = calendars.Single(c => c.Name == "Colombia (Bogotá)").Holidays.Select(h => h.Date).ToHashSet();
        // Moved to Monday: Reyes (6 Jan 2026, a Tuesday) and San Pedro (29 Jun 2027, a Tuesday); Easter-based: Good Friday 2027.
        Assert.Superset(new HashSet<DateOnly> { new(2026, 1, 12), new(2027, 7, 5), new(2027, 3, 26) }, colombia);
        // docs/service-levels.md's example: 4 working hours from Thursday 24 December 2026, 17:00 in Madrid → Monday 28, 12:00.
        var spain = calendars.Single(c => c.Name == "España (Madrid)").Schedule();
        Assert.Equal(Instant.FromUtc(2026, 12, 28, 11, 0), spain.Add(Instant.FromUtc(2026, 12, 24, 16, 0), Duration.FromHours(4)));
        Assert.Equal(
            [CasePriority.Low, CasePriority.Normal, CasePriority.High, CasePriority.Urgent],
            await factory.InDbAsync(db => db.ServicePolicies.Where(p => p.CategoryId == null).OrderBy(p => p.Priority).Select(p => p.Priority).ToListAsync()));
    }

    private Task<List<(DateOnly, string)>> HolidaysAsync(int calendarId) => factory.InDbAsync(async db =>
        (await db.ServiceCalendars.AsNoTracking().SingleAsync(c => c.Id == calendarId)).Holidays.OrderBy(h => h.Date).Select(h => (h.Date, h.Name)).ToList());

    public sealed class Sqlite(SqliteWebFactory factory) : ServiceLevelPagesTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ServiceLevelPagesTests(factory), IClassFixture<PostgresWebFactory>;
}
