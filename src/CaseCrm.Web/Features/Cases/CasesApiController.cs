using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.Web.Features.Api;
using CaseCrm.Web.Features.CaseFamily;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using static CaseCrm.Web.Features.Api.ApiTime;

namespace CaseCrm.Web.Features.Cases;

/// <summary>A case as the API's list shows it (the row of Servicio → Casos).</summary>
public sealed record CaseListItem(
    int Id, string Number, string Title, CaseStatus Status, CasePriority? Priority, string CategoryName, int ContactId,
    string ContactName, string? AssigneeName, DateTime UpdatedAt, int? ParentId, int ChildCount, DateTime? DueAt, DateTime? AtRiskAt);

/// <summary>A record the case refers to: its id and name.</summary>
public sealed record NamedRef(int Id, string Name);

/// <summary>A user the case refers to: their id and display name.</summary>
public sealed record UserRef(string Id, string Name);

/// <summary>The parent of a child case.</summary>
public sealed record ParentSummary(int Id, string Number, string? Title);

/// <summary>
/// A child of a parent case (a case's <c>children</c>, GET /api/v1/cases/{id}/children), or a case closed with its parent
/// (which names only its id, number, title and status).
/// </summary>
public sealed record ChildItem(
    int Id, string Number, string Title, CaseStatus Status, CasePriority? Priority = null, string? AssigneeName = null, DateTime? UpdatedAt = null)
{
    public static ChildItem Of(ChildRow r) => new(r.Id, r.Number, r.Title, r.Status, r.Priority, r.AssigneeName, ApiTime.Utc(r.UpdatedAt));
}

/// <summary>The case's service-level targets: each one's state now, when it is due and when it was met.</summary>
public sealed record CaseDueTimes(
    bool ClockRunning,
    ServiceLevelState FirstResponse, DateTime? FirstResponseDueAt, DateTime? FirstRespondedAt,
    ServiceLevelState Resolution, DateTime? ResolutionDueAt, DateTime? ResolvedAt);

/// <summary>One case with its family; <see cref="Version"/> is also the response's ETag.</summary>
public sealed record CaseItem(
    int Id, string Number, string Title, CaseStatus Status, CasePriority? Priority, CaseOrigin? Origin, string Description, string? Resolution,
    NamedRef Contact, NamedRef? Account, NamedRef Category, UserRef? Assignee, CaseDueTimes Due,
    ParentSummary? Parent, IReadOnlyList<ChildItem> Children, int? MergedIntoId,
    string CreatedBy, DateTime CreatedAt, string UpdatedBy, DateTime UpdatedAt, int Version)
{
    /// <summary>
    /// The case as the API shows it, read as the case page reads it (the children only when it has some): what GET
    /// /api/v1/cases/{id} and every write that answers a case return, with <see cref="Version"/> as their ETag.
    /// </summary>
    public static async Task<CaseItem> ReadAsync(CaseQueries queries, CaseFamilyQueries family, TimeProvider clock, int id, CancellationToken ct)
    {
        var c = await queries.DetailsAsync(id, ct) ?? throw new NotFoundException("Case", id);
        var children = c.ChildCount > 0 ? await family.ChildrenAsync(id, ct) : [];
        var now = clock.GetUtcNow().UtcDateTime;
        return new CaseItem(
            c.Id, c.Number, c.Title, c.Status, c.Priority, c.Origin, c.Description, c.Resolution,
            new NamedRef(c.ContactId, c.ContactName),
            c.AccountId is { } accountId ? new NamedRef(accountId, c.AccountName ?? string.Empty) : null,
            new NamedRef(c.CategoryId, c.CategoryName),
            c.AssignedToId is { } assigneeId ? new UserRef(assigneeId, c.AssigneeName ?? string.Empty) : null,
            new CaseDueTimes(
                c.Clock.Running,
                c.Clock.FirstResponse(now), Utc(c.Clock.FirstResponseDueAt), Utc(c.Clock.FirstRespondedAt),
                c.Clock.Resolution(now), Utc(c.Clock.ResolutionDueAt), Utc(c.Clock.ResolvedAt)),
            c.ParentId is { } parentId ? new ParentSummary(parentId, CaseNumber.Format(parentId), c.ParentTitle) : null,
            [.. children.Select(ChildItem.Of)],
            c.MergedIntoId,
            c.CreatedByName, Utc(c.CreatedAt), c.UpdatedByName, Utc(c.UpdatedAt), c.Version);
    }
}

