using CaseCrm.Data.Activities;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Activities;

/// <summary>The activity form: a new call, task or appointment, or an existing one; the look-up and choices it offers.</summary>
public sealed record ActivityFormModel(
    int? Id, ActivityForm Form, ActivityStatus Status, bool MayChange, string? RegardingLabel, IReadOnlyList<RegardingOption>? Matches,
    IReadOnlyList<UserOption> Users, string? ReturnUrl)
{
    public bool IsNew => Id is null;
    public bool IsReadOnly => Status != ActivityStatus.Open || !MayChange;
}

/// <summary>Servicio → Actividades: one owner's activities in a view.</summary>
/// <summary>A page of activities as a table: the list, and the contact's and account's "Actividades" tabs.</summary>
public sealed record ActivityTableModel(Page<ActivityRow> Rows, string ReturnUrl, string Id);

public sealed record ActivityListModel(ActivityView View, string OwnerId, Page<ActivityRow> Rows, IReadOnlyList<UserOption>? Owners, bool IsSupervisor, string? MyId);

/// <summary>
/// Calls, tasks and appointments ("Actividades"): everyone signed in logs and works their own; another user's need a
/// supervisor (<see cref="Activity.MayChange"/>). The rules are <see cref="Activity"/>'s, the writes <see cref="ActivityService"/>'s.
/// </summary>
public sealed class ActivitiesController(
    ActivityService activities,
    ActivityQueries queries,
    ReferenceData reference,
    IValidator<ActivityForm> validator,
    CurrentUser me,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("/Activities")]
    public async Task<IActionResult> Index(ActivityView view = ActivityView.Overdue, string? owner = null, int page = 1, CancellationToken ct = default)
    {
        var isSupervisor = await me.CanManageCasesAsync();
        var ownerId = isSupervisor && !string.IsNullOrEmpty(owner) ? owner : me.Id;
        var rows = await queries.ListAsync(ownerId, Enum.IsDefined(view) ? view : ActivityView.Overdue, clock.GetUtcNow().UtcDateTime, me.TimeZone, Math.Max(1, page), ct);
        return View(new ActivityListModel(view, ownerId, rows, isSupervisor ? await reference.ActiveUsersAsync(ct) : null, isSupervisor, me.Id));
    }

    /// <summary>A new activity of <paramref name="type"/>, "Referente a" and the phone prefilled from where it was opened; a call starts now.</summary>
    [HttpGet("/Activities/Create")]
    public async Task<IActionResult> Create(
        ActivityType type = ActivityType.Task, RegardingType? regardingType = null, int? regardingId = null, string? returnUrl = null, CancellationToken ct = default)
    {
        var form = new ActivityForm
        {
            Type = Enum.IsDefined(type) ? type : ActivityType.Task,
            OwnerId = me.Id,
            Direction = type == ActivityType.Call ? CallDirection.Outgoing : null,
            StartAt = type == ActivityType.Call ? me.ToLocal(clock.GetUtcNow().UtcDateTime) : null,
        };
        string? label = null;
        if (regardingType is { } kind && Enum.IsDefined(kind) && regardingId is { } id && await queries.RegardingAsync(kind, id, ct) is { } found)
        {
            (form.RegardingType, form.RegardingId, label) = (kind, id, found.Label);
            form.Phone = found.Phone;
        }

        return View("Edit", await ModelAsync(null, form, ActivityStatus.Open, mayChange: true, label, matches: null, returnUrl, ct));
    }

    [HttpPost("/Activities/Create")]
    public async Task<IActionResult> Create(ActivityForm form, string? command, string? returnUrl, CancellationToken ct) =>
        await SaveAsync(null, form, command, returnUrl, ct);

    [HttpGet("/Activities/{id:int}")]
    public async Task<IActionResult> Edit(int id, string? returnUrl, CancellationToken ct)
    {
        if (await queries.FindAsync(id, ct) is not { } activity)
        {
            return NotFound();
        }

        var form = ActivityForm.From(activity, me.ToLocal);
        var label = activity.Regarding is { } r ? (await queries.RegardingAsync(r.Type, r.Id, ct))?.Label : null;
        var mayChange = Activity.MayChange(activity.OwnerId, me.Id, await me.CanManageCasesAsync());
        return View(await ModelAsync(id, form, activity.Status, mayChange, label, null, returnUrl, ct));
    }

    [HttpPost("/Activities/{id:int}")]
    public async Task<IActionResult> Edit(int id, ActivityForm form, string? command, string? returnUrl, CancellationToken ct) =>
        await SaveAsync(id, form, command, returnUrl, ct);

    [HttpPost("/Activities/{id:int}/Complete")]
    public Task<IActionResult> Complete(int id, string? returnUrl, CancellationToken ct) =>
        ChangeAsync(id, (userId, isSupervisor) => activities.CompleteAsync(id, userId, isSupervisor, ct), "Activity_Completed", returnUrl);

    [HttpPost("/Activities/{id:int}/Cancel")]
    public Task<IActionResult> Cancel(int id, string? returnUrl, CancellationToken ct) =>
        ChangeAsync(id, (userId, isSupervisor) => activities.CancelAsync(id, userId, isSupervisor, ct), "Activity_Cancelled", returnUrl);

    [HttpPost("/Activities/{id:int}/Reopen")]
    public Task<IActionResult> Reopen(int id, string? returnUrl, CancellationToken ct) =>
        ChangeAsync(id, (userId, isSupervisor) => activities.ReopenAsync(id, userId, isSupervisor, ct), "Activity_Reopened", returnUrl);

    /// <summary>
    /// The "Referente a" look-up as you type (JSON, for site.js): the same search as the form's round trip, so child cases
    /// show only with the setting.
    /// </summary>
    [HttpGet("/Activities/Regarding")]
    public async Task<IActionResult> Regarding(RegardingType type = RegardingType.Case, string? q = null, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(type) || string.IsNullOrWhiteSpace(q))
        {
            return Json(Array.Empty<RegardingOption>());
        }

        var settings = await reference.ParentChildSettingsAsync(ct);
        return Json(await queries.LookupAsync(type, q, settings.LookupsIncludeChildren, ct));
    }

    private async Task<IActionResult> SaveAsync(int? id, ActivityForm form, string? command, string? returnUrl, CancellationToken ct)
    {
        var existing = id is { } activityId ? await queries.FindAsync(activityId, ct) : null;
        if (id is not null && existing is null)
        {
            return NotFound();
        }

        if (existing is not null)
        {
            form.Type = existing.Type; // the type is chosen when an activity is created
        }

        var isSupervisor = await me.CanManageCasesAsync();
        var mayChange = existing is null || Activity.MayChange(existing.OwnerId, me.Id, isSupervisor);
        var status = existing?.Status ?? ActivityStatus.Open;
        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        if (command == "findRegarding" && result.Errors.All(e => e.PropertyName == nameof(ActivityForm.Subject)))
        {
            // The search round trip of "Referente a" (without script): the form comes back with the matches to choose from.
            ModelState.Clear();
            var settings = await reference.ParentChildSettingsAsync(ct);
            form.RegardingType = form.RegardingTypeSearch ?? form.RegardingType ?? RegardingType.Case;
            var matches = await queries.LookupAsync(form.RegardingType.Value, form.RegardingSearch, settings.LookupsIncludeChildren, ct);
            return View("Edit", await ModelAsync(id, form, status, mayChange, null, matches, returnUrl, ct));
        }

        if (ModelState.IsValid)
        {
            try
            {
                var fields = form.ToFields(me.Id, me.ToUtc);
                var saved = existing is null
                    ? await activities.CreateAsync(form.Type, fields, me.Id, ct)
                    : await activities.UpdateAsync(existing.Id, form.Version, fields, me.Id, isSupervisor, ct);
                TempData["Message"] = l[existing is null ? "Activity_Created" : "Activity_Saved", saved.Subject].Value;
                return Back(returnUrl, saved.Id);
            }
            catch (CaseRuleException ex)
            {
                ModelState.AddRuleErrors(ex);
            }
        }

        var label = form.RegardingType is { } kind && form.RegardingId is { } regardingId ? (await queries.RegardingAsync(kind, regardingId, ct))?.Label : null;
        return View("Edit", await ModelAsync(id, form, status, mayChange, label, null, returnUrl, ct));
    }

    private async Task<IActionResult> ChangeAsync(int id, Func<string, bool, Task> change, string successKey, string? returnUrl)
    {
        try
        {
            await change(me.Id, await me.CanManageCasesAsync());
            TempData["Message"] = l[successKey].Value;
        }
        catch (CaseRuleException ex)
        {
            TempData["Error"] = string.Join(" ", ex.Violations.Select(v => v.Message));
        }

        return Back(returnUrl, id);
    }

    private IActionResult Back(string? returnUrl, int id) =>
        Url.LocalOrNull(returnUrl) is { } local ? Redirect(local) : RedirectToAction(nameof(Edit), new { id });

    private async Task<ActivityFormModel> ModelAsync(
        int? id, ActivityForm form, ActivityStatus status, bool mayChange, string? label, IReadOnlyList<RegardingOption>? matches, string? returnUrl, CancellationToken ct) =>
        new(id, form, status, mayChange, label, matches, await reference.ActiveUsersAsync(ct), Url.LocalOrNull(returnUrl));
}
