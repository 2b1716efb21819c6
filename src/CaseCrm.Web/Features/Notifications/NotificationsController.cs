using CaseCrm.Data;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Notifications;

/// <summary>
/// The bell: the signed-in user's notifications, marked read one by one (or by opening one) or all at once, and the
/// people a comment may mention. A notification is only ever its recipient's: another user's answers 404.
/// </summary>
public sealed class NotificationsController(
    NotificationQueries queries, CrmDbContext db, TimeProvider clock, CurrentUser me, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("/Notifications")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await queries.ListAsync(me.Id, ct));

    [HttpPost("/Notifications/{id:long}/Read")]
    public async Task<IActionResult> Read([FromRoute] long id, CancellationToken ct)
    {
        if (await MarkReadAsync(id, ct) is null)
        {
            return NotFound();
        }

        TempData["Message"] = l["Notifications_MarkedRead"].Value;
        return RedirectToAction(nameof(Index));
    }

    /// <summary>Opening a notification marks it read and goes to its case.</summary>
    [HttpPost("/Notifications/{id:long}/Open")]
    public async Task<IActionResult> Open([FromRoute] long id, CancellationToken ct) =>
        await MarkReadAsync(id, ct) is { } caseId
            ? RedirectToAction("Details", "Cases", new { id = caseId })
            : NotFound();

    [HttpPost("/Notifications/ReadAll")]
    public async Task<IActionResult> ReadAll(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var userId = me.Id;
        await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.ReadAt, now), ct);
        TempData["Message"] = l["Notifications_AllMarkedRead"].Value;
        return RedirectToAction(nameof(Index));
    }

    /// <summary>The people to offer after an @ in a comment (JSON: handle and name).</summary>
    [HttpGet("/Notifications/Mentions")]
    public async Task<IActionResult> Mentions(string? q, CancellationToken ct) => Json(await queries.MentionsAsync(q, ct));

    // The case of the user's own notification, now read; null when the user has no such notification.
    private async Task<int?> MarkReadAsync(long id, CancellationToken ct)
    {
        var userId = me.Id;
        var notification = await db.Notifications.SingleOrDefaultAsync(n => n.Id == id && n.UserId == userId, ct);
        if (notification is null)
        {
            return null;
        }

        notification.MarkRead(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return notification.CaseId;
    }
}
