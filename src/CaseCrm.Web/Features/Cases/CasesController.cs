using System.Globalization;
using CaseCrm.Web.Features.Activities;
using CaseCrm.Web.Features.CaseWork;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Accounts;
using CaseCrm.Web.Features.CaseFamily;
using CaseCrm.Web.Features.SavedViews;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Cases;

public sealed record CaseListModel(
    Page<CaseRow> Page, CaseListFilter Filter, SortOrder Sort,
    IReadOnlyList<CategoryOption> Categories, IReadOnlyList<UserOption> Users)
{
    /// <summary>The tabs: the three views and the user's saved views (<c>Features/SavedViews</c>).</summary>
    public SavedViewTabs SavedViews { get; init; } = new(Filter.EffectiveView, null, []);
}

public sealed record CaseFormModel(
    int? CaseId,
    ContactRef Contact,
    CaseForm Form,
    IReadOnlyList<AccountOption> Accounts,
    IReadOnlyList<CategoryOption> Categories,
    IReadOnlyList<CaseStatus> Statuses,
    IReadOnlyList<OpenCaseRef> OpenCases,
    string? ReturnUrl,
    CaseDetails? Saved,
    int? ParentId = null)
{
    public string Number => CaseId is { } id ? CaseNumber.Format(id) : string.Empty;
}

/// <param name="OpenActivities">Open activities regarding the case and the children its closure would close: the form offers to cancel them.</param>
public sealed record CloseCaseModel(CaseDetails Case, CaseStatus Target, ResolveForm Form, ClosurePreference Preference, IReadOnlyList<ChildSummary> ActiveChildren, int OpenActivities);

