using CaseCrm.Data;
using CaseCrm.Domain;
using CaseCrm.Domain.Email;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Mailboxes;

/// <summary>What an administrator enters for a mailbox. A password left empty keeps the stored one.</summary>
public sealed class MailboxForm
{
    public string? Name { get; set; }
    public string? ImapHost { get; set; }
    public int? ImapPort { get; set; } = 993;
    public MailSecurity ImapSecurity { get; set; } = MailSecurity.Tls;
    public string? ImapUser { get; set; }
    public string? ImapPassword { get; set; }
    public string? Folder { get; set; } = "INBOX";
    public string? SmtpHost { get; set; }
    public int? SmtpPort { get; set; } = 587;
    public MailSecurity SmtpSecurity { get; set; } = MailSecurity.StartTls;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    public string? Address { get; set; }
    public string? DisplayName { get; set; }
    public int? DefaultCategoryId { get; set; }
    public int? AcknowledgementId { get; set; }
    public bool IsActive { get; set; } = true;

    public static MailboxForm From(Mailbox m) => new()
    {
        Name = m.Name, ImapHost = m.ImapHost, ImapPort = m.ImapPort, ImapSecurity = m.ImapSecurity, ImapUser = m.ImapUser, Folder = m.Folder,
        SmtpHost = m.SmtpHost, SmtpPort = m.SmtpPort, SmtpSecurity = m.SmtpSecurity, SmtpUser = m.SmtpUser, Address = m.Address,
        DisplayName = m.DisplayName, DefaultCategoryId = m.DefaultCategoryId, AcknowledgementId = m.AcknowledgementId, IsActive = m.IsActive,
    };

    public void ApplyTo(Mailbox m, MailboxSecrets secrets)
    {
        (m.Name, m.ImapHost, m.ImapPort, m.ImapSecurity, m.ImapUser, m.Folder) = (Name!.Trim(), ImapHost!.Trim(), ImapPort!.Value, ImapSecurity, ImapUser?.Trim() ?? "", Folder!.Trim());
        (m.SmtpHost, m.SmtpPort, m.SmtpSecurity, m.SmtpUser) = (SmtpHost!.Trim(), SmtpPort!.Value, SmtpSecurity, SmtpUser?.Trim() ?? "");
        (m.Address, m.DisplayName, m.DefaultCategoryId, m.AcknowledgementId, m.IsActive) = (Address!.Trim(), DisplayName!.Trim(), DefaultCategoryId!.Value, AcknowledgementId, IsActive);
        if (!string.IsNullOrEmpty(ImapPassword))
        {
            m.ImapPasswordProtected = secrets.Protect(ImapPassword);
        }

        if (!string.IsNullOrEmpty(SmtpPassword))
        {
            m.SmtpPasswordProtected = secrets.Protect(SmtpPassword);
        }
    }
}

internal sealed class MailboxFormValidator : AbstractValidator<MailboxForm>
{
    public MailboxFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Name).NotEmpty().WithMessage(_ => l["Mailbox_NameRequired"])
            .MaximumLength(Limits.Name).WithMessage(_ => l["Validation_MaxLength", Limits.Name]);
        RuleFor(f => f.ImapHost).NotEmpty().WithMessage(_ => l["Mailbox_HostRequired"])
            .MaximumLength(Limits.Host).WithMessage(_ => l["Validation_MaxLength", Limits.Host]);
        RuleFor(f => f.SmtpHost).NotEmpty().WithMessage(_ => l["Mailbox_HostRequired"])
            .MaximumLength(Limits.Host).WithMessage(_ => l["Validation_MaxLength", Limits.Host]);
        RuleFor(f => f.ImapPort).NotNull().InclusiveBetween(1, 65535).WithMessage(_ => l["Mailbox_PortRange"]);
        RuleFor(f => f.SmtpPort).NotNull().InclusiveBetween(1, 65535).WithMessage(_ => l["Mailbox_PortRange"]);
        RuleFor(f => f.ImapSecurity).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.SmtpSecurity).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.ImapUser).MaximumLength(Limits.MailUser).WithMessage(_ => l["Validation_MaxLength", Limits.MailUser]);
        RuleFor(f => f.SmtpUser).MaximumLength(Limits.MailUser).WithMessage(_ => l["Validation_MaxLength", Limits.MailUser]);
        RuleFor(f => f.ImapPassword).MaximumLength(Limits.PasswordMax).WithMessage(_ => l["Validation_MaxLength", Limits.PasswordMax]);
        RuleFor(f => f.SmtpPassword).MaximumLength(Limits.PasswordMax).WithMessage(_ => l["Validation_MaxLength", Limits.PasswordMax]);
        RuleFor(f => f.Folder).NotEmpty().WithMessage(_ => l["Mailbox_FolderRequired"])
            .MaximumLength(Limits.MailFolder).WithMessage(_ => l["Validation_MaxLength", Limits.MailFolder]);
        RuleFor(f => f.Address).NotEmpty().WithMessage(_ => l["Mailbox_AddressRequired"])
            .MaximumLength(Limits.Email).WithMessage(_ => l["Validation_MaxLength", Limits.Email])
            .EmailAddress().WithMessage(_ => l["Validation_Email"]);
        RuleFor(f => f.DisplayName).NotEmpty().WithMessage(_ => l["Mailbox_DisplayNameRequired"])
            .MaximumLength(Limits.Name).WithMessage(_ => l["Validation_MaxLength", Limits.Name]);
        RuleFor(f => f.DefaultCategoryId).NotNull().WithMessage(_ => l["Validation_Choice"]);
    }
}

