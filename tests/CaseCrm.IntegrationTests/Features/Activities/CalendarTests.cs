using System.Globalization;
using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Activities;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;
using IcalCalendar = Ical.Net.Calendar;

namespace CaseCrm.IntegrationTests.Features.Activities;

/// <summary>
/// Servicio → Calendario and the private iCalendar feed, on SQLite and PostgreSQL: the week shows my appointments, tasks
/// due and appointments I attend on their days; a supervisor sees another's or the team's; the feed parses back with
/// Ical.Net, and a renewed or revoked secret ends the old address at once.
/// </summary>
public abstract class CalendarTests(CrmWebFactory factory)
{
    private static readonly DateTime Wednesday = new(2026, 12, 9, 10, 0, 0, DateTimeKind.Local);

    [Fact]
    public async Task TheWeek_ShowsMyAppointmentsTasksAndInvitations_OnTheirDays_AndNotOthers()
    {
        var (me, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var other = await factory.NewUserAsync(Roles.Agent);
        var meeting = await NewAsync(ActivityType.Appointment, "Visita " + Token(), me.Id, Wednesday, Wednesday.AddHours(1));
        var task = await NewAsync(ActivityType.Task, "Enviar presupuesto " + Token(), me.Id, Wednesday.AddDays(2));
        var invited = await NewAsync(ActivityType.Appointment, "Reunión de equipo " + Token(), other.Id, Wednesday.AddDays(1), Wednesday.AddDays(1).AddHours(2), [me.Id]);
        var notMine = await NewAsync(ActivityType.Appointment, "Ajena " + Token(), other.Id, Wednesday, Wednesday.AddHours(1));

        var page = await client.GetDocumentAsync("/Calendar?view=Week&date=2026-12-09");

        Assert.Equal(7, page.QuerySelectorAll(".calendar-day").Length);
        Assert.Contains(meeting.Subject, page.Text("[data-date='2026-12-09']"), StringComparison.Ordinal);
        Assert.Contains(invited.Subject, page.Text("[data-date='2026-12-10']"), StringComparison.Ordinal);
        Assert.Contains(task.Subject, page.Text("[data-date='2026-12-11']"), StringComparison.Ordinal);
        Assert.DoesNotContain(notMine.Subject, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#calendar-who"));
        var month = await client.GetDocumentAsync("/Calendar?view=Month&date=2026-12-09");
        Assert.Equal(35, month.QuerySelectorAll(".calendar-day").Length); // 30 Nov – 3 Jan, five whole weeks
        Assert.Contains(task.Subject, month.Text("[data-date='2026-12-11']"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASupervisor_SeesAnAgentsOrTheTeamsCalendar_AnAgentOnlyTheirOwn()
    {
        var agent = await factory.NewUserAsync(Roles.Agent);
        var item = await NewAsync(ActivityType.Task, "Del agente " + Token(), agent.Id, Wednesday);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);

        Assert.Contains(item.Subject, (await supervisor.GetDocumentAsync($"/Calendar?date=2026-12-09&who={agent.Id}")).Text(".calendar"), StringComparison.Ordinal);
        Assert.Contains(item.Subject, (await supervisor.GetDocumentAsync("/Calendar?date=2026-12-09&who=team")).Text(".calendar"), StringComparison.Ordinal);
        var otherAgent = await factory.ClientAsync(Roles.Agent);
        Assert.DoesNotContain(item.Subject, (await otherAgent.GetDocumentAsync($"/Calendar?date=2026-12-09&who={agent.Id}")).Text(".calendar"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await otherAgent.StatusOfGetAsync("/Calendar?date=99999-99-99&view=Decade"));
    }

    [Fact]
    public async Task TheFeed_ParsesBack_AndARenewedOrRevokedSecretEndsTheOldAddress()
    {
        var (me, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var soon = DateTime.UtcNow.Date.AddDays(2).AddHours(9);
        var meeting = await NewAsync(ActivityType.Appointment, "Visita técnica " + Token(), me.Id, soon.ToLocalTime(), soon.AddHours(1).ToLocalTime());
        var task = await NewAsync(ActivityType.Task, "Llamar de vuelta " + Token(), me.Id, soon.AddDays(1).ToLocalTime());

        var calendarPage = await client.GetDocumentAsync("/Calendar");
        using var created = await calendarPage.GetForm(client, "#feed-new").PostAsync();
        var withUrl = await client.FollowAsync(created);
        var url = ((AngleSharp.Html.Dom.IHtmlInputElement)withUrl.QuerySelector("#feed-url")!).Value;
        Assert.Null((await client.GetDocumentAsync("/Calendar")).QuerySelector("#feed-url"));

        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var feed = await anonymous.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);
        var parsed = IcalCalendar.Load(await feed.Content.ReadAsStringAsync())!;
        var ev = Assert.Single(parsed.Events);
        Assert.Equal(meeting.Subject, ev.Summary);
        Assert.Equal(soon, ev.DtStart!.AsUtc);
        Assert.Equal(task.Subject, Assert.Single(parsed.Todos).Summary);

        var renew = (await client.GetDocumentAsync("/Calendar")).GetForm(client, "#feed-new");
        (await renew.PostAsync()).Dispose();
        Assert.Equal(HttpStatusCode.NotFound, await anonymous.StatusOfGetAsync(new Uri(url).PathAndQuery));
        var revoke = (await client.GetDocumentAsync("/Calendar")).GetForm(client, "#feed-revoke");
        (await revoke.PostAsync()).Dispose();
        Assert.Null(await factory.InDbAsync(db => db.Users.Where(u => u.Id == me.Id).Select(u => u.CalendarFeedTokenHash).SingleAsync()));
        Assert.Equal(HttpStatusCode.NotFound, await anonymous.StatusOfGetAsync("/Calendar/Feed/" + new string('x', 43) + ".ics"));
    }

    private Task<Activity> NewAsync(ActivityType type, string subject, string ownerId, DateTime local, DateTime? localEnd = null, string[]? attendees = null) =>
        factory.Database.NewActivityService().CreateAsync(
            type,
            new ActivityFields(subject, null, ActivityPriority.Normal, ownerId, null,
                DueAt: type == ActivityType.Task ? local.ToUniversalTime() : null,
                StartAt: type == ActivityType.Appointment ? local.ToUniversalTime() : null,
                EndAt: localEnd?.ToUniversalTime(),
                AttendeeIds: attendees),
            ownerId);

    public sealed class Sqlite(SqliteWebFactory factory) : CalendarTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : CalendarTests(factory), IClassFixture<PostgresWebFactory>;
}