/// <summary>
/// Servicio → Casos and "Agregar Caso": the list, the form from the three entry points, detail, edit,
/// resolve, cancel and reopen. What saving does lives in <see cref="CaseService"/>.
/// </summary>
public sealed class CasesController(
    CaseService cases,
    CaseQueries queries,
    CaseFamilyQueries family,
    ReferenceData reference,
    IValidator<CaseForm> validator,
    IValidator<ResolveForm> resolveValidator,
    ActivityQueries activities,
    CurrentUser me,
    IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("/Cases")]
    public async Task<IActionResult> Index([FromQuery] CaseListFilter filter, int? savedView, [FromServices] SavedViewQueries savedViews, CancellationToken ct)
    {
        var sort = SortOrder.Parse(filter.Sort, filter.Dir, CaseQueries.SortKeys, "updated", defaultDescending: true);
        var page = await queries.ListAsync(filter, sort, me.IdOrNull, ct);
        return View(new CaseListModel(page, filter, sort, await queries.CategoriesAsync(filter.CategoryId, ct), await queries.ActiveUsersAsync(ct))
        {
            SavedViews = await savedViews.TabsAsync(me.Id, filter.EffectiveView, savedView, ct),
        });
    }

    /// <summary>"Agregar Caso": the form already bound to the contact in the route.</summary>
    [HttpGet("/Contacts/{contactId:int}/Cases/Create")]
    public async Task<IActionResult> Create(int contactId, string? returnUrl, CancellationToken ct)
    {
        var contact = await queries.ContactAsync(contactId, ct);
        if (contact is null)
        {
            return NotFound();
        }

        var form = new CaseForm { AccountId = contact.AccountId, Status = CaseStatus.New, SubmissionKey = Guid.NewGuid() };
        return View("Create", await queries.FormAsync(null, contact, form, LocalOrNull(returnUrl), null, ct));
    }

    [HttpPost("/Contacts/{contactId:int}/Cases/Create")]
    public async Task<IActionResult> Create([FromRoute] int contactId, CaseForm form, string? returnUrl, string? command, CancellationToken ct)
    {
        // The contact comes from the route only; the form has no contact field to trust. Saving reads it (a missing
        // contact is a NotFoundException, answered 404), so only a form shown again reads it here (SQL budget: 3).
        returnUrl = LocalOrNull(returnUrl);
        if (command != "findAccount" && await IsValidAsync(form, ct))
        {
            try
            {
                var created = await cases.AddToContactAsync(contactId, form.ToFields(), form.Status, UserId, form.SubmissionKey, ct);
                TempData["Message"] = l["Case_Created", created.Number].Value;
                // The busiest POST: its two links written from their fixed routes, not generated (ADR 0032).
                TempData["MessageLink"] = Url.Content(string.Create(CultureInfo.InvariantCulture, $"~/Cases/{created.Id}"));
                TempData["MessageLinkText"] = l["Case_View"].Value;
                return LocalRedirect(returnUrl ?? Url.Content(string.Create(CultureInfo.InvariantCulture, $"~/Contacts/{contactId}?tab=cases")));
            }
            catch (CaseRuleException ex)
            {
                ModelState.AddRuleErrors(ex);
            }
        }

        var contact = await queries.ContactAsync(contactId, ct);
        if (contact is null)
        {
            return NotFound();
        }

        return View("Create", await queries.FormAsync(null, contact, form, returnUrl, null, ct));
    }

    public const string RelationsTab = CaseDetailsModel.RelationsTab;

    [HttpGet("/Cases/{id:int}")]
    public async Task<IActionResult> Details(int id, string? tab, bool add = false, string? find = null, TimelineKind? show = null, string? before = null, CancellationToken ct = default)
    {
        var model = await queries.DetailsPageAsync(id, tab, add, find, await me.CanManageCasesAsync(), ct, show: show, before: TimelineCursor.Parse(before));
        return model is null ? NotFound() : View(model);
    }

    [HttpGet("/Cases/{id:int}/Edit")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var item = await queries.DetailsAsync(id, ct);
        if (item is null)
        {
            return NotFound();
        }

        var form = CaseForm.From(
            new CaseFields(item.Title, item.AccountId, item.CategoryId, item.Priority, item.Description, item.Resolution, item.Origin),
            item.Status, item.Version);
        return View("Edit", await queries.FormAsync(item, new ContactRef(item.ContactId, item.ContactName, item.AccountId), form, null, null, ct));
    }

    [HttpPost("/Cases/{id:int}/Edit")]
    public async Task<IActionResult> Edit(int id, CaseForm form, string? command, CancellationToken ct)
    {
        var item = await queries.DetailsAsync(id, ct);
        if (item is null)
        {
            return NotFound();
        }

        CaseDetails? saved = null;
        if (command != "findAccount" && await IsValidAsync(form, ct))
        {
            try
            {
                var updated = await cases.UpdateAsync(id, form.Version, form.ToFields(), form.Status, UserId, ct);
                TempData["Message"] = l["Case_Saved", updated.Number].Value;
                return RedirectToAction(nameof(Details), new { id });
            }
            catch (CaseRuleException ex) when (ex.Code == CaseRuleCode.StaleEdit)
            {
                // Keep what this user typed, show what the other saved, and let a second save overwrite on purpose.
                ModelState.AddRuleErrors(ex);
                saved = await queries.DetailsAsync(id, ct);
                form.Version = saved!.Version;
            }
            catch (CaseRuleException ex)
            {
                ModelState.AddRuleErrors(ex);
            }
        }

        return View("Edit", await queries.FormAsync(item, new ContactRef(item.ContactId, item.ContactName, item.AccountId), form, null, saved, ct));
    }

    [HttpGet("/Cases/{id:int}/Resolve")]
    public Task<IActionResult> Resolve(int id, CancellationToken ct) => CloseFormAsync(id, CaseStatus.Resolved, new ResolveForm(), ct, openOnly: true);

    [HttpPost("/Cases/{id:int}/Resolve")]
    public async Task<IActionResult> Resolve(int id, ResolveForm form, CancellationToken ct)
    {
        var result = await resolveValidator.ValidateAsync(form, ct);
        if (!result.IsValid)
        {
            ModelState.AddErrors(result);
            return await CloseFormAsync(id, CaseStatus.Resolved, form, ct);
        }

        return await CloseAsync(id, CaseStatus.Resolved, form, () => cases.ResolveAsync(id, form.Resolution, UserId, form.CancelOpenActivities, ct), ct);
    }

    [HttpGet("/Cases/{id:int}/Cancel")]
    public Task<IActionResult> Cancel(int id, CancellationToken ct) => CloseFormAsync(id, CaseStatus.Cancelled, new ResolveForm(), ct, openOnly: true);

    [HttpPost("/Cases/{id:int}/Cancel")]
    [ActionName("Cancel")]
    public Task<IActionResult> CancelPost(int id, ResolveForm form, CancellationToken ct) =>
        CloseAsync(id, CaseStatus.Cancelled, form, () => cases.CancelAsync(id, UserId, form.CancelOpenActivities, ct), ct);

    [HttpPost("/Cases/{id:int}/Reopen")]
    [Authorize(Policy = Policies.ManageCases)]
    public async Task<IActionResult> Reopen(int id, CancellationToken ct)
    {
        try
        {
            await cases.ReopenAsync(id, UserId, ct);
            TempData["Message"] = l["Case_Reopened", CaseNumber.Format(id)].Value;
        }
        catch (CaseRuleException ex)
        {
            TempData["Error"] = string.Join(" ", ex.Violations.Select(v => v.Message));
        }

        return RedirectToAction(nameof(Details), new { id });
    }

    private string UserId => me.Id;

    /// <param name="openOnly">On a GET, a case that is already closed has nothing to resolve or cancel: back to the case.</param>
    private async Task<IActionResult> CloseFormAsync(int id, CaseStatus target, ResolveForm form, CancellationToken ct, bool openOnly = false)
    {
        var item = await queries.DetailsAsync(id, ct);
        if (item is null)
        {
            return NotFound();
        }

        if (openOnly && !item.IsActive)
        {
            return RedirectToAction(nameof(Details), new { id });
        }

        var settings = await reference.ParentChildSettingsAsync(ct);
        var children = item.ChildCount > 0 ? await family.ActiveChildrenAsync(id, ct) : [];
        var closing = settings.ClosurePreference == ClosurePreference.CloseChildren ? children.Select(c => c.Id).Append(id) : [id];
        var open = item.IsActive ? await activities.OpenCountAsync([.. closing], ct) : 0;
        return View("Close", new CloseCaseModel(item, target, form, settings.ClosurePreference, children, open));
    }

    private async Task<IActionResult> CloseAsync(int id, CaseStatus target, ResolveForm form, Func<Task<IReadOnlyList<ChildSummary>>> close, CancellationToken ct)
    {
        try
        {
            var closedChildren = await close();
            var number = CaseNumber.Format(id);
            TempData["Message"] = closedChildren.Count == 0
                ? l[target == CaseStatus.Resolved ? "Case_Resolved" : "Case_Cancelled", number].Value
                : l[target == CaseStatus.Resolved ? "Case_ResolvedWithChildren" : "Case_CancelledWithChildren",
                    number, string.Join(", ", closedChildren.Select(c => c.Number))].Value;
            return RedirectToAction(nameof(Details), new { id });
        }
        catch (CaseRuleException ex)
        {
            ModelState.AddRuleErrors(ex);
            return await CloseFormAsync(id, target, form, ct);
        }
    }

    private async Task<bool> IsValidAsync(CaseForm form, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        return result.IsValid && ModelState.ErrorCount == 0;
    }

    private string? LocalOrNull(string? returnUrl) => LocalUrls.LocalOrNull(Url, returnUrl);
}
