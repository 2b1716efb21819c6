using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CaseCrm.Web.Features.CaseWork;

/// <summary>Working a case: assignment, "Tomar caso", comments and attachments. The rules are the domain's (<see cref="Case"/>, <see cref="AttachmentRules"/>).</summary>
public sealed class CaseWorkController(
    CaseService cases,
    CaseQueries caseQueries,
    CaseWorkQueries queries,
    IValidator<CommentForm> commentValidator,
    IOptions<AttachmentLimits> attachmentLimits,
    CurrentUser me,
    IStringLocalizer<SharedResource> l,
    ILogger<CaseWorkController> logger) : Controller
{
    private const string DetailsView = "~/Features/Cases/Details.cshtml";

    [HttpPost("/Cases/{id:int}/Assign")]
    public Task<IActionResult> Assign(int id, string? assigneeId, CancellationToken ct) =>
        AssignToAsync(id, string.IsNullOrEmpty(assigneeId) ? null : assigneeId, ct);

    /// <summary>"Tomar caso": the signed-in user takes the case.</summary>
    [HttpPost("/Cases/{id:int}/Take")]
    public Task<IActionResult> Take(int id, CancellationToken ct) => AssignToAsync(id, me.Id, ct);

    [HttpPost("/Cases/{id:int}/Comments")]
    public async Task<IActionResult> AddComment(int id, CommentForm form, CancellationToken ct)
    {
        var result = await commentValidator.ValidateAsync(form, ct);
        if (!result.IsValid)
        {
            ModelState.AddErrors(result);
            var model = await caseQueries.DetailsPageAsync(id, null, false, null, await me.CanManageCasesAsync(), ct, form.Body);
            return model is null ? NotFound() : View(DetailsView, model);
        }

        await cases.AddCommentAsync(id, form.Body!, me.Id, ct);
        TempData["Message"] = l["Comment_Added"].Value;
        return RedirectToAction("Details", "Cases", new { id }, "comments");
    }

    [HttpGet("/Cases/{id:int}/Comments/{commentId:int}/Edit")]
    public async Task<IActionResult> EditComment(int id, int commentId, CancellationToken ct) =>
        await queries.CommentBodyAsync(id, commentId, ct) is { } body
            ? View(new EditCommentModel(id, commentId, new CommentForm { Body = body }))
            : NotFound();

    [HttpPost("/Cases/{id:int}/Comments/{commentId:int}/Edit")]
    public async Task<IActionResult> EditComment(int id, int commentId, CommentForm form, CancellationToken ct)
    {
        var result = await commentValidator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        if (result.IsValid)
        {
            try
            {
                await cases.EditCommentAsync(id, commentId, form.Body!, me.Id, await me.CanManageCasesAsync(), ct);
                TempData["Message"] = l["Comment_Saved"].Value;
                return RedirectToAction("Details", "Cases", new { id }, "comments");
            }
            catch (CaseRuleException ex)
            {
                ModelState.AddRuleErrors(ex);
            }
        }

        return View(new EditCommentModel(id, commentId, form));
    }

    [HttpPost("/Cases/{id:int}/Comments/{commentId:int}/Delete")]
    public async Task<IActionResult> DeleteComment(int id, int commentId, CancellationToken ct)
    {
        var isSupervisor = await me.CanManageCasesAsync();
        await RunAsync(() => cases.DeleteCommentAsync(id, commentId, me.Id, isSupervisor, ct), "Comment_Deleted");
        return RedirectToAction("Details", "Cases", new { id }, "comments");
    }

    /// <summary>
    /// Uploads one or several files: all or none, as <see cref="AttachmentRules.CheckAsync"/> accepts them. The form binding
    /// keeps files over 64 KB in temporary files, not in memory; the rules (types, sizes and quotas) are checked on each
    /// file's first bytes to refuse early, and again by the service, in its transaction, which streams the files into the
    /// database.
    /// </summary>
    [HttpPost("/Cases/{id:int}/Attachments")]
    [AttachmentRequestLimits]
    public async Task<IActionResult> Upload(int id, List<IFormFile> files, CancellationToken ct)
    {
        var limits = attachmentLimits.Value;
        var uploads = files.Select(f => new UploadedFile(f.FileName, f.Length, f.OpenReadStream)).ToList();
        var heads = new List<IncomingFile>();
        foreach (var upload in uploads)
        {
            heads.Add(await upload.ReadHeadAsync(ct));
        }

        IReadOnlyList<CaseRuleViolation> refusals = AttachmentRules.Check(id, heads, limits, await cases.AttachmentUsageAsync(id, me.Id, ct));
        if (refusals.Count == 0)
        {
            try
            {
                var added = await cases.AddAttachmentsAsync(id, uploads, me.Id, limits, ct);
                TempData["Message"] = l["Attachment_Added", string.Join(", ", added.Select(a => a.FileName))].Value;
                return RedirectToAction("Details", "Cases", new { id }, "attachments");
            }
            catch (CaseRuleException ex)
            {
                refusals = ex.Violations;
            }
        }

        logger.LogInformation("Upload refused on case {CaseId} for {User}: {Codes}", id, User.Identity?.Name, refusals.Select(v => v.ErrorCode));
        TempData["AttachmentError"] = string.Join(" ", refusals.Select(v => v.Message));
        return RedirectToAction("Details", "Cases", new { id }, "attachments");
    }

    /// <summary>
    /// Always a download, never rendered: octet-stream, attachment disposition with a safe name, nosniff. The bytes are
    /// copied from the database to the response in pieces.
    /// </summary>
    [HttpGet("/Cases/{id:int}/Attachments/{attachmentId:int}")]
    public async Task<IActionResult> Download(int id, int attachmentId, CancellationToken ct)
    {
        if (await queries.AttachmentAsync(id, attachmentId, ct) is not { } file)
        {
            return NotFound();
        }

        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(AttachmentRules.SafeFileName(file.FileName));
        Response.Headers.ContentDisposition = disposition.ToString();
        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.CacheControl = "private, no-store";
        Response.ContentType = "application/octet-stream";
        Response.ContentLength = file.Size;
        if (!await queries.CopyContentAsync(attachmentId, Response.Body, ct))
        {
            // Deleted since it was looked up; nothing is written yet, so the headers can still change.
            Response.Headers.ContentDisposition = default;
            Response.ContentLength = null;
            Response.ContentType = null;
            return NotFound();
        }

        return new EmptyResult();
    }

    [HttpPost("/Cases/{id:int}/Attachments/{attachmentId:int}/Delete")]
    public async Task<IActionResult> DeleteAttachment(int id, int attachmentId, CancellationToken ct)
    {
        var isSupervisor = await me.CanManageCasesAsync();
        await RunAsync(() => cases.DeleteAttachmentAsync(id, attachmentId, me.Id, isSupervisor, ct), "Attachment_Deleted");
        return RedirectToAction("Details", "Cases", new { id }, "attachments");
    }

    private async Task<IActionResult> AssignToAsync(int id, string? assigneeId, CancellationToken ct)
    {
        var isSupervisor = await me.CanManageCasesAsync();
        await RunAsync(() => cases.AssignAsync(id, assigneeId, me.Id, isSupervisor, ct), assigneeId == me.Id ? "Case_Taken" : "Case_Assigned");
        return RedirectToAction("Details", "Cases", new { id });
    }

    private async Task RunAsync(Func<Task> operation, string successKey)
    {
        try
        {
            await operation();
            TempData["Message"] = l[successKey].Value;
        }
        catch (CaseRuleException ex)
        {
            logger.LogWarning("Refused for {User}: {Codes}", User.Identity?.Name, string.Join(",", ex.Violations.Select(v => v.ErrorCode)));
            TempData["Error"] = string.Join(" ", ex.Violations.Select(v => v.Message));
        }
    }
}
