using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.BulkEdit;

/// <summary>The changes of "Editar seleccionados": empty means "Sin cambios"; <see cref="Nobody"/> unassigns.</summary>
public sealed class BulkEditForm
{
    public const string Nobody = "none";

    public int[] Ids { get; set; } = [];
    public string? AssignTo { get; set; }
    public CasePriority? Priority { get; set; }
    public int? CategoryId { get; set; }
    public CaseStatus? Status { get; set; }

    public BulkChanges ToChanges() => new(
        !string.IsNullOrEmpty(AssignTo), AssignTo is Nobody or "" ? null : AssignTo, Priority, CategoryId, Status);
}

internal sealed class BulkEditFormValidator : AbstractValidator<BulkEditForm>
{
    public BulkEditFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Ids).NotEmpty().WithMessage(_ => l["BulkEdit_SelectOne"]);
        RuleFor(f => f.Ids).Must(ids => ids.Distinct().Count() <= CaseService.MaxBulkEdit)
            .WithMessage(f => l["BulkEdit_TooMany", CaseService.MaxBulkEdit, f.Ids.Distinct().Count()]);
        RuleFor(f => f).Must(f => f.ToChanges().Any).OverridePropertyName(string.Empty).WithMessage(_ => l["BulkEdit_NothingChosen"]);
    }
}

/// <param name="Errors">Why the selection or the form cannot be used (shown above the form).</param>
/// <param name="Refusals">Each refused case's reason, when the rules refused the change (nothing was changed).</param>
public sealed record BulkEditModel(
    BulkEditForm Form, IReadOnlyList<CaseRow> Selected, IReadOnlyList<UserOption> Users, IReadOnlyList<CategoryOption> Categories,
    IReadOnlyList<string> Errors, IReadOnlyList<string> Refusals);

/// <summary>
/// "Editar seleccionados" (Supervisor): the cases selected in the list get the same assignee, priority, category or
/// status, all of them or none (<see cref="CaseService.BulkEditAsync"/>). A page of its own, so it works without JavaScript.
/// </summary>
[Authorize(Policy = Policies.ManageCases)]
public sealed class BulkEditController(
    CaseService cases, CaseQueries queries, IValidator<BulkEditForm> validator, CurrentUser me, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("/Cases/BulkEdit")]
    public async Task<IActionResult> Edit([FromQuery] int[] ids, CancellationToken ct)
    {
        var form = new BulkEditForm { Ids = [.. ids.Distinct()] };
        var errors = form.Ids.Length switch
        {
            0 => [l["BulkEdit_SelectOne"].Value],
            > CaseService.MaxBulkEdit => [l["BulkEdit_TooMany", CaseService.MaxBulkEdit, form.Ids.Length].Value],
            _ => Array.Empty<string>(),
        };
        return View(await ModelAsync(form, errors, [], ct));
    }

    [HttpPost("/Cases/BulkEdit")]
    public async Task<IActionResult> Edit(BulkEditForm form, CancellationToken ct)
    {
        form.Ids = [.. form.Ids.Distinct()];
        var validation = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(validation);
        if (!validation.IsValid || !ModelState.IsValid)
        {
            // The selection and "nothing chosen" are said above the form; a field's error beside it.
            var errors = ModelState.Where(e => e.Key is "" or nameof(BulkEditForm.Ids)).SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage).ToList();
            return View(await ModelAsync(form, errors, [], ct));
        }

        try
        {
            var changed = await cases.BulkEditAsync(form.Ids, form.ToChanges(), me.Id, ct);
            TempData["Message"] = l["BulkEdit_Done", changed].Value;
            // The edited cases are all active (a closed one is refused): the list of active cases shows them.
            return RedirectToAction("Index", "Cases");
        }
        catch (CaseRuleException ex)
        {
            var refusals = ex.Violations.Select(v => v.CaseId is { } id && !v.Message.Contains(CaseNumber.Format(id), StringComparison.Ordinal)
                ? $"{CaseNumber.Format(id)}: {v.Message}"
                : v.Message).ToList();
            return View(await ModelAsync(form, [], refusals, ct));
        }
    }

    private async Task<BulkEditModel> ModelAsync(BulkEditForm form, IReadOnlyList<string> errors, IReadOnlyList<string> refusals, CancellationToken ct)
    {
        var selected = form.Ids.Length is > 0 and <= CaseService.MaxBulkEdit ? await queries.SelectedAsync(form.Ids, ct) : [];
        if (selected.Count == 0 && errors.Count == 0)
        {
            // Ids of cases that do not exist: as if none was selected.
            errors = [l["BulkEdit_SelectOne"].Value];
        }

        return new BulkEditModel(form, selected, await queries.ActiveUsersAsync(ct), await queries.CategoriesAsync(null, ct), errors, refusals);
    }
}