/// <summary>A resolved or cancelled case and the children closed with it (closure preference "close the children").</summary>
public sealed record CaseClosure(CaseItem Case, IReadOnlyList<ChildItem> ClosedChildren);

/// <summary>The fields of a case, as the case form has them ("Agregar Caso", "Editar").</summary>
public sealed class CaseBody
{
    public string? Title { get; set; }

    /// <summary>The account; on creation, the contact's when none is given.</summary>
    public int? AccountId { get; set; }

    public int? CategoryId { get; set; }
    public CasePriority? Priority { get; set; }

    /// <summary>An active status (New, InProgress, OnHold): New when not given on creation; required on an update.</summary>
    public CaseStatus? Status { get; set; }

    public string? Description { get; set; }
    public string? Resolution { get; set; }
    public CaseOrigin? Origin { get; set; }

    /// <summary>The page's form with these values, to be checked by its validator.</summary>
    internal CaseForm ToForm(CaseStatus? defaultStatus) => new()
    {
        Title = Title,
        AccountId = AccountId,
        CategoryId = CategoryId,
        Priority = Priority,
        // An update without a status is refused by the form's validator (no status is 0).
        Status = Status ?? defaultStatus ?? default,
        Description = Description,
        Resolution = Resolution,
        Origin = Origin,
    };
}

/// <summary>Cancelling a case: whether its open activities (and those of the children closed with it) are cancelled too.</summary>
public sealed class CancelBody
{
    public bool CancelOpenActivities { get; set; }
}

/// <summary>Whom to assign the case to: a user's id, or null for nobody.</summary>
public sealed class AssignBody
{
    public string? AssigneeId { get; set; }
}

