using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.CaseFamily;

public sealed record AssociateModel(IReadOnlyList<CaseRow> Selected, int? ParentId, IReadOnlyList<string> Errors, bool RefusedByRules = false);

/// <summary>
/// Parent and child cases: "Crear caso secundario", "Agregar caso existente", removing a child and
/// "Asociar casos secundarios" from the list. Every rule is checked by <see cref="Case"/> (<see cref="CaseFamilyRules"/>).
/// </summary>
public sealed class CaseFamilyController(
    CaseService cases,
    CaseQueries queries,
    CaseFamilyQueries family,
    IValidator<CaseForm> validator,
    CurrentUser me,
    IStringLocalizer<SharedResource> l) : Controller
{
    private const string CreateView = "~/Features/Cases/Create.cshtml";

    /// <summary>The case form prefilled from the parent; where the case cannot have children, the detail page says why.</summary>
    [HttpGet("/Cases/{id:int}/Children/Create")]
    public async Task<IActionResult> CreateChild(int id, CancellationToken ct)
    {
        var (prefill, contactId, refusals) = await family.NewChildDraftAsync(id, ct);
        if (refusals.Count > 0)
        {
            TempData["Error"] = string.Join(" ", refusals.Select(v => v.Message));
            return RedirectToAction("Details", "Cases", new { id });
        }

        var contact = (await queries.ContactAsync(contactId, ct))!;
        return View(CreateView, await queries.FormAsync(null, contact, CaseForm.From(prefill, CaseStatus.New, submissionKey: Guid.NewGuid()), null, null, ct, parentId: id));
    }

    [HttpPost("/Cases/{id:int}/Children/Create")]
    public async Task<IActionResult> CreateChild(int id, CaseForm form, string? command, CancellationToken ct)
    {
        var (_, contactId, _) = await family.NewChildDraftAsync(id, ct);
        if (command != "findAccount")
        {
            var validation = await validator.ValidateAsync(form, ct);
            ModelState.AddErrors(validation);
            if (validation.IsValid && ModelState.IsValid)
            {
                try
                {
                    var child = await cases.CreateChildAsync(id, form.ToFields(), form.Status, UserId, form.SubmissionKey, ct);
                    TempData["Message"] = l["Family_ChildCreated", child.Number, CaseNumber.Format(id)].Value;
                    TempData["MessageLink"] = Url.Action("Details", "Cases", new { id = child.Id });
                    TempData["MessageLinkText"] = l["Case_View"].Value;
                    return RedirectToAction("Details", "Cases", new { id, tab = CasesController.RelationsTab });
                }
                catch (CaseRuleException ex)
                {
                    ModelState.AddRuleErrors(ex);
                }
            }
        }

        var contact = (await queries.ContactAsync(contactId, ct))!;
        return View(CreateView, await queries.FormAsync(null, contact, form, null, null, ct, parentId: id));
    }

    /// <summary>"Agregar" in the "Registros de búsqueda" panel.</summary>
    [HttpPost("/Cases/{id:int}/Children/Add")]
    [Authorize(Policy = Policies.ManageCases)]
    public async Task<IActionResult> AddExisting(int id, int childId, CancellationToken ct)
    {
        try
        {
            await cases.AddChildrenAsync(id, [childId], UserId, ct);
            TempData["Message"] = l["Family_ChildAdded", CaseNumber.Format(childId), CaseNumber.Format(id)].Value;
            return RedirectToAction("Details", "Cases", new { id, tab = CasesController.RelationsTab });
        }
        catch (CaseRuleException ex)
        {
            TempData["Error"] = string.Join(" ", ex.Violations.Select(v => v.Message));
            return RedirectToAction("Details", "Cases", new { id, tab = CasesController.RelationsTab, add = true });
        }
    }

    [HttpPost("/Cases/{id:int}/Children/{childId:int}/Remove")]
    [Authorize(Policy = Policies.ManageCases)]
    public async Task<IActionResult> RemoveChild(int id, int childId, CancellationToken ct)
    {
        try
        {
            await cases.RemoveChildAsync(id, childId, UserId, ct);
            TempData["Message"] = l["Family_ChildRemoved", CaseNumber.Format(childId), CaseNumber.Format(id)].Value;
        }
        catch (CaseRuleException ex)
        {
            TempData["Error"] = string.Join(" ", ex.Violations.Select(v => v.Message));
        }

        return RedirectToAction("Details", "Cases", new { id, tab = CasesController.RelationsTab });
    }

    /// <summary>"Establecer relación de primario a secundario" without JavaScript: the selected cases, to choose the parent.</summary>
    [HttpGet("/Cases/Associate")]
    [Authorize(Policy = Policies.ManageCases)]
    public async Task<IActionResult> Associate([FromQuery] int[] ids, CancellationToken ct)
    {
        var selected = await queries.SelectedAsync(ids.Distinct().Take(Paging.Size * 4).ToList(), ct);
        var errors = selected.Count < 2 ? [l["Family_SelectTwo"].Value] : Array.Empty<string>();
        return View(new AssociateModel(selected, null, errors));
    }

    [HttpPost("/Cases/Associate")]
    [Authorize(Policy = Policies.ManageCases)]
    public async Task<IActionResult> Associate(int[] ids, int? parentId, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToList();
        if (parentId is not { } parent || !distinct.Contains(parent) || distinct.Count < 2)
        {
            var message = distinct.Count < 2 ? l["Family_SelectTwo"].Value : l["Family_ChooseParent"].Value;
            return View(new AssociateModel(await queries.SelectedAsync(distinct, ct), parentId, [message]));
        }

        try
        {
            await cases.AssociateAsync(parent, distinct, UserId, ct);
            var children = string.Join(", ", distinct.Where(i => i != parent).Order().Select(CaseNumber.Format));
            TempData["Message"] = l["Family_Associated", CaseNumber.Format(parent), children].Value;
            return RedirectToAction("Details", "Cases", new { id = parent, tab = CasesController.RelationsTab });
        }
        catch (CaseRuleException ex)
        {
            return View(new AssociateModel(await queries.SelectedAsync(distinct, ct), parentId, ex.Violations.Select(v => v.Message).ToList(), RefusedByRules: true));
        }
    }

    private string UserId => me.Id;
}
