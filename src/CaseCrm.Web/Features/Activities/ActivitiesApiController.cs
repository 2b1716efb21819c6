using CaseCrm.Data;
using CaseCrm.Data.Activities;
using CaseCrm.Domain.Activities;
using CaseCrm.Web.Features.Api;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Features.Activities;

/// <summary>An activity as the API lists it. Times are UTC.</summary>
public sealed record ActivityItem(
    int Id, ActivityType Type, string Subject, ActivityStatus Status, ActivityPriority Priority, DateTime? ScheduledAt,
    string OwnerId, string OwnerName, RegardingType? RegardingType, int? CaseId, int? ContactId, int? AccountId, string? RegardingName,
    DateTime CreatedAt);

/// <summary>An activity with every field of its type. Times are UTC.</summary>
public sealed record ActivityDetailsItem(
    int Id, ActivityType Type, string Subject, string? Description, ActivityStatus Status, ActivityPriority Priority, string OwnerId,
    RegardingType? RegardingType, int? RegardingId, DateTime? DueAt, DateTime? StartAt, DateTime? EndAt, string? Location,
    IReadOnlyList<string> AttendeeIds, CallDirection? Direction, string? Phone, int? DurationMinutes, DateTime? ScheduledAt,
    DateTime? ClosedAt, DateTime CreatedAt, DateTime UpdatedAt, int Version);

/// <summary>
/// A new activity: the fields of the activity form. Only the fields of its type are kept: <c>dueAt</c> for a task;
/// <c>startAt</c>, <c>endAt</c> (both required), <c>location</c> and <c>attendeeIds</c> for an appointment; <c>direction</c>
/// (required), <c>startAt</c> (when it took place), <c>phone</c> and <c>durationMinutes</c> for a call. A time with an offset or
/// "Z" is that instant; a time without one is the token user's time zone (Preferencias), as the form reads it.
/// </summary>
/// <param name="Type">Call, Task (when left out) or Appointment.</param>
/// <param name="Subject">Asunto (required).</param>
/// <param name="Description">Descripción.</param>
/// <param name="Priority">Low, Normal (when left out) or High.</param>
/// <param name="OwnerId">The user who works it (a user id); the token's user when left out.</param>
/// <param name="RegardingType">What it is about ("Referente a"): Case, Contact or Account.</param>
/// <param name="RegardingId">The id of that case, contact or account (required with <c>regardingType</c>).</param>
/// <param name="DueAt">A task's due time.</param>
/// <param name="StartAt">An appointment's start, or when a call took place.</param>
/// <param name="EndAt">An appointment's end.</param>
/// <param name="Location">An appointment's place.</param>
/// <param name="AttendeeIds">The users invited to an appointment.</param>
/// <param name="Direction">A call's direction: Incoming or Outgoing.</param>
/// <param name="Phone">The number a call was made to or from.</param>
/// <param name="DurationMinutes">A call's length in minutes.</param>
public sealed record ActivityBody(
    ActivityType? Type, string? Subject, string? Description, ActivityPriority? Priority, string? OwnerId,
    RegardingType? RegardingType, int? RegardingId, DateTime? DueAt, DateTime? StartAt, DateTime? EndAt, string? Location,
    List<string>? AttendeeIds, CallDirection? Direction, string? Phone, int? DurationMinutes)
{
    /// <summary>The form with every time in UTC: <paramref name="toUtc"/> reads the times given without an offset.</summary>
    public ActivityForm ToForm(Func<DateTime, DateTime> toUtc)
    {
        DateTime? Utc(DateTime? time) => time switch
        {
            null => null,
            { Kind: DateTimeKind.Utc } t => t,
            { Kind: DateTimeKind.Local } t => t.ToUniversalTime(),
            { } t => toUtc(t),
        };

        return new()
        {
            Type = Type ?? ActivityType.Task, Subject = Subject, Description = Description, Priority = Priority ?? ActivityPriority.Normal,
            OwnerId = OwnerId, RegardingType = RegardingType, RegardingId = RegardingId, DueAt = Utc(DueAt), StartAt = Utc(StartAt),
            EndAt = Utc(EndAt), Location = Location, AttendeeIds = AttendeeIds ?? [], Direction = Direction, Phone = Phone,
            DurationMinutes = DurationMinutes,
        };
    }
}