public sealed record MailboxRow(int Id, string Name, string Address, bool IsActive, DateTime? LastPolledAt, string? LastError);

public sealed record MailboxEditModel(
    int? Id, MailboxForm Form, IReadOnlyList<CategoryOption> Categories, IReadOnlyList<Email.QuickReplyChoice> QuickReplies, bool HasImapPassword, bool HasSmtpPassword);

/// <summary>Configuración → Buzones de correo (administrators): the mailboxes cases arrive in, and "Probar conexión".</summary>
[Authorize(Policy = Policies.Administer)]
[Route("Mailboxes")]
public sealed class MailboxesController(
    CrmDbContext db, IValidator<MailboxForm> validator, MailboxSecrets secrets, MailboxReader reader, ReferenceData reference,
    IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(await db.Mailboxes.AsNoTracking().OrderBy(m => m.Name)
            .Select(m => new MailboxRow(m.Id, m.Name, m.Address, m.IsActive, m.LastPolledAt, m.LastError)).ToListAsync(ct));

    [HttpGet("Create")]
    public async Task<IActionResult> Create(CancellationToken ct) => View("Edit", await ModelAsync(null, new MailboxForm(), null, ct));

    [HttpPost("Create")]
    public Task<IActionResult> Create(MailboxForm form, string? command, CancellationToken ct) => SaveAsync(null, form, command, ct);

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var mailbox = await db.Mailboxes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        return mailbox is null ? NotFound() : View(await ModelAsync(id, MailboxForm.From(mailbox), mailbox, ct));
    }

    [HttpPost("{id:int}")]
    public Task<IActionResult> Edit(int id, MailboxForm form, string? command, CancellationToken ct) => SaveAsync(id, form, command, ct);

    /// <summary>Saves the mailbox; with <c>command=test</c> it first signs in to both servers and says what failed.</summary>
    private async Task<IActionResult> SaveAsync(int? id, MailboxForm form, string? command, CancellationToken ct)
    {
        var mailbox = id is { } mailboxId ? await db.Mailboxes.SingleOrDefaultAsync(m => m.Id == mailboxId, ct) : new Mailbox();
        if (mailbox is null)
        {
            return NotFound();
        }

        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        if (result.IsValid && (await reference.CategoriesAsync(mailbox.Id == 0 ? null : mailbox.DefaultCategoryId, ct)).All(c => c.Id != form.DefaultCategoryId))
        {
            ModelState.AddModelError(nameof(MailboxForm.DefaultCategoryId), l["Validation_Choice"]);
        }

        if (form.AcknowledgementId is { } ack && !await db.QuickReplies.AnyAsync(q => q.Id == ack, ct))
        {
            ModelState.AddModelError(nameof(MailboxForm.AcknowledgementId), l["Validation_Choice"]);
        }

        if (result.IsValid && await db.Mailboxes.AnyAsync(m => m.Address == form.Address!.Trim() && m.Id != mailbox.Id, ct))
        {
            ModelState.AddModelError(nameof(MailboxForm.Address), l["Mailbox_AddressTaken"]);
        }

        if (ModelState.ErrorCount > 0)
        {
            return View("Edit", await ModelAsync(id, form, mailbox, ct));
        }

        form.ApplyTo(mailbox, secrets);
        if (command == "test")
        {
            var (imap, smtp) = await reader.TestAsync(mailbox, ct);
            ViewData["TestImap"] = imap is null ? l["Mailbox_TestOk"].Value : l["Mailbox_TestFailed", imap].Value;
            ViewData["TestSmtp"] = smtp is null ? l["Mailbox_TestOk"].Value : l["Mailbox_TestFailed", smtp].Value;
            ViewData["TestPassed"] = imap is null && smtp is null;
            db.ChangeTracker.Clear();
            return View("Edit", await ModelAsync(id, form, mailbox, ct));
        }

        if (id is null)
        {
            db.Mailboxes.Add(mailbox);
        }

        mailbox.Version++;
        await db.SaveChangesAsync(ct);
        TempData["Message"] = l["Mailbox_Saved", mailbox.Name].Value;
        return RedirectToAction(nameof(Index));
    }

    private async Task<MailboxEditModel> ModelAsync(int? id, MailboxForm form, Mailbox? stored, CancellationToken ct)
    {
        // Passwords are never sent back to the page: the fields stay empty and say whether one is stored.
        form.ImapPassword = null;
        form.SmtpPassword = null;
        return new MailboxEditModel(id, form, await reference.CategoriesAsync(stored?.DefaultCategoryId, ct),
            await db.QuickReplies.AsNoTracking().OrderBy(q => q.Name).Select(q => new Email.QuickReplyChoice(q.Id, q.Name)).ToListAsync(ct),
            stored?.ImapPasswordProtected is not null, stored?.SmtpPasswordProtected is not null);
    }
}
