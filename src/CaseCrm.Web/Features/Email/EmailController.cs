using System.Security.Claims;
using CaseCrm.Data.Email;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Email;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using MimeKit;

namespace CaseCrm.Web.Features.Email;

/// <summary>"Responder": what the agent writes. Recipients are addresses separated by commas or semicolons.</summary>
public sealed class ReplyForm
{
    public int? MailboxId { get; set; }
    public string? To { get; set; }
    public string? Cc { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public int? QuickReplyId { get; set; }
    public List<int> AttachmentIds { get; set; } = [];
}

/// <summary>"Responder a todos los secundarios": one text for every active child's contact; placeholders are filled per child.</summary>
public sealed class ChildrenUpdateForm
{
    public int? MailboxId { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public int? QuickReplyId { get; set; }
}

internal static class Recipients
{
    /// <summary>Addresses separated by commas or semicolons, each a valid mailbox (MimeKit's parser).</summary>
    public static bool AreValid(string? list) =>
        string.IsNullOrWhiteSpace(list) || Split(list).All(a => MailboxAddress.TryParse(a, out var address) && address.Address.Contains('@', StringComparison.Ordinal));

    public static IEnumerable<string> Split(string list) => list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The list as stored: one comma between addresses.</summary>
    public static string? Normalize(string? list) => string.IsNullOrWhiteSpace(list) ? null : string.Join(", ", Split(list));
}

internal sealed class ReplyFormValidator : AbstractValidator<ReplyForm>
{
    public ReplyFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.MailboxId).NotNull().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.To).NotEmpty().WithMessage(_ => l["Email_ToRequired"])
            .MaximumLength(Limits.EmailRecipients).WithMessage(_ => l["Validation_MaxLength", Limits.EmailRecipients])
            .Must(Recipients.AreValid).WithMessage(_ => l["Email_RecipientsInvalid"]);
        RuleFor(f => f.Cc).MaximumLength(Limits.EmailRecipients).WithMessage(_ => l["Validation_MaxLength", Limits.EmailRecipients])
            .Must(Recipients.AreValid).WithMessage(_ => l["Email_RecipientsInvalid"]);
        RuleFor(f => f.Subject).NotEmpty().WithMessage(_ => l["Email_SubjectRequired"])
            .MaximumLength(Limits.EmailSubject).WithMessage(_ => l["Validation_MaxLength", Limits.EmailSubject]);
        RuleFor(f => f.Body).NotEmpty().WithMessage(_ => l["Email_BodyRequired"])
            .MaximumLength(Limits.EmailBody).WithMessage(_ => l["Validation_MaxLength", Limits.EmailBody]);
    }
}

internal sealed class ChildrenUpdateFormValidator : AbstractValidator<ChildrenUpdateForm>
{
    public ChildrenUpdateFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.MailboxId).NotNull().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.Subject).NotEmpty().WithMessage(_ => l["Email_SubjectRequired"])
            .MaximumLength(Limits.EmailSubject).WithMessage(_ => l["Validation_MaxLength", Limits.EmailSubject]);
        RuleFor(f => f.Body).NotEmpty().WithMessage(_ => l["Email_BodyRequired"])
            .MaximumLength(Limits.QuickReplyBody).WithMessage(_ => l["Validation_MaxLength", Limits.QuickReplyBody]);
    }
}

public sealed record ReplyModel(ReplyCase Case, ReplyForm Form, IReadOnlyList<MailboxChoice> Mailboxes, IReadOnlyList<QuickReplyChoice> QuickReplies, IReadOnlyList<FileChoice> Files);

public sealed record ChildrenUpdateModel(ReplyCase Case, ChildrenUpdateForm Form, IReadOnlyList<MailboxChoice> Mailboxes, IReadOnlyList<QuickReplyChoice> QuickReplies, IReadOnlyList<ChildRecipient> Children);

