using System.Globalization;
using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Cases;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CaseCrm.Web.Features.CaseWork;

/// <summary>Limits for attachments (configuration section "Attachments").</summary>
public sealed class AttachmentOptions
{
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;
    public int MaxFilesPerUpload { get; set; } = 10;
}

public sealed class CommentForm
{
    public string? Body { get; set; }
}

internal sealed class CommentFormValidator : AbstractValidator<CommentForm>
{
    public CommentFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Body).NotEmpty().WithMessage(_ => l["Comment_Required"])
            .MaximumLength(Limits.CommentBody).WithMessage(_ => l["Validation_MaxLength", Limits.CommentBody]);
    }
}

public sealed record EditCommentModel(int CaseId, int CommentId, CommentForm Form);

/// <summary>Working a case: assignment, "Tomar caso", comments and attachments. The rules are in <see cref="CaseService"/>.</summary>
public sealed class CaseWorkController(
    CaseService cases,
    CaseQueries queries,
    CrmDbContext db,
    IValidator<CommentForm> commentValidator,
    IOptions<AttachmentOptions> attachmentOptions,
    UserManager<AppUser> users,
    IStringLocalizer<SharedResource> l,
    ILogger<CaseWorkController> logger) : Controller
{
    private const string DetailsView = "~/Features/Cases/Details.cshtml";

    [HttpPost("/Cases/{id:int}/Assign")]
    public Task<IActionResult> Assign(int id, string? assigneeId, CancellationToken ct) =>
        AssignToAsync(id, string.IsNullOrEmpty(assigneeId) ? null : assigneeId, ct);

    /// <summary>"Tomar caso": the signed-in user takes the case.</summary>
    [HttpPost("/Cases/{id:int}/Take")]
    public Task<IActionResult> Take(int id, CancellationToken ct) => AssignToAsync(id, UserId, ct);

    [HttpPost("/Cases/{id:int}/Comments")]
    public async Task<IActionResult> AddComment(int id, CommentForm form, CancellationToken ct)
    {
        var result = await commentValidator.ValidateAsync(form, ct);
        if (!result.IsValid)
        {
            Infrastructure.ModelStateExtensions.AddErrors(ModelState, result);
            var model = await queries.DetailsPageAsync(id, null, false, null, IsSupervisor, ct, form.Body);
            return model is null ? NotFound() : View(DetailsView, model);
        }

        await cases.AddCommentAsync(id, form.Body!, UserId, ct);
        TempData["Message"] = l["Comment_Added"].Value;
        return Redirect($"/Cases/{id}#comments");
    }

    [HttpGet("/Cases/{id:int}/Comments/{commentId:int}/Edit")]
    public async Task<IActionResult> EditComment(int id, int commentId, CancellationToken ct)
    {
        var comment = await db.CaseComments.AsNoTracking().SingleOrDefaultAsync(c => c.Id == commentId && c.CaseId == id, ct);
        return comment is null ? NotFound() : View(new EditCommentModel(id, commentId, new CommentForm { Body = comment.Body }));
    }

    [HttpPost("/Cases/{id:int}/Comments/{commentId:int}/Edit")]
    public async Task<IActionResult> EditComment(int id, int commentId, CommentForm form, CancellationToken ct)
    {
        var result = await commentValidator.ValidateAsync(form, ct);
        if (result.IsValid)
        {
            try
            {
                await cases.EditCommentAsync(id, commentId, form.Body!, UserId, IsSupervisor, ct);
                TempData["Message"] = l["Comment_Saved"].Value;
                return Redirect($"/Cases/{id}#comments");
            }
            catch (CaseRuleException ex)
            {
                Infrastructure.ModelStateExtensions.AddRuleErrors(ModelState, ex);
            }
        }
        else
        {
            Infrastructure.ModelStateExtensions.AddErrors(ModelState, result);
        }

        return View(new EditCommentModel(id, commentId, form));
    }

    [HttpPost("/Cases/{id:int}/Comments/{commentId:int}/Delete")]
    public async Task<IActionResult> DeleteComment(int id, int commentId, CancellationToken ct)
    {
        await RunAsync(() => cases.DeleteCommentAsync(id, commentId, UserId, IsSupervisor, ct), "Comment_Deleted");
        return Redirect($"/Cases/{id}#comments");
    }

    /// <summary>Uploads one or several files. Too large, blocked or empty files are refused with a message; nothing is half saved.</summary>
    [HttpPost("/Cases/{id:int}/Attachments")]
    [RequestSizeLimit(MaxRequestBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
    public async Task<IActionResult> Upload(int id, List<IFormFile> files, CancellationToken ct)
    {
        var options = attachmentOptions.Value;
        var errors = new List<string>();
        if (files.Count == 0)
        {
            errors.Add(l["Attachment_NoFile"]);
        }
        else if (files.Count > options.MaxFilesPerUpload)
        {
            errors.Add(l["Attachment_TooMany", options.MaxFilesPerUpload]);
        }

        errors.AddRange(files
            .Where(f => f.Length > options.MaxFileBytes)
            .Select(f => new CaseRuleViolation(CaseRuleCode.FileTooLarge, id, AttachmentRules.SafeFileName(f.FileName), FormatSize(options.MaxFileBytes)).Message));
        if (errors.Count == 0)
        {
            var contents = new List<(string, byte[])>();
            foreach (var file in files)
            {
                using var stream = new MemoryStream((int)file.Length);
                await file.CopyToAsync(stream, ct);
                contents.Add((file.FileName, stream.ToArray()));
            }

            try
            {
                var added = await cases.AddAttachmentsAsync(id, contents, UserId, ct);
                TempData["Message"] = l["Attachment_Added", string.Join(", ", added.Select(a => a.FileName))].Value;
                return Redirect($"/Cases/{id}#attachments");
            }
            catch (CaseRuleException ex)
            {
                errors.AddRange(ex.Violations.Select(v => v.Message));
            }
        }

        logger.LogInformation("Upload refused on case {CaseId} for {User}: {Errors}", id, User.Identity?.Name, errors);
        TempData["AttachmentError"] = string.Join(" ", errors);
        return Redirect($"/Cases/{id}#attachments");
    }

    /// <summary>Always a download, never rendered: octet-stream, attachment disposition with a safe name, nosniff.</summary>
    [HttpGet("/Cases/{id:int}/Attachments/{attachmentId:int}")]
    public async Task<IActionResult> Download(int id, int attachmentId, CancellationToken ct)
    {
        var file = await db.CaseAttachments.AsNoTracking()
            .Where(a => a.Id == attachmentId && a.CaseId == id)
            .Select(a => new { a.FileName, a.Content!.Data })
            .SingleOrDefaultAsync(ct);
        if (file is null)
        {
            return NotFound();
        }

        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(AttachmentRules.SafeFileName(file.FileName));
        Response.Headers.ContentDisposition = disposition.ToString();
        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.CacheControl = "private, no-store";
        return File(file.Data, "application/octet-stream");
    }

    [HttpPost("/Cases/{id:int}/Attachments/{attachmentId:int}/Delete")]
    public async Task<IActionResult> DeleteAttachment(int id, int attachmentId, CancellationToken ct)
    {
        await RunAsync(() => cases.DeleteAttachmentAsync(id, attachmentId, UserId, IsSupervisor, ct), "Attachment_Deleted");
        return Redirect($"/Cases/{id}#attachments");
    }

    /// <summary>Largest request the upload action reads: the per-file limit is checked inside, with a message.</summary>
    private const long MaxRequestBytes = 120L * 1024 * 1024;

    private string UserId => users.GetUserId(User) ?? throw new InvalidOperationException("Signed-in user without id.");

    private bool IsSupervisor => User.IsInRole(Roles.Supervisor) || User.IsInRole(Roles.Administrator);

    private static string FormatSize(long bytes) =>
        bytes >= 1024 * 1024
            ? string.Format(CultureInfo.CurrentCulture, "{0:0.#} MB", bytes / 1024d / 1024d)
            : string.Format(CultureInfo.CurrentCulture, "{0:0.#} KB", bytes / 1024d);

    private async Task<IActionResult> AssignToAsync(int id, string? assigneeId, CancellationToken ct)
    {
        await RunAsync(() => cases.AssignAsync(id, assigneeId, UserId, IsSupervisor, ct), assigneeId == UserId ? "Case_Taken" : "Case_Assigned");
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
