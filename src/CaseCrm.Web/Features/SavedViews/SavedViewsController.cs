using CaseCrm.Data;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.SavedViews;

/// <summary>"Guardar vista" and rename: the name, the filters as a checked query string, and (a supervisor's) sharing.</summary>
public sealed class SavedViewForm
{
    public string? Name { get; set; }
    public string? Query { get; set; }
    public bool IsShared { get; set; }
}

internal sealed class SavedViewFormValidator : AbstractValidator<SavedViewForm>
{
    public SavedViewFormValidator(IStringLocalizer<SharedResource> l) =>
        RuleFor(f => f.Name).NotEmpty().WithMessage(_ => l["SavedView_NameRequired"])
            .MaximumLength(Limits.SavedViewName).WithMessage(_ => l["Validation_MaxLength", Limits.SavedViewName]);
}

/// <param name="Filter">The filters the view keeps, checked (what the page describes, with the names of its category and assignee).</param>
public sealed record SavedViewEditModel(int? Id, SavedViewForm Form, CaseListFilter Filter, bool CanShare, string? CategoryName, string? AssigneeName);

/// <summary>
/// Saved views of the case list ("Guardar vista", "Vistas guardadas"): personal, or shared with the team by a supervisor.
/// A view one may not change answers 404 (another's personal view, or a shared one to an agent who is not its owner); sharing
/// by someone who may not, 403.
/// </summary>
[Route("Cases/Views")]
public sealed class SavedViewsController(
    CrmDbContext db, SavedViewQueries queries, ReferenceData reference, IValidator<SavedViewForm> validator, CurrentUser me,
    IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await queries.ListAsync(me.Id, await me.CanManageCasesAsync(), ct));

    /// <summary>The form of "Guardar vista", for the filters of the list it was opened from (its query string).</summary>
    [HttpGet("Create")]
    public async Task<IActionResult> Create([FromQuery] CaseListFilter filter, CancellationToken ct) =>
        View("Edit", await ModelAsync(null, new SavedViewForm { Query = SavedFilter.ToQuery(filter) }, ct));

    [HttpPost("Create")]
    public async Task<IActionResult> Create(SavedViewForm form, CancellationToken ct)
    {
        var canShare = await me.CanManageCasesAsync();
        if (form.IsShared && !canShare)
        {
            return Forbid();
        }

        var query = SavedFilter.ToQuery(SavedFilter.Parse(form.Query));
        form.Query = query;
        if (!await IsValidAsync(form, null, ct))
        {
            return View("Edit", await ModelAsync(null, form, ct));
        }

        var view = new SavedView(me.Id, form.Name!, query, form.IsShared);
        db.SavedViews.Add(view);
        if (!await SaveAsync(view, ct))
        {
            return View("Edit", await ModelAsync(null, form, ct));
        }

        TempData["Message"] = l["SavedView_Saved", view.Name].Value;
        return Redirect(ListUrl(view.Id, query));
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var (view, refusal) = await EditableAsync(id, ct);
        return refusal ?? View(await ModelAsync(id, new SavedViewForm { Name = view!.Name, Query = view.Query, IsShared = view.IsShared }, ct));
    }

    /// <summary>Renames the view and, for a supervisor, shares it or takes it back; its filters stay as saved.</summary>
    [HttpPost("{id:int}")]
    public async Task<IActionResult> Edit(int id, SavedViewForm form, CancellationToken ct)
    {
        var (view, refusal) = await EditableAsync(id, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!await me.CanManageCasesAsync())
        {
            if (form.IsShared && !view!.IsShared)
            {
                return Forbid();
            }

            // Only a supervisor changes who sees it (the agent's form has no such field).
            form.IsShared = view!.IsShared;
        }

        form.Query = view!.Query;
        if (!await IsValidAsync(form, view.Id, ct))
        {
            return View(await ModelAsync(id, form, ct));
        }

        view.Rename(form.Name!);
        view.Share(form.IsShared);
        if (!await SaveAsync(view, ct))
        {
            return View(await ModelAsync(id, form, ct));
        }

        TempData["Message"] = l["SavedView_Saved", view.Name].Value;
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("{id:int}/Delete")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        var (view, refusal) = await EditableAsync(id, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        db.SavedViews.Remove(view!);
        await db.SaveChangesAsync(ct);
        TempData["Message"] = l["SavedView_Deleted", view!.Name].Value;
        return RedirectToAction(nameof(Index));
    }

    /// <summary>The case list with the view's filters, marking its tab.</summary>
    private string ListUrl(int id, string query) => $"{Url.Action("Index", "Cases")}?{query}&{SavedFilter.Parameter}={id}";

    /// <summary>The view, tracked; or 404 when the user may not change it (as if it did not exist: there is nothing to edit for them).</summary>
    private async Task<(SavedView? View, IActionResult? Refusal)> EditableAsync(int id, CancellationToken ct)
    {
        var view = await db.SavedViews.SingleOrDefaultAsync(v => v.Id == id, ct);
        return view is not null && view.IsEditableBy(me.Id, await me.CanManageCasesAsync()) ? (view, null) : (null, NotFound());
    }

    private async Task<bool> IsValidAsync(SavedViewForm form, int? exceptId, CancellationToken ct)
    {
        form.Name = form.Name?.Trim();
        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        if (result.IsValid && await NameTakenAsync(form.Name!, exceptId, ct))
        {
            ModelState.AddModelError(nameof(SavedViewForm.Name), l["SavedView_NameTaken"]);
        }

        return ModelState.ErrorCount == 0;
    }

    private Task<bool> NameTakenAsync(string name, int? exceptId, CancellationToken ct)
    {
        var normalized = SavedView.Normalize(name);
        return db.SavedViews.AnyAsync(v => v.OwnerId == me.Id && v.NormalizedName == normalized && v.Id != exceptId, ct);
    }

    /// <summary>
    /// Saves <paramref name="view"/>; a save that lost a race for its name (the unique index refused it, and the name is
    /// taken now) is shown as the same error beside the name. Any other failure is an error, left to the exception handler.
    /// </summary>
    private async Task<bool> SaveAsync(SavedView view, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            if (!await NameTakenAsync(view.Name, db.Entry(view).State == EntityState.Added ? null : view.Id, ct))
            {
                throw;
            }

            ModelState.AddModelError(nameof(SavedViewForm.Name), l["SavedView_NameTaken"]);
            return false;
        }
    }

    private async Task<SavedViewEditModel> ModelAsync(int? id, SavedViewForm form, CancellationToken ct)
    {
        var filter = SavedFilter.Parse(form.Query);
        var category = (await reference.CategoriesAsync(filter.CategoryId, ct)).FirstOrDefault(c => c.Id == filter.CategoryId)?.Name;
        var assignee = (await reference.ActiveUsersAsync(ct)).FirstOrDefault(u => u.Id == filter.Assignee)?.Name;
        return new SavedViewEditModel(id, form, filter, await me.CanManageCasesAsync(), category, assignee);
    }
}