/// <summary>
/// Email from a case: "Responder" (to the contact, from a quick reply, with the case's files), "Responder a todos los
/// secundarios" (supervisors: one update to every active child's contact) and "Reintentar" for a message given up. Each
/// message goes to the outbox in the transaction that writes it to the timeline (<see cref="EmailOutboxService"/>).
/// </summary>
public sealed class EmailController(
    EmailOutboxService outbox, EmailOutbox queue, EmailQueries queries, IValidator<ReplyForm> replyValidator, IValidator<ChildrenUpdateForm> childrenValidator,
    CurrentUser me, TimeProvider clock, IStringLocalizer<SharedResource> l) : Controller
{
    private string AgentName => User.FindFirstValue(AppClaimsFactory.DisplayNameClaim) ?? User.Identity?.Name ?? string.Empty;

    [HttpGet("/Cases/{id:int}/Reply")]
    public async Task<IActionResult> Reply(int id, int? quickReplyId, CancellationToken ct)
    {
        if (await queries.CaseAsync(id, ct) is not { } item)
        {
            return NotFound();
        }

        var form = new ReplyForm
        {
            MailboxId = item.LastMailboxId, To = item.ContactEmail,
            Subject = EmailReplyRules.ReplySubject(item.LastSubject ?? item.Title, item.Id),
            QuickReplyId = quickReplyId,
        };
        await ApplyQuickReplyAsync(form, item, ct);
        return View(await ReplyModelAsync(item, form, ct));
    }

    /// <summary>Queues the reply; with <c>command=template</c> it only fills the subject and body from the chosen quick reply.</summary>
    [HttpPost("/Cases/{id:int}/Reply")]
    public async Task<IActionResult> Reply(int id, ReplyForm form, string? command, CancellationToken ct)
    {
        if (await queries.CaseAsync(id, ct) is not { } item)
        {
            return NotFound();
        }

        if (command == "template")
        {
            ModelState.Clear();
            await ApplyQuickReplyAsync(form, item, ct);
            return View(await ReplyModelAsync(item, form, ct));
        }

        ModelState.AddErrors(await replyValidator.ValidateAsync(form, ct));
        if (ModelState.ErrorCount == 0)
        {
            try
            {
                await outbox.QueueReplyAsync(id, new ReplyCommand(
                    form.MailboxId!.Value, Recipients.Normalize(form.To)!, Recipients.Normalize(form.Cc), form.Subject!, form.Body!, form.AttachmentIds), me.Id, ct);
                TempData["Message"] = l["Email_Queued"].Value;
                return RedirectToAction("Details", "Cases", new { id }, "comments");
            }
            catch (CaseRuleException ex)
            {
                ModelState.AddRuleErrors(ex);
            }
        }

        return View(await ReplyModelAsync(item, form, ct));
    }

    [Authorize(Policy = Policies.ManageCases)]
    [HttpGet("/Cases/{id:int}/WriteToChildren")]
    public async Task<IActionResult> WriteToChildren(int id, CancellationToken ct)
    {
        if (await queries.CaseAsync(id, ct) is not { } item)
        {
            return NotFound();
        }

        return View(await ChildrenModelAsync(item, new ChildrenUpdateForm { MailboxId = item.LastMailboxId, Subject = item.Title }, ct));
    }

    [Authorize(Policy = Policies.ManageCases)]
    [HttpPost("/Cases/{id:int}/WriteToChildren")]
    public async Task<IActionResult> WriteToChildren(int id, ChildrenUpdateForm form, string? command, CancellationToken ct)
    {
        if (await queries.CaseAsync(id, ct) is not { } item)
        {
            return NotFound();
        }

        if (command == "template")
        {
            ModelState.Clear();
            if (form.QuickReplyId is { } templateId && await queries.TemplateAsync(templateId, ct) is { } template)
            {
                (form.Subject, form.Body) = template;
            }

            return View(await ChildrenModelAsync(item, form, ct));
        }

        ModelState.AddErrors(await childrenValidator.ValidateAsync(form, ct));
        if (ModelState.ErrorCount == 0)
        {
            try
            {
                var result = await outbox.QueueToChildrenAsync(id, new ChildrenUpdateCommand(form.MailboxId!.Value, form.Subject!, form.Body!), me.Id, ct);
                TempData["Message"] = result.WithoutEmail.Count == 0
                    ? l["Email_ChildrenQueued", result.Queued].Value
                    : l["Email_ChildrenQueuedSome", result.Queued, string.Join(", ", result.WithoutEmail.Select(CaseNumber.Format))].Value;
                return RedirectToAction("Details", "Cases", new { id }, "comments");
            }
            catch (CaseRuleException ex)
            {
                ModelState.AddRuleErrors(ex);
            }
        }

        return View(await ChildrenModelAsync(item, form, ct));
    }

    /// <summary>"Reintentar": a message in Error goes back to the outbox.</summary>
    [HttpPost("/Cases/{id:int}/Emails/{emailId:int}/Retry")]
    public async Task<IActionResult> Retry(int id, int emailId, CancellationToken ct)
    {
        if (await queue.RetryAsync(id, emailId, clock.GetUtcNow().UtcDateTime, ct) is not { } retried)
        {
            return NotFound();
        }

        TempData["Message"] = retried ? l["Email_RetryQueued"].Value : l["Email_RetryNotNeeded"].Value;
        return RedirectToAction("Details", "Cases", new { id }, "comments");
    }

    private async Task ApplyQuickReplyAsync(ReplyForm form, ReplyCase item, CancellationToken ct)
    {
        if (form.QuickReplyId is { } templateId && await queries.RenderAsync(templateId, item, AgentName, ct) is { } text)
        {
            form.Subject = EmailReplyRules.Tagged(text.Subject, item.Id);
            form.Body = text.Body;
        }
    }

    private async Task<ReplyModel> ReplyModelAsync(ReplyCase item, ReplyForm form, CancellationToken ct)
    {
        var mailboxes = await queries.MailboxesAsync(ct);
        form.MailboxId ??= mailboxes.Count > 0 ? mailboxes[0].Id : null;
        return new ReplyModel(item, form, mailboxes, await queries.QuickRepliesAsync(ct), await queries.FilesAsync(item.Id, ct));
    }

    private async Task<ChildrenUpdateModel> ChildrenModelAsync(ReplyCase item, ChildrenUpdateForm form, CancellationToken ct)
    {
        var mailboxes = await queries.MailboxesAsync(ct);
        form.MailboxId ??= mailboxes.Count > 0 ? mailboxes[0].Id : null;
        return new ChildrenUpdateModel(item, form, mailboxes, await queries.QuickRepliesAsync(ct), await queries.ChildrenAsync(item.Id, ct));
    }
}
