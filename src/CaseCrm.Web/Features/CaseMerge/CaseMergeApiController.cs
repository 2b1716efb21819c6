using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Api;
using CaseCrm.Web.Features.CaseFamily;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Features.CaseMerge;

/// <summary>A merge: the case that stays and the cases merged into it.</summary>
/// <param name="KeepId">The case that stays.</param>
/// <param name="CaseIds">The cases merged into it (1 to 9; the case that stays may be among them).</param>
public sealed record MergeRequest(int? KeepId, IReadOnlyList<int>? CaseIds);

/// <summary>One case of a merge preview, with what would move from it to the case that stays.</summary>
public sealed record MergePreviewCase(
    int Id, string Number, string Title, CaseStatus Status, bool Stays, int? ParentId, int Comments, int Activities, int Emails, int Attachments, int Children);

/// <summary>A broken rule: its stable code, the case it names, and its message in the request's language.</summary>
public sealed record RuleViolationItem(string Code, int? CaseId, string Message);

/// <summary>What a merge would do, and whether the rules allow it now (<c>violations</c> empty).</summary>
public sealed record MergePreview(int KeepId, IReadOnlyList<MergePreviewCase> Cases, IReadOnlyList<RuleViolationItem> Violations)
{
    public bool CanMerge => Violations.Count == 0;
}

/// <summary>
/// "Combinar casos" through the API (Supervisor, Administrator, as the page): the same service and rules
/// (<see cref="CaseService.MergeAsync"/>, <see cref="CaseMergeRules"/>) and the same preview (<see cref="CaseMergeQueries"/>).
/// </summary>
[Route("api/v1/cases/merge")]
[Authorize(Policy = Policies.ManageCases)]
public sealed class CaseMergeApiController(
    CaseService cases, CaseMergeQueries merges, CaseQueries queries, CaseFamilyQueries family, CurrentUser me, TimeProvider clock)
    : ApiControllerBase
{
    /// <summary>
    /// Merges the cases into the one that stays, all or nothing: their comments, activities, emails, files and children move
    /// to it, and they become Cancelled and read-only. Answers the case that stays.
    /// </summary>
    /// <param name="request">The case that stays and the cases merged into it.</param>
    /// <response code="422">
    /// <c>keepId</c> is missing (<c>errors</c>), or a merge rule refuses it (CASE-RULE-67 to 70, 6, 8); nothing was changed.
    /// </response>
    [HttpPost("")]
    [ProducesResponseType(typeof(CaseItem), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<CaseItem>> Merge(MergeRequest request, CancellationToken ct)
    {
        if (request.KeepId is not { } keep)
        {
            return InvalidField("keepId", L["Api_Merge_KeepRequired"]);
        }

        await cases.MergeAsync(keep, [.. request.CaseIds ?? [], keep], me.Id, ct);
        var item = await CaseItem.ReadAsync(queries, family, clock, keep, ct);
        SetETag(item.Version);
        return item;
    }

    /// <summary>
    /// What merging <paramref name="ids"/> into <paramref name="keep"/> would move, and the rules' verdict on what is stored
    /// now (the merge checks again when it runs).
    /// </summary>
    /// <param name="keep">The case that would stay.</param>
    /// <param name="ids">The cases that would be merged into it (1 to 9; <paramref name="keep"/> may be among them).</param>
    [HttpGet("preview")]
    [ProducesResponseType(typeof(MergePreview), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<MergePreview>> Preview(int? keep, [FromQuery] int[] ids, CancellationToken ct)
    {
        if (keep is not { } survivor)
        {
            return BadParameter("keep", L["Api_Merge_KeepRequired"]);
        }

        var selected = ids.Where(i => i != survivor).Distinct().Prepend(survivor).ToList();
        // As the page: beyond the most a merge takes, the first ones are shown and the count is the refusal.
        var shown = selected.Take(Case.MaxMergedCases).ToList();
        var candidates = await merges.CandidatesAsync(shown, ct);
        if (shown.Except(candidates.Select(c => c.Row.Id)).Cast<int?>().FirstOrDefault() is { } missing)
        {
            throw new NotFoundException("Case", missing);
        }

        IReadOnlyList<CaseRuleViolation> violations = selected.Count is >= 2 and <= Case.MaxMergedCases
            ? await merges.RefusalsAsync(survivor, shown, ct)
            : [new CaseRuleViolation(CaseRuleCode.MergeCount, null, Case.MaxMergedCases.ToString(System.Globalization.CultureInfo.CurrentCulture))];
        return new MergePreview(
            survivor,
            [.. candidates.Select(c => new MergePreviewCase(
                c.Row.Id, c.Row.Number, c.Row.Title, c.Row.Status, c.Row.Id == survivor, c.Row.ParentId,
                c.Comments, c.Activities, c.Emails, c.Attachments, c.Children))],
            [.. violations.Select(v => new RuleViolationItem(v.ErrorCode, v.CaseId, v.Message))]);
    }
}
