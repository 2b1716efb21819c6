using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Api;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Features.CaseFamily;

/// <summary>Existing cases to make children of a case.</summary>
/// <param name="CaseIds">The ids of the cases that become children: all of them, or none.</param>
public sealed record AddChildrenRequest(IReadOnlyList<int>? CaseIds);

/// <summary>A new child case: the fields of the case form ("Crear caso secundario"). The contact is the parent's.</summary>
public sealed record NewChildRequest(
    string? Title, int? CategoryId, string? Description, int? AccountId = null, CasePriority? Priority = null,
    CaseStatus Status = CaseStatus.New, CaseOrigin? Origin = null, string? Resolution = null)
{
    public CaseForm ToForm(Guid? submissionKey) => new()
    {
        Title = Title,
        CategoryId = CategoryId,
        Description = Description,
        AccountId = AccountId,
        Priority = Priority,
        Status = Status,
        Origin = Origin,
        Resolution = Resolution,
        SubmissionKey = submissionKey,
    };
}

/// <summary>
/// Parent and child cases through the API, over the same service and rules as the pages (<see cref="CaseFamilyController"/>):
/// associating existing cases and removing a child are for supervisors and administrators, as on the pages; every role may
/// list the children and create a child case. A refusal of the family rules is a 422 with its <c>CASE-RULE-n</c> code.
/// </summary>
[Route("api/v1/cases/{id:int}/children")]
public sealed class CaseFamilyApiController(
    CaseService cases, CaseFamilyQueries family, CaseQueries queries, IValidator<CaseForm> validator, CurrentUser me, TimeProvider clock)
    : ApiControllerBase
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The children of a case, in the order of their numbers (none for a case that is not a parent).</summary>
    /// <param name="id">The case's id.</param>
    [HttpGet("")]
    [ProducesResponseType(typeof(IReadOnlyList<ChildItem>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IReadOnlyList<ChildItem>> List(int id, CancellationToken ct)
    {
        var rows = await family.ChildrenOfCaseAsync(id, ct) ?? throw new NotFoundException("Case", id);
        return [.. rows.Select(ChildItem.Of)];
    }

    /// <summary>
    /// Makes existing cases children of the case, all or none (Supervisor, Administrator), as "Agregar caso existente" and
    /// "Asociar casos secundarios" do. Answers the case's children.
    /// </summary>
    /// <param name="id">The case that becomes (or is) the parent.</param>
    /// <param name="request">The cases that become its children.</param>
    /// <response code="422">A family rule refuses it (CASE-RULE-1 to 6, 8, 23); nothing was changed.</response>
    [HttpPost("")]
    [Authorize(Policy = Policies.ManageCases)]
    [ProducesResponseType(typeof(IReadOnlyList<ChildItem>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<IReadOnlyList<ChildItem>>> Add(int id, AddChildrenRequest request, CancellationToken ct)
    {
        var ids = request.CaseIds ?? [];
        if (ids.Count > Limits.MaxMaxChildren)
        {
            return InvalidField("caseIds", L["Api_Family_TooManyCaseIds", Limits.MaxMaxChildren]);
        }

        await cases.AddChildrenAsync(id, ids, me.Id, ct);
        return (await family.ChildrenAsync(id, ct)).Select(ChildItem.Of).ToList();
    }

    /// <summary>Removes a child from the case (Supervisor, Administrator); both cases stay as they are otherwise.</summary>
    /// <param name="id">The parent.</param>
    /// <param name="childId">The child to remove from it.</param>
    /// <response code="422">The case is not a child of this parent (CASE-RULE-22), or is merged (CASE-RULE-71).</response>
    [HttpDelete("{childId:int}")]
    [Authorize(Policy = Policies.ManageCases)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> Remove(int id, int childId, CancellationToken ct)
    {
        await cases.RemoveChildAsync(id, childId, me.Id, ct);
        return NoContent();
    }

    /// <summary>
    /// Creates a case as a child of this one, for the parent's contact, as "Crear caso secundario" does (every role). An
    /// optional <c>Idempotency-Key</c> header (a GUID) makes a resent request return the case the first one created (200).
    /// </summary>
    /// <param name="id">The parent.</param>
    /// <param name="request">The new case's fields, validated as the case form.</param>
    /// <response code="201">Created: <c>Location</c> names the new case.</response>
    /// <response code="200">The same <c>Idempotency-Key</c> already created this case.</response>
    /// <response code="422">A field is invalid (<c>errors</c>), or a rule refuses it (CASE-RULE-2, 5, 6, 25, 26, 36).</response>
    [HttpPost("new")]
    [ProducesResponseType(typeof(CaseItem), StatusCodes.Status201Created)]
    [ProducesResponseType(typeof(CaseItem), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<CaseItem>> CreateChild(int id, NewChildRequest request, CancellationToken ct)
    {
        Guid? key = null;
        if (Request.Headers.TryGetValue(IdempotencyKeyHeader, out var header))
        {
            if (!Guid.TryParse(header.ToString(), out var parsed))
            {
                return BadParameter(IdempotencyKeyHeader, L["Api_Family_IdempotencyKey"]);
            }

            key = parsed;
        }

        var form = request.ToForm(key);
        if (await InvalidAsync(validator, form, ct) is { } invalid)
        {
            return invalid;
        }

        var startedAt = clock.GetUtcNow().UtcDateTime;
        var child = await cases.CreateChildAsync(id, form.ToFields(), form.Status, me.Id, key, ct);
        var item = await CaseItem.ReadAsync(queries, family, clock, child.Id, ct);
        SetETag(item.Version);

        // A case created before this request began is the one an earlier request with the same key created.
        return child.CreatedAt < startedAt
            ? item
            : Created($"/api/v1/cases/{item.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}", item);
    }
}
