using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CaseCrm.Data;
using CaseCrm.Domain.Activities;
using CaseCrm.Web.Infrastructure;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using IcalCalendar = Ical.Net.Calendar;

namespace CaseCrm.Web.Features.Calendar;

public enum CalendarView
{
    Week,
    Month,
}

/// <summary>A calendar page: the days shown (whole weeks, Monday first), their items, and whose they are.</summary>
public sealed record CalendarModel(
    CalendarView View, DateOnly Date, IReadOnlyList<DateOnly> Days, ILookup<DateOnly, CalendarItem> Items, DateOnly Today,
    IReadOnlyList<UserOption>? Users, string? Who, bool HasFeed, string? NewFeedUrl, bool Truncated)
{
    public DateOnly Previous => View == CalendarView.Week ? Date.AddDays(-7) : Date.AddMonths(-1);
    public DateOnly Next => View == CalendarView.Week ? Date.AddDays(7) : Date.AddMonths(1);
}

/// <summary>
/// Servicio → Calendario: the appointments and tasks due of a week or a month, server-rendered (links only, so the keyboard
/// and a phone work as with any page); a supervisor picks a user or the team. And each user's private iCalendar feed.
/// Times are shown in the user's time zone and stored in UTC.
/// </summary>
public sealed class CalendarController(CalendarQueries queries, ReferenceData reference, CrmDbContext db, CurrentUser me, TimeProvider clock, IStringLocalizer<SharedResource> l) : Controller
{
    public const string Team = "team";

    [HttpGet("/Calendar")]
    public async Task<IActionResult> Index(CalendarView view = CalendarView.Week, DateOnly? date = null, string? who = null, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(me.ToLocal(clock.GetUtcNow().UtcDateTime));
        var anchor = date is { } d && d.Year is > 1900 and < 9000 ? d : today;
        view = Enum.IsDefined(view) ? view : CalendarView.Week;
        var first = view == CalendarView.Week ? Monday(anchor) : Monday(new DateOnly(anchor.Year, anchor.Month, 1));
        var last = view == CalendarView.Week ? first.AddDays(6) : Monday(new DateOnly(anchor.Year, anchor.Month, 1).AddMonths(1).AddDays(-1)).AddDays(6);
        var days = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays).ToList();

        var isSupervisor = await me.CanManageCasesAsync();
        var userId = !isSupervisor || string.IsNullOrEmpty(who) ? me.Id : who == Team ? null : who;
        var items = await queries.ItemsAsync(userId, Utc(first), Utc(last.AddDays(1)), ct);
        var byDay = items.ToLookup(i => DateOnly.FromDateTime(me.ToLocal(i.At)));
        return View(new CalendarModel(
            view, anchor, days, byDay, today, isSupervisor ? await reference.ActiveUsersAsync(ct) : null, isSupervisor ? who : null,
            await queries.HasFeedAsync(me.Id, ct), TempData["FeedUrl"] as string, items.Count >= CalendarQueries.MaxItems));
    }

    /// <summary>Makes a new secret feed URL for the signed-in user (the old one stops working) and shows it once.</summary>
    [HttpPost("/Calendar/Feed")]
    public async Task<IActionResult> NewFeed(CancellationToken ct)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await db.Users.Where(u => u.Id == me.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.CalendarFeedTokenHash, Hash(token)), ct);
        TempData["FeedUrl"] = Url.Action(nameof(Feed), "Calendar", new { token }, Request.Scheme, Request.Host.Value);
        TempData["Message"] = l["Calendar_FeedCreated"].Value;
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("/Calendar/Feed/Revoke")]
    public async Task<IActionResult> RevokeFeed(CancellationToken ct)
    {
        await db.Users.Where(u => u.Id == me.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.CalendarFeedTokenHash, (string?)null), ct);
        TempData["Message"] = l["Calendar_FeedRevoked"].Value;
        return RedirectToAction(nameof(Index));
    }

    /// <summary>
    /// The private feed (text/calendar) for a calendar app: the user's appointments (events) and tasks (to-dos) from 30 days
    /// ago to a year ahead. The secret in the URL is the only credential; a disabled user's feed stops at once.
    /// </summary>
    [AllowAnonymous]
    [HttpGet("/Calendar/Feed/{token}.ics")]
    public async Task<IActionResult> Feed(string token, CancellationToken ct)
    {
        var hash = token.Length is > 20 and < 100 ? Hash(token) : null;
        var user = hash is null ? null : await db.Users.AsNoTracking()
            .Where(u => u.CalendarFeedTokenHash == hash && u.IsActive)
            .Select(u => new { u.Id, u.DisplayName })
            .SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return NotFound();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var items = await queries.ItemsAsync(user.Id, now.AddDays(-30), now.AddDays(366), ct);
        var calendar = new IcalCalendar { ProductId = "-//CaseCrm//Calendario//ES" };
        calendar.AddProperty("X-WR-CALNAME", "CaseCrm — " + user.DisplayName);
        var host = Request.Host.Host;
        foreach (var item in items)
        {
            var url = new Uri(Url.Action("Edit", "Activities", new { id = item.Id }, Request.Scheme, Request.Host.Value)!);
            var uid = $"activity-{item.Id.ToString(CultureInfo.InvariantCulture)}@{host}";
            if (item.Type == ActivityType.Appointment)
            {
                calendar.Events.Add(new CalendarEvent
                {
                    Uid = uid,
                    Summary = item.Subject,
                    Location = item.Location,
                    DtStart = new CalDateTime(item.At, "UTC"),
                    DtEnd = new CalDateTime(item.EndAt ?? item.At.AddHours(1), "UTC"),
                    Url = url,
                    Status = item.Status == ActivityStatus.Completed ? "CONFIRMED" : "TENTATIVE",
                });
            }
            else
            {
                calendar.Todos.Add(new Todo
                {
                    Uid = uid,
                    Summary = item.Subject,
                    Due = new CalDateTime(item.At, "UTC"),
                    Url = url,
                    Status = item.Status == ActivityStatus.Completed ? "COMPLETED" : "NEEDS-ACTION",
                });
            }
        }

        var text = new CalendarSerializer().SerializeToString(calendar) ?? string.Empty;
        Response.Headers.CacheControl = "private, no-store";
        return File(Encoding.UTF8.GetBytes(text), "text/calendar; charset=utf-8", "casecrm.ics");
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private DateTime Utc(DateOnly day) => me.ToUtc(day.ToDateTime(TimeOnly.MinValue));
}
