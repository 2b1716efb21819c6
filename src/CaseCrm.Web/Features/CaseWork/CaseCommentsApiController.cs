using System.Security.Claims;
using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Web.Features.Api;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Features.CaseWork;

/// <summary>A comment on a case.</summary>
public sealed record CommentItem(int Id, string Body, string AuthorId, string AuthorName, DateTime CreatedAt, DateTime? EditedAt);

/// <summary>
/// A case's comments through the API: the comments of the case page's timeline ("Actividad", read by the same query), newest
/// first by a cursor, and a new comment checked by the page's comment form validator, added by the same service (mentions
/// notify as on the page).
/// </summary>
[Route("api/v1/cases/{id:int}/comments")]
public sealed class CaseCommentsApiController(CaseService cases, CaseWorkQueries queries, CurrentUser me, IValidator<CommentForm> validator) : ApiControllerBase
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 50;

    private const string ProblemJson = "application/problem+json";

    /// <summary>The case's comments, newest first, a page at a time.</summary>
    /// <param name="id">The case's id.</param>
    /// <param name="cursor">The <c>nextCursor</c> of the previous page; none for the first.</param>
    /// <param name="limit">Comments per page, 1 to 100 (50 when not given).</param>
    [HttpGet("")]
    [ProducesResponseType<ListPage<CommentItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, ProblemJson)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, ProblemJson)]
    public async Task<ActionResult<ListPage<CommentItem>>> List(int id, string? cursor, int? limit, CancellationToken ct)
    {
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            return BadParameter("limit", L["Api_LimitRange", MaxLimit]);
        }

        TimelineCursor? before = null;
        if (cursor is not null && (before = Decode(cursor)) is null)
        {
            return BadParameter("cursor", L["Api_CursorUnknown"]);
        }

        var page = await queries.TimelineAsync(id, TimelineKind.Comment, ct, before, size);
        // Comments are the case's: an empty page is checked, so that a case that does not exist is a 404.
        if (page.Entries.Count == 0 && !await queries.CaseExistsAsync(id, ct))
        {
            throw new NotFoundException("Case", id);
        }

        return new ListPage<CommentItem>(
            [.. page.Entries.Select(e => new CommentItem(e.Id, e.Text, e.UserId, e.UserName, Utc(e.At), e.EditedAt is { } edited ? Utc(edited) : null))],
            page.Older is { } older ? ApiCursor.Encode(new Key(older.At.Ticks, older.Id)) : null);
    }

    /// <summary>Adds a comment to the case (an @mention notifies the user mentioned, as on the case page).</summary>
    /// <param name="id">The case's id.</param>
    /// <param name="body">The comment's text.</param>
    [HttpPost("")]
    [ProducesResponseType<CommentItem>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, ProblemJson)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, ProblemJson)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity, ProblemJson)]
    public async Task<ActionResult<CommentItem>> Add(int id, CommentForm body, CancellationToken ct)
    {
        if (await InvalidAsync(validator, body, ct) is { } invalid)
        {
            return invalid;
        }

        var comment = await cases.AddCommentAsync(id, body.Body!, me.Id, ct);
        var item = new CommentItem(
            comment.Id, comment.Body, comment.AuthorId, me.Principal.FindFirstValue(AppClaimsFactory.DisplayNameClaim) ?? string.Empty,
            Utc(comment.CreatedAt), null);
        // No address of its own: the comment is the newest of the case's comments.
        return Created(Url.Action(nameof(List), new { id }), item);
    }

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);

    /// <summary>The cursor: the time (ticks) and id of the last comment sent.</summary>
    private sealed record Key(long T, int I);

    private static TimelineCursor? Decode(string cursor) =>
        ApiCursor.Decode<Key>(cursor) is { T: >= 0 and <= 3155378975999999999 } key // DateTime.MaxValue.Ticks
            ? new TimelineCursor(new DateTime(key.T, DateTimeKind.Utc), TimelineKind.Comment, key.I)
            : null;
}