/// <summary>
/// Activities through the API, read by the activity pages' queries (<see cref="ActivityQueries"/>) and changed by their
/// service (<see cref="ActivityService"/>) with the activity form's validator: the list's views ("Mis actividades": one
/// owner's overdue, today's, upcoming or all; another owner's only for a supervisor, as on the page) or the activities of a
/// case, contact or account (their "Actividades" tab), by an opaque cursor; one activity; create; complete and cancel (the
/// owner's, or any for a supervisor: the domain's rule, CASE-RULE-42).
/// </summary>
[Route("api/v1/activities")]
public sealed class ActivitiesApiController(
    ActivityQueries queries, ActivityService activities, IValidator<ActivityForm> validator, CurrentUser me, TimeProvider clock) : ApiControllerBase
{
    /// <summary>
    /// A list of activities, by cursor. Without <paramref name="caseId"/>, <paramref name="contactId"/> or
    /// <paramref name="accountId"/>: one owner's activities in a view of "Mis actividades" (Overdue, Today and Upcoming:
    /// the open ones by their time; All: every one, newest first). With one of them: the activities of that record as its
    /// "Actividades" tab lists them, newest first (a contact's: its own and its cases'; an account's: its own, its
    /// contacts' and its cases').
    /// </summary>
    /// <param name="view">Overdue (when left out), Today, Upcoming or All; "today" is the day in the token user's time zone.</param>
    /// <param name="owner">The owner's user id (the token's user when left out); another user's needs a supervisor or administrator.</param>
    /// <param name="caseId">The activities regarding this case.</param>
    /// <param name="contactId">The activities listed under this contact.</param>
    /// <param name="accountId">The activities listed under this account.</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page; none for the first.</param>
    /// <param name="limit">Activities per page, 1 to 100 (50 when not given).</param>
    [HttpGet("")]
    [ProducesResponseType<ListPage<ActivityItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<ActionResult<ListPage<ActivityItem>>> List(
        string? view, string? owner, int? caseId, int? contactId, int? accountId, string? cursor, int? limit, CancellationToken ct)
    {
        if (ApiPaging.Size(limit) is not { } size)
        {
            return BadParameter("limit", L["Api_LimitRange", ApiPaging.MaxLimit]);
        }

        var regarding = new[] { (RegardingType.Case, caseId), (RegardingType.Contact, contactId), (RegardingType.Account, accountId) }
            .Where(r => r.Item2 is not null).Select(r => new Regarding(r.Item1, r.Item2!.Value)).ToList();
        if (regarding.Count > 1 || (regarding.Count == 1 && (view is not null || owner is not null)))
        {
            return BadParameter(regarding.Count > 1 ? "caseId" : "view", L["Api_ActivitiesOneList"]);
        }

        ActivityView? chosen = view is null ? ActivityView.Overdue : Enum.GetValues<ActivityView>().Cast<ActivityView?>()
            .FirstOrDefault(v => v.ToString()!.Equals(view, StringComparison.OrdinalIgnoreCase));
        if (chosen is not { } listView)
        {
            return BadParameter("view", L["Api_ActivitiesView"]);
        }

        var ownerId = string.IsNullOrEmpty(owner) ? me.Id : owner;
        if (ownerId != me.Id && !await me.CanManageCasesAsync())
        {
            return Problem(statusCode: StatusCodes.Status403Forbidden, detail: L["Api_ActivitiesOwnerForbidden"]);
        }

        var bySchedule = regarding.Count == 0 && ActivityQueries.SortsBySchedule(listView);
        ActivityKey? after = null;
        if (cursor is not null)
        {
            if (ApiCursor.Decode<Key>(cursor) is not { } key || key.S != bySchedule)
            {
                return BadParameter("cursor", L["Api_CursorUnknown"]);
            }

            after = new ActivityKey(key.T, key.I);
        }

        var rows = regarding.Count == 1
            ? await queries.AroundAfterAsync(regarding[0].Type, regarding[0].Id, after, size + 1, ct)
            : await queries.ListAfterAsync(ownerId, listView, clock.GetUtcNow().UtcDateTime, me.TimeZone, after, size + 1, ct);
        var page = rows.Take(size).ToList();
        var next = rows.Count > size && ActivityQueries.KeyOf(page[^1], bySchedule) is var last
            ? ApiCursor.Encode(new Key(last.At, last.Id, bySchedule))
            : null;
        return new ListPage<ActivityItem>([.. page.Select(Item)], next);
    }

    /// <summary>One activity.</summary>
    /// <param name="id">The activity's id.</param>
    [HttpGet("{id:int}")]
    [ProducesResponseType<ActivityDetailsItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActivityDetailsItem> Get(int id, CancellationToken ct) =>
        Details(await queries.FindAsync(id, ct) ?? throw new NotFoundException("Activity", id));

    /// <summary>
    /// Logs a call, plans a task or books an appointment, as the activity form does: regarding a case, a contact or an
    /// account (or nothing). The domain's rules answer 422 with their code: a call needs its direction (CASE-RULE-49), an
    /// appointment its start and end, in that order; the owner and attendees must be active users; the record it regards must exist.
    /// </summary>
    /// <param name="body">The activity's fields.</param>
    [HttpPost("")]
    [ProducesResponseType<ActivityDetailsItem>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<ActivityDetailsItem>> Create(ActivityBody body, CancellationToken ct)
    {
        var form = body.ToForm(me.ToUtc);
        if (await InvalidAsync(validator, form, ct) is { } invalid)
        {
            return invalid;
        }

        var created = await activities.CreateAsync(form.Type, form.ToFields(me.Id, utc => utc), me.Id, ct);
        return CreatedAtAction(nameof(Get), new { id = created.Id }, Details(created));
    }

    /// <summary>Marks an open activity done: its owner, or a supervisor or administrator for anyone's (CASE-RULE-42); a closed one is CASE-RULE-41.</summary>
    /// <param name="id">The activity's id.</param>
    [HttpPost("{id:int}/complete")]
    [ProducesResponseType<ActivityDetailsItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActivityDetailsItem> Complete(int id, CancellationToken ct)
    {
        await activities.CompleteAsync(id, me.Id, await me.CanManageCasesAsync(), ct);
        return await Get(id, ct);
    }

    /// <summary>Cancels an open activity: its owner, or a supervisor or administrator for anyone's (CASE-RULE-42); a closed one is CASE-RULE-41.</summary>
    /// <param name="id">The activity's id.</param>
    [HttpPost("{id:int}/cancel")]
    [ProducesResponseType<ActivityDetailsItem>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActivityDetailsItem> Cancel(int id, CancellationToken ct)
    {
        await activities.CancelAsync(id, me.Id, await me.CanManageCasesAsync(), ct);
        return await Get(id, ct);
    }

    private static ActivityItem Item(ActivityRow r) => new(
        r.Id, r.Type, r.Subject, r.Status, r.Priority, ApiTime.Utc(r.ScheduledAt), r.OwnerId, r.OwnerName, r.RegardingType, r.CaseId,
        r.ContactId, r.AccountId, r.RegardingName, ApiTime.Utc(r.CreatedAt));

    private static ActivityDetailsItem Details(Activity a) => new(
        a.Id, a.Type, a.Subject, a.Description, a.Status, a.Priority, a.OwnerId, a.RegardingType, a.Regarding?.Id, ApiTime.Utc(a.DueAt),
        ApiTime.Utc(a.StartAt), ApiTime.Utc(a.EndAt), a.Location, [.. a.Attendees.Select(x => x.UserId)], a.Direction, a.Phone,
        a.DurationMinutes, ApiTime.Utc(a.ScheduledAt), ApiTime.Utc(a.ClosedAt), ApiTime.Utc(a.CreatedAt), ApiTime.Utc(a.UpdatedAt), a.Version);

    /// <summary>The keyset: the time the list sorts by, the id, and which order (by schedule, or newest first).</summary>
    private sealed record Key(DateTime T, int I, bool S);
}