/// <summary>
/// Cases through the API: the list of Servicio → Casos (same filters and sort, by a keyset cursor), one case with its
/// family, "Agregar Caso" for a contact, edit with the version as ETag / If-Match, and the case page's commands. Every read
/// and write is the pages' own (<see cref="CaseQueries"/>, <see cref="CaseService"/>, the forms' validators); the
/// rights are the pages' policies and the domain's rules.
/// </summary>
[Route("api/v1")]
public sealed class CasesApiController(CaseService cases, CaseQueries queries, CaseFamilyQueries family, CurrentUser me, TimeProvider clock) : ApiControllerBase
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 50;

    private const string ProblemJson = "application/problem+json";

    /// <summary>
    /// The cases of the case list (Servicio → Casos) with its view, filters and sort, a page at a time. Sorts: <c>updated</c>
    /// (last change; without a sort, newest first), <c>due</c> ("Vence": soonest first, cases without a running due time last),
    /// <c>number</c>, <c>status</c> (then last change) and <c>title</c>; <c>dir</c> is <c>asc</c> or <c>desc</c>.
    /// </summary>
    /// <param name="view"><c>active</c> (default: active cases), <c>mine</c> (active cases assigned to the token's user) or <c>all</c>.</param>
    /// <param name="status">Only this status (New, InProgress, OnHold, Resolved, Closed, Cancelled), in any view.</param>
    /// <param name="priority">Only this priority (Low, Normal, High, Urgent).</param>
    /// <param name="categoryId">Only this category.</param>
    /// <param name="assignee">Only the cases assigned to this user id; <c>none</c> for the unassigned ones.</param>
    /// <param name="sla"><c>atrisk</c> or <c>breached</c>: the cases whose pending service-level target is at risk or overdue now.</param>
    /// <param name="age">Created within an age bucket: <c>lt1</c>, <c>1to3</c>, <c>3to7</c>, <c>7to30</c>, <c>gt30</c> (days).</param>
    /// <param name="q">A case number ("CAS-000042" or 42) or words of the title.</param>
    /// <param name="sort"><c>updated</c> (default), <c>due</c>, <c>number</c>, <c>status</c>, <c>priority</c> or <c>title</c>.</param>
    /// <param name="dir"><c>desc</c> for descending; with a <c>sort</c>, ascending unless <c>desc</c> (as the page).</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page (with the same sort); none for the first.</param>
    /// <param name="limit">Cases per page, 1 to 100 (50 when not given).</param>
    [HttpGet("cases")]
    [ProducesResponseType<ListPage<CaseListItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, ProblemJson)]
    public async Task<ActionResult<ListPage<CaseListItem>>> List(
        string? view, CaseStatus? status, CasePriority? priority, int? categoryId, string? assignee, string? sla, string? age,
        string? q, string? sort, string? dir, string? cursor, int? limit, CancellationToken ct)
    {
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            return BadParameter("limit", L["Api_LimitRange", MaxLimit]);
        }

        if (view is not (null or CaseListFilter.ActiveView or CaseListFilter.MineView or CaseListFilter.AllView))
        {
            return BadParameter("view", L["Api_CaseViewUnknown"]);
        }

        if (sla is not (null or CaseQueries.AtRisk or CaseQueries.Breached))
        {
            return BadParameter("sla", L["Api_CaseSlaUnknown"]);
        }

        if (age is not null && BacklogAge.Find(age) is null)
        {
            return BadParameter("age", L["Api_CaseAgeUnknown"]);
        }

        if (sort is not null && !CaseQueries.KeysetSortKeys.Contains(sort))
        {
            return BadParameter("sort", L["Api_CaseSortUnknown", string.Join(", ", CaseQueries.KeysetSortKeys)]);
        }

        if (dir is not (null or "asc" or "desc"))
        {
            return BadParameter("dir", L["Api_DirUnknown"]);
        }

        // The page's sort and its rules: without a sort, last change newest first; with one, ascending unless dir=desc.
        var order = SortOrder.Parse(sort, dir, CaseQueries.KeysetSortKeys, "updated", defaultDescending: true);
        CaseListKey? after = null;
        if (cursor is not null && (after = Decode(cursor, order)) is null)
        {
            return BadParameter("cursor", L["Api_CursorUnknown"]);
        }

        var filter = new CaseListFilter
        {
            View = view, Status = status, Priority = priority, CategoryId = categoryId, Assignee = assignee, Sla = sla, Age = age, Q = q,
        };
        var rows = await queries.AfterAsync(filter, order, after, size + 1, me.IdOrNull, ct);
        var page = rows.Take(size).ToList();
        var next = rows.Count > size ? Encode(CaseListKey.Of(page[^1], order.Key), order) : null;
        return new ListPage<CaseListItem>([.. page.Select(Item)], next);
    }

    /// <summary>One case with its contact, account, category, assignee, due times and family (parent, children). The ETag is its version.</summary>
    /// <param name="id">The case's id (the digits of its number).</param>
    [HttpGet("cases/{id:int}")]
    [ProducesResponseType<CaseItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, ProblemJson)]
    public Task<CaseItem> Get(int id, CancellationToken ct) => CaseAsync(id, ct);

    /// <summary>
    /// "Agregar Caso": a new case for the contact, checked as the case form is. With an <c>Idempotency-Key</c> (a GUID), the same
    /// key sent again by the same user returns the case the first request created (200) instead of creating another.
    /// </summary>
    /// <param name="contactId">The contact the case is for.</param>
    /// <param name="body">The case's fields; the account defaults to the contact's, the status to New.</param>
    /// <param name="idempotencyKey">Optional: a GUID that makes a repeated request return the first one's case.</param>
    [HttpPost("contacts/{contactId:int}/cases")]
    [ProducesResponseType<CaseItem>(StatusCodes.Status201Created)]
    [ProducesResponseType<CaseItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, ProblemJson)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, ProblemJson)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, ProblemJson)]
    public async Task<ActionResult<CaseItem>> Create(
        int contactId, CaseBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken ct)
    {
        Guid? key = null;
        if (idempotencyKey is not null)
        {
            if (!Guid.TryParse(idempotencyKey, out var parsed) || parsed == Guid.Empty)
            {
                return BadParameter("Idempotency-Key", L["Api_IdempotencyKeyInvalid"]);
            }

            key = parsed;
            // The same key again: the first request's case (the service would find it too, on its unique index, but
            // could not tell the caller it was not new).
            if (await queries.SubmittedAsync(me.Id, parsed, ct) is { } earlier)
            {
                return Ok(await CaseAsync(earlier, ct));
            }
        }

        var form = body.ToForm(CaseStatus.New);
        if (await InvalidAsync(Validator<CaseForm>(), form, ct) is { } invalid)
        {
            return invalid;
        }

        var created = await cases.AddToContactAsync(contactId, form.ToFields(), form.Status, me.Id, key, ct);
        var item = await CaseAsync(created.Id, ct);
        return CreatedAtAction(nameof(Get), new { id = item.Id }, item);
    }

    /// <summary>
    /// "Editar": saves the case's fields over the version named by <c>If-Match</c> (its ETag). Without If-Match 428; an If-Match
    /// this API did not give 412; a version someone else has saved over 409 (CASE-RULE-24): read the case again and retry.
    /// Resolving, cancelling and reopening are commands of their own: the status moves only among the active ones.
    /// </summary>
    /// <param name="id">The case's id.</param>
    /// <param name="body">Every field of the case (what is not sent is emptied), the status included.</param>
    [HttpPut("cases/{id:int}")]
    [ProducesResponseType<CaseItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, ProblemJson)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, ProblemJson)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, ProblemJson)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, ProblemJson)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, ProblemJson)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status428PreconditionRequired, ProblemJson)]
    public async Task<ActionResult<CaseItem>> Update(int id, CaseBody body, CancellationToken ct)
    {
        var (state, version) = ReadIfMatch();
        if (state != IfMatch.Version)
        {
            return PreconditionProblem(state);
        }

        var form = body.ToForm(null);
        if (await InvalidAsync(Validator<CaseForm>(), form, ct) is { } invalid)
        {
            return invalid;
        }

        await cases.UpdateAsync(id, version, form.ToFields(), form.Status, me.Id, ct);
        return await CaseAsync(id, ct);
    }

    /// <summary>"Resolver": resolves the case with its resolution; a parent's active children block it or are resolved with it, as the closure preference says.</summary>
    /// <param name="id">The case's id.</param>
    /// <param name="body">The resolution, and whether open activities are cancelled (without it, a case with open activities is refused: CASE-RULE-51).</param>
    [HttpPost("cases/{id:int}/resolve")]
    [ProducesResponseType<CaseClosure>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, ProblemJson)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, ProblemJson)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, ProblemJson)]
    public async Task<ActionResult<CaseClosure>> Resolve(int id, ResolveForm body, CancellationToken ct)
    {
        if (await InvalidAsync(Validator<ResolveForm>(), body, ct) is { } invalid)
        {
            return invalid;
        }

        var closed = await cases.ResolveAsync(id, body.Resolution, me.Id, body.CancelOpenActivities, ct);
        return await ClosureAsync(id, closed, ct);
    }

    /// <summary>"Cancelar": cancels the case; a parent's active children block it or are cancelled with it, as the closure preference says.</summary>
    /// <param name="id">The case's id.</param>
    /// <param name="body">Optional: whether open activities are cancelled too (without it, a case with open activities is refused: CASE-RULE-51).</param>
    [HttpPost("cases/{id:int}/cancel")]
    [ProducesResponseType<CaseClosure>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, ProblemJson)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, ProblemJson)]
    public async Task<ActionResult<CaseClosure>> Cancel(int id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] CancelBody? body, CancellationToken ct)
    {
        var closed = await cases.CancelAsync(id, me.Id, body?.CancelOpenActivities ?? false, ct);
        return await ClosureAsync(id, closed, ct);
    }

    /// <summary>"Reabrir": a closed case back to In progress. Supervisors and administrators only, as on the case page (403 for an agent).</summary>
    /// <param name="id">The case's id.</param>
    [HttpPost("cases/{id:int}/reopen")]
    [Authorize(Policy = Policies.ManageCases)]
    [ProducesResponseType<CaseItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, ProblemJson)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, ProblemJson)]
    public async Task<CaseItem> Reopen(int id, CancellationToken ct)
    {
        await cases.ReopenAsync(id, me.Id, ct);
        return await CaseAsync(id, ct);
    }

    /// <summary>"Tomar caso": the token's user takes the case.</summary>
    /// <param name="id">The case's id.</param>
    [HttpPost("cases/{id:int}/take")]
    [ProducesResponseType<CaseItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, ProblemJson)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, ProblemJson)]
    public Task<CaseItem> Take(int id, CancellationToken ct) => AssignToAsync(id, me.Id, ct);

    /// <summary>
    /// "Asignar": assigns the case to an active user, or to nobody (<c>assigneeId</c> null). An agent may only assign the case
    /// to themselves; assigning others or nobody is a supervisor's (CASE-RULE-29), as on the case page.
    /// </summary>
    /// <param name="id">The case's id.</param>
    /// <param name="body">The assignee's user id, or null.</param>
    [HttpPost("cases/{id:int}/assign")]
    [ProducesResponseType<CaseItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, ProblemJson)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, ProblemJson)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, ProblemJson)]
    public Task<CaseItem> Assign(int id, AssignBody body, CancellationToken ct) =>
        AssignToAsync(id, string.IsNullOrEmpty(body.AssigneeId) ? null : body.AssigneeId, ct);

    private async Task<CaseItem> AssignToAsync(int id, string? assigneeId, CancellationToken ct)
    {
        await cases.AssignAsync(id, assigneeId, me.Id, await me.CanManageCasesAsync(), ct);
        return await CaseAsync(id, ct);
    }

    private async Task<CaseClosure> ClosureAsync(int id, IReadOnlyList<ChildSummary> closed, CancellationToken ct) =>
        new(await CaseAsync(id, ct), [.. closed.OrderBy(c => c.Id).Select(c => new ChildItem(c.Id, c.Number, c.Title, c.Status))]);

    /// <summary>The case as the API shows it (<see cref="CaseItem.ReadAsync"/>); sets its ETag.</summary>
    private async Task<CaseItem> CaseAsync(int id, CancellationToken ct)
    {
        var item = await CaseItem.ReadAsync(queries, family, clock, id, ct);
        SetETag(item.Version);
        return item;
    }

    private static CaseListItem Item(CaseRow r) => new(
        r.Id, r.Number, r.Title, r.Status, r.Priority, r.CategoryName, r.ContactId, r.ContactName, r.AssigneeName,
        Utc(r.UpdatedAt), r.ParentId, r.ChildCount, Utc(r.DueAt), Utc(r.AtRiskAt));

    private IValidator<T> Validator<T>() => HttpContext.RequestServices.GetRequiredService<IValidator<T>>();

    /// <summary>The cursor: the sort it belongs to and the key of the last case sent (<see cref="CaseListKey"/>), times as ticks.</summary>
    private sealed record Key(string S, bool D, int I, long? T, int? St, string? Ti, int? P = null);

    internal static string Encode(CaseListKey key, SortOrder sort) =>
        ApiCursor.Encode(new Key(sort.Key, sort.Descending, key.Id, key.At?.Ticks, (int?)key.Status, key.Title, (int?)key.Priority));

    /// <summary>The key of a cursor given for <paramref name="sort"/>; null when it is not one, or was given for another sort.</summary>
    internal static CaseListKey? Decode(string cursor, SortOrder sort)
    {
        if (ApiCursor.Decode<Key>(cursor) is not { } key || key.S != sort.Key || key.D != sort.Descending)
        {
            return null;
        }

        // Exactly the values the sort needs, each in its range.
        var hasAt = key.T is not null;
        var hasStatus = key.St is not null;
        var hasTitle = key.Ti is not null;
        // (A priority sort's key may have no priority: the cases without one.)
        if (hasAt != (sort.Key is "updated" or "due" or "status" or "priority") || hasStatus != (sort.Key == "status") || hasTitle != (sort.Key == "title")
            || (key.P is not null && sort.Key != "priority")
            || key.T is < 0 or > 3155378975999999999 // DateTime.MaxValue.Ticks
            || (key.St is { } st && !Enum.IsDefined((CaseStatus)st))
            || (key.P is { } priority && !Enum.IsDefined((CasePriority)priority))
            || key.Ti?.Length > Domain.Limits.CaseTitle)
        {
            return null;
        }

        return new CaseListKey(key.I, key.T is { } t ? new DateTime(t, DateTimeKind.Utc) : null, (CaseStatus?)key.St, key.Ti, (CasePriority?)key.P);
    }
}
