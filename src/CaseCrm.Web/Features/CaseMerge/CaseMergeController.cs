using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.CaseMerge;

/// <summary>
/// "Combinar casos" (Supervisor): from the list's selection or a case page; choose the case that stays, see what moves to
/// it, "Confirmar". The rules are <see cref="CaseMergeRules"/>, run by <see cref="Case.Merge"/> in one transaction.
/// </summary>
[Authorize(Policy = Policies.ManageCases)]
public sealed class CaseMergeController(CaseService cases, CaseMergeQueries queries, CurrentUser me, IStringLocalizer<SharedResource> l) : Controller
{
    /// <summary>The selected cases with the case that stays (the first selected unless chosen) and the preview; <paramref name="find"/> looks up more cases.</summary>
    [HttpGet("/Cases/Merge")]
    public async Task<IActionResult> Merge([FromQuery] int[] ids, int? keep, string? find, CancellationToken ct)
    {
        var selected = ids.Distinct().ToList();
        // Fewer than two is where a merge from a case page starts: the page asks for another case, not an error.
        var errors = selected.Count > Case.MaxMergedCases ? CountErrors(selected) : [];
        return View(await queries.PreviewAsync(selected.Take(Case.MaxMergedCases).ToList(), keep ?? selected.FirstOrDefault(), find, errors, refused: false, ct));
    }

    [HttpPost("/Cases/Merge")]
    public async Task<IActionResult> Merge(int[] ids, int? keep, CancellationToken ct)
    {
        var selected = ids.Distinct().ToList();
        var errors = CountErrors(selected);
        if (errors.Count > 0 || keep is not { } survivor || !selected.Contains(survivor))
        {
            return View(await queries.PreviewAsync(selected.Take(Case.MaxMergedCases).ToList(), keep, null, errors.Count > 0 ? errors : [l["Merge_ChooseKept"].Value], refused: false, ct));
        }

        try
        {
            await cases.MergeAsync(survivor, selected, me.Id, ct);
            var merged = string.Join(", ", selected.Where(i => i != survivor).Order().Select(CaseNumber.Format));
            TempData["Message"] = l["Merge_Done", merged, CaseNumber.Format(survivor)].Value;
            return RedirectToAction("Details", "Cases", new { id = survivor });
        }
        catch (CaseRuleException ex)
        {
            return View(await queries.PreviewAsync(selected, keep, null, ex.Violations.Select(v => v.Message).ToList(), refused: true, ct));
        }
    }

    private static List<string> CountErrors(List<int> selected) =>
        selected.Count is >= 2 and <= Case.MaxMergedCases ? [] : [new CaseRuleViolation(CaseRuleCode.MergeCount, null, Case.MaxMergedCases.ToString(System.Globalization.CultureInfo.CurrentCulture)).Message];
}
