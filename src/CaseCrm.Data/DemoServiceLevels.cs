using System.Globalization;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using NodaTime;

namespace CaseCrm.Data;

/// <summary>
/// The demo's service levels: calendars for Spain, Colombia and Mexico with their national holidays of 2026 and 2027
/// (movable feasts from Easter, Colombia's moved to Monday by Law 51 of 1983, Mexico's Monday holidays of the Federal
/// Labour Law, art. 74), and one policy per priority in the Spanish calendar.
/// </summary>
internal static class DemoServiceLevels
{
    private static readonly (string Date, string Name)[] Spain =
        [
            ("2026-01-01", "Año Nuevo"),
            ("2026-01-06", "Epifanía del Señor"),
            ("2026-04-03", "Viernes Santo"),
            ("2026-05-01", "Fiesta del Trabajo"),
            ("2026-08-15", "Asunción de la Virgen"),
            ("2026-10-12", "Fiesta Nacional de España"),
            ("2026-11-01", "Todos los Santos"),
            ("2026-12-06", "Día de la Constitución Española"),
            ("2026-12-08", "Inmaculada Concepción"),
            ("2026-12-25", "Natividad del Señor"),
            ("2027-01-01", "Año Nuevo"),
            ("2027-01-06", "Epifanía del Señor"),
            ("2027-03-26", "Viernes Santo"),
            ("2027-05-01", "Fiesta del Trabajo"),
            ("2027-08-15", "Asunción de la Virgen"),
            ("2027-10-12", "Fiesta Nacional de España"),
            ("2027-11-01", "Todos los Santos"),
            ("2027-12-06", "Día de la Constitución Española"),
            ("2027-12-08", "Inmaculada Concepción"),
            ("2027-12-25", "Natividad del Señor"),
        ];

    private static readonly (string Date, string Name)[] Colombia =
        [
            ("2026-01-01", "Año Nuevo"),
            ("2026-01-12", "Día de los Reyes Magos"),
            ("2026-03-23", "Día de San José"),
            ("2026-04-02", "Jueves Santo"),
            ("2026-04-03", "Viernes Santo"),
            ("2026-05-01", "Día del Trabajo"),
            ("2026-05-18", "Ascensión del Señor"),
            ("2026-06-08", "Corpus Christi"),
            ("2026-06-15", "Sagrado Corazón"),
            ("2026-06-29", "San Pedro y San Pablo"),
            ("2026-07-20", "Día de la Independencia"),
            ("2026-08-07", "Batalla de Boyacá"),
            ("2026-08-17", "Asunción de la Virgen"),
            ("2026-10-12", "Día de la Raza"),
            ("2026-11-02", "Todos los Santos"),
            ("2026-11-16", "Independencia de Cartagena"),
            ("2026-12-08", "Inmaculada Concepción"),
            ("2026-12-25", "Navidad"),
            ("2027-01-01", "Año Nuevo"),
            ("2027-01-11", "Día de los Reyes Magos"),
            ("2027-03-22", "Día de San José"),
            ("2027-03-25", "Jueves Santo"),
            ("2027-03-26", "Viernes Santo"),
            ("2027-05-01", "Día del Trabajo"),
            ("2027-05-10", "Ascensión del Señor"),
            ("2027-05-31", "Corpus Christi"),
            ("2027-06-07", "Sagrado Corazón"),
            ("2027-07-05", "San Pedro y San Pablo"),
            ("2027-07-20", "Día de la Independencia"),
            ("2027-08-07", "Batalla de Boyacá"),
            ("2027-08-16", "Asunción de la Virgen"),
            ("2027-10-18", "Día de la Raza"),
            ("2027-11-01", "Todos los Santos"),
            ("2027-11-15", "Independencia de Cartagena"),
            ("2027-12-08", "Inmaculada Concepción"),
            ("2027-12-25", "Navidad"),
        ];

    private static readonly (string Date, string Name)[] Mexico =
        [
            ("2026-01-01", "Año Nuevo"),
            ("2026-02-02", "Día de la Constitución"),
            ("2026-03-16", "Natalicio de Benito Juárez"),
            ("2026-05-01", "Día del Trabajo"),
            ("2026-09-16", "Día de la Independencia"),
            ("2026-11-16", "Día de la Revolución"),
            ("2026-12-25", "Navidad"),
            ("2027-01-01", "Año Nuevo"),
            ("2027-02-01", "Día de la Constitución"),
            ("2027-03-15", "Natalicio de Benito Juárez"),
            ("2027-05-01", "Día del Trabajo"),
            ("2027-09-16", "Día de la Independencia"),
            ("2027-11-15", "Día de la Revolución"),
            ("2027-12-25", "Navidad"),
        ];

    public static IReadOnlyList<ServiceCalendar> Calendars() =>
    [
        Calendar("España (Madrid)", "Europe/Madrid", [(9, 14), (15, 18)], Spain),
        Calendar("Colombia (Bogotá)", "America/Bogota", [(8, 12), (13, 17)], Colombia),
        Calendar("México (Ciudad de México)", "America/Mexico_City", [(9, 18)], Mexico),
    ];

    /// <summary>Targets in working hours by priority: first response and resolution.</summary>
    public static IReadOnlyList<ServicePolicy> Policies(int calendarId) =>
    [
        Policy("Urgente", CasePriority.Urgent, calendarId, 1, 8),
        Policy("Alta", CasePriority.High, calendarId, 2, 16),
        Policy("Normal", CasePriority.Normal, calendarId, 4, 40),
        Policy("Baja", CasePriority.Low, calendarId, 8, 80),
    ];

    private static ServiceCalendar Calendar(string name, string zone, (int From, int To)[] hours, (string Date, string Name)[] holidays)
    {
        var calendar = new ServiceCalendar();
        IsoDayOfWeek[] weekdays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];
        calendar.Update(name, zone, [.. weekdays.SelectMany(d => hours.Select(h => new WorkingRange(d, new LocalTime(h.From, 0), new LocalTime(h.To, 0))))]);
        foreach (var year in new[] { 2026, 2027 })
        {
            calendar.SetHolidays(year, [.. holidays
                .Select(h => (Date: LocalDate.FromDateTime(DateTime.ParseExact(h.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture)), h.Name))
                .Where(h => h.Date.Year == year)]);
        }

        return calendar;
    }

    private static ServicePolicy Policy(string name, CasePriority priority, int calendarId, int firstResponseHours, int resolutionHours)
    {
        var policy = new ServicePolicy();
        policy.Update(name, priority, null, calendarId, firstResponseHours * 60, resolutionHours * 60);
        return policy;
    }
}
