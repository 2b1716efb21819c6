using CaseCrm.Data;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.QuickReplies;

public sealed class QuickReplyForm
{
    public string? Name { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public int Version { get; set; }
}

internal sealed class QuickReplyFormValidator : AbstractValidator<QuickReplyForm>
{
    public QuickReplyFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Name).NotEmpty().WithMessage(_ => l["QuickReply_NameRequired"])
            .MaximumLength(Limits.Name).WithMessage(_ => l["Validation_MaxLength", Limits.Name]);
        RuleFor(f => f.Subject).NotEmpty().WithMessage(_ => l["Email_SubjectRequired"])
            .MaximumLength(Limits.EmailSubject).WithMessage(_ => l["Validation_MaxLength", Limits.EmailSubject]);
        RuleFor(f => f.Body).NotEmpty().WithMessage(_ => l["Email_BodyRequired"])
            .MaximumLength(Limits.QuickReplyBody).WithMessage(_ => l["Validation_MaxLength", Limits.QuickReplyBody]);
    }
}

public sealed record QuickReplyRow(int Id, string Name, string Subject, int UsedByMailboxes);

public sealed record QuickReplyEditModel(int? Id, QuickReplyForm Form);

/// <summary>
/// Configuración → Respuestas rápidas (administrators): the texts agents start a reply from, and mailboxes acknowledge
/// with. A text naming an unknown placeholder is refused beside its field (<see cref="QuickReply.Update"/>).
/// </summary>
[Authorize(Policy = Policies.Administer)]
[Route("QuickReplies")]
public sealed class QuickRepliesController(CrmDbContext db, IValidator<QuickReplyForm> validator, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(await db.QuickReplies.AsNoTracking().OrderBy(q => q.Name)
            .Select(q => new QuickReplyRow(q.Id, q.Name, q.Subject, db.Mailboxes.Count(m => m.AcknowledgementId == q.Id))).ToListAsync(ct));

    [HttpGet("Create")]
    public IActionResult Create() => View("Edit", new QuickReplyEditModel(null, new QuickReplyForm()));

    [HttpPost("Create")]
    public Task<IActionResult> Create(QuickReplyForm form, CancellationToken ct) => SaveAsync(null, form, ct);

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct) =>
        await db.QuickReplies.AsNoTracking().SingleOrDefaultAsync(q => q.Id == id, ct) is { } q
            ? View(new QuickReplyEditModel(id, new QuickReplyForm { Name = q.Name, Subject = q.Subject, Body = q.Body, Version = q.Version }))
            : NotFound();

    [HttpPost("{id:int}")]
    public Task<IActionResult> Edit(int id, QuickReplyForm form, CancellationToken ct) => SaveAsync(id, form, ct);

    [HttpPost("{id:int}/Delete")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        var reply = await db.QuickReplies.SingleOrDefaultAsync(q => q.Id == id, ct);
        if (reply is null)
        {
            return NotFound();
        }

        if (await db.Mailboxes.AnyAsync(m => m.AcknowledgementId == id, ct))
        {
            TempData["Error"] = l["QuickReply_InUse", reply.Name].Value;
            return RedirectToAction(nameof(Index));
        }

        db.QuickReplies.Remove(reply);
        await db.SaveChangesAsync(ct);
        TempData["Message"] = l["QuickReply_Deleted", reply.Name].Value;
        return RedirectToAction(nameof(Index));
    }

    private async Task<IActionResult> SaveAsync(int? id, QuickReplyForm form, CancellationToken ct)
    {
        var reply = id is { } replyId ? await db.QuickReplies.SingleOrDefaultAsync(q => q.Id == replyId, ct) : new QuickReply();
        if (reply is null)
        {
            return NotFound();
        }

        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        if (result.IsValid && await db.QuickReplies.AnyAsync(q => q.Name == form.Name!.Trim() && q.Id != reply.Id, ct))
        {
            ModelState.AddModelError(nameof(QuickReplyForm.Name), l["QuickReply_NameTaken"]);
        }

        if (ModelState.ErrorCount == 0)
        {
            try
            {
                reply.Update(form.Name!.Trim(), form.Subject!.Trim(), form.Body!);
            }
            catch (CaseRuleException ex)
            {
                ModelState.AddRuleErrors(ex);
            }
        }

        if (ModelState.ErrorCount > 0)
        {
            return View("Edit", new QuickReplyEditModel(id, form));
        }

        if (id is null)
        {
            db.QuickReplies.Add(reply);
        }

        // The version the form was opened with: a save in between is refused rather than overwritten.
        if (!await db.SaveWithFormVersionAsync(reply, form.Version, ct))
        {
            ModelState.AddModelError(string.Empty, l["QuickReply_Stale"]);
            return View("Edit", new QuickReplyEditModel(id, form));
        }

        TempData["Message"] = l["QuickReply_Saved", reply.Name].Value;
        return RedirectToAction(nameof(Index));
    }
}
