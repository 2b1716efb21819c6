using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.IntegrationTests.Infrastructure;
using NodaTime;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.ServiceLevels;

/// <summary>Service levels whose due times read plainly: a calendar that works around the clock, so working time is wall time.</summary>
public static class AroundTheClock
{
    /// <summary>Two policies of <paramref name="categoryId"/> in a new around-the-clock calendar: Normal 4 h / 40 h, Urgent 1 h / 8 h.</summary>
    public static Task<(int Normal, int Urgent)> PoliciesAsync(CrmWebFactory factory, int categoryId) =>
        factory.InDbAsync(async db =>
        {
            var calendar = new ServiceCalendar();
            calendar.Update("Siempre " + Token(), "Etc/UTC",
                [.. Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).Select(d => new WorkingRange(d, LocalTime.Midnight, LocalTime.Midnight))]);
            db.ServiceCalendars.Add(calendar);
            await db.SaveChangesAsync();
            var normal = new ServicePolicy();
            normal.Update("Normal " + Token(), CasePriority.Normal, categoryId, calendar.Id, 4 * 60, 40 * 60);
            var urgent = new ServicePolicy();
            urgent.Update("Urgente " + Token(), CasePriority.Urgent, categoryId, calendar.Id, 60, 8 * 60);
            db.ServicePolicies.AddRange(normal, urgent);
            await db.SaveChangesAsync();
            return (normal.Id, urgent.Id);
        });
}
