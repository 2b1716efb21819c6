using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Users;

public sealed class UserForm
{
    public string? DisplayName { get; set; }
    public string? Email { get; set; }
    public string? Password { get; set; }
    public List<string> Roles { get; set; } = [];
}

public sealed class PasswordForm
{
    public string? Password { get; set; }
}

internal sealed class UserFormValidator : AbstractValidator<UserForm>
{
    public UserFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.DisplayName).NotEmpty().WithMessage(_ => l["User_NameRequired"])
            .MaximumLength(Limits.UserDisplayName).WithMessage(_ => l["Validation_MaxLength", Limits.UserDisplayName]);
        RuleFor(f => f.Email).NotEmpty().WithMessage(_ => l["User_EmailRequired"])
            .EmailAddress().WithMessage(_ => l["Validation_Email"])
            .MaximumLength(Limits.Email).WithMessage(_ => l["Validation_MaxLength", Limits.Email]);
        RuleFor(f => f.Roles).Must(r => r.Count > 0 && r.All(Data.Identity.Roles.All.Contains)).WithMessage(_ => l["User_RoleRequired"]);
    }
}

internal sealed class PasswordFormValidator : AbstractValidator<PasswordForm>
{
    public PasswordFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Password).NotEmpty().WithMessage(_ => l["User_PasswordLength", Limits.PasswordMin, Limits.PasswordMax])
            .Length(Limits.PasswordMin, Limits.PasswordMax).WithMessage(_ => l["User_PasswordLength", Limits.PasswordMin, Limits.PasswordMax]);
    }
}

public sealed record UserRow(string Id, string DisplayName, string Email, bool IsActive, IReadOnlyList<string> Roles, bool LockedOut);

public sealed record UserEditModel(string? Id, UserForm Form, bool IsActive);

/// <summary>Configuración → Usuarios: create users, give and take roles, disable (ends their sessions), reset passwords.</summary>
[Authorize(Policy = Policies.Administer)]
[Route("Users")]
public sealed class UsersController(
    CrmDbContext db,
    UserManager<AppUser> users,
    IValidator<UserForm> validator,
    IValidator<PasswordForm> passwordValidator,
    ReferenceData reference,
    CurrentUser me,
    IStringLocalizer<SharedResource> l,
    ILogger<UsersController> logger) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var roles = await db.UserRoles.AsNoTracking()
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(ct);
        var list = await db.Users.AsNoTracking().Where(u => u.Id != SystemUsers.MailId).OrderBy(u => u.DisplayName).ToListAsync(ct);
        return View(list.Select(u => new UserRow(
            u.Id, u.DisplayName, u.Email ?? string.Empty, u.IsActive,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).ToList(),
            u.LockoutEnd is { } end && end > now)).ToList());
    }

    [HttpGet("Create")]
    public IActionResult Create() => View("Edit", new UserEditModel(null, new UserForm { Roles = [Roles.Agent] }, true));

    [HttpPost("Create")]
    public async Task<IActionResult> Create(UserForm form, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        var password = await passwordValidator.ValidateAsync(new PasswordForm { Password = form.Password }, ct);
        ModelState.AddErrors(password);
        if (ModelState.ErrorCount == 0)
        {
            var user = new AppUser { UserName = form.Email!.Trim(), Email = form.Email.Trim(), EmailConfirmed = true, DisplayName = form.DisplayName!.Trim() };
            // Creating the user and giving its roles succeed or fail together.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var created = await users.CreateAsync(user, form.Password!);
            if (created.Succeeded)
            {
                var roles = await users.AddToRolesAsync(user, form.Roles.Distinct());
                if (roles.Succeeded)
                {
                    await transaction.CommitAsync(ct);
                    await reference.UsersChangedAsync(ct);
                    logger.LogInformation("User {Admin} created user {UserId} with roles {Roles}", User.Identity?.Name, user.Id, form.Roles);
                    TempData["Message"] = l["User_Created", user.DisplayName].Value;
                    return RedirectToAction(nameof(Index));
                }

                AddIdentityErrors(roles);
            }
            else
            {
                AddIdentityErrors(created);
            }
        }

        form.Password = null;
        return View("Edit", new UserEditModel(null, form, true));
    }

    [HttpGet("{id}/Edit")]
    public async Task<IActionResult> Edit(string id)
    {
        var user = await FindAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        var form = new UserForm { DisplayName = user.DisplayName, Email = user.Email, Roles = [.. await users.GetRolesAsync(user)] };
        return View(new UserEditModel(id, form, user.IsActive));
    }

    [HttpPost("{id}/Edit")]
    public async Task<IActionResult> Edit(string id, UserForm form, CancellationToken ct)
    {
        var user = await FindAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        if (user.Id == me.IdOrNull && !form.Roles.Contains(Roles.Administrator))
        {
            ModelState.AddModelError(nameof(UserForm.Roles), l["User_KeepOwnAdmin"]);
        }

        if (ModelState.ErrorCount == 0)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            user.DisplayName = form.DisplayName!.Trim();
            user.Email = form.Email!.Trim();
            user.UserName = user.Email;
            var current = await users.GetRolesAsync(user);
            var steps = new[]
            {
                await users.UpdateAsync(user),
                await users.RemoveFromRolesAsync(user, current.Except(form.Roles)),
                await users.AddToRolesAsync(user, form.Roles.Distinct().Except(current)),
            };
            if (steps.All(s => s.Succeeded))
            {
                // New roles take effect at once: the old cookie no longer validates.
                await users.UpdateSecurityStampAsync(user);
                await transaction.CommitAsync(ct);
                await reference.UsersChangedAsync(ct);
                logger.LogInformation("User {Admin} changed user {UserId}: roles {Roles}", User.Identity?.Name, user.Id, form.Roles);
                TempData["Message"] = l["User_Saved", user.DisplayName].Value;
                return RedirectToAction(nameof(Index));
            }

            foreach (var failed in steps.Where(s => !s.Succeeded))
            {
                AddIdentityErrors(failed);
            }
        }

        return View(new UserEditModel(id, form, user.IsActive));
    }

    /// <summary>The confirmation before disabling a user (the list links here; the form posts to <see cref="SetActive"/>).</summary>
    [HttpGet("{id}/Disable")]
    public async Task<IActionResult> Disable(string id)
    {
        var user = await FindAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        if (user.Id == me.IdOrNull)
        {
            TempData["Error"] = l["User_CannotDisableSelf"].Value;
            return RedirectToAction(nameof(Index));
        }

        return View(user);
    }

    /// <summary>Disables or enables a user. Disabling ends their sessions within a minute (new security stamp) and blocks sign-in.</summary>
    [HttpPost("{id}/Active")]
    public async Task<IActionResult> SetActive(string id, bool active)
    {
        var user = await FindAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        if (!active && user.Id == me.IdOrNull)
        {
            TempData["Error"] = l["User_CannotDisableSelf"].Value;
            return RedirectToAction(nameof(Index));
        }

        user.IsActive = active;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user);
        await reference.UsersChangedAsync(HttpContext.RequestAborted);
        logger.LogInformation("User {Admin} set user {UserId} active={Active}", User.Identity?.Name, user.Id, active);
        TempData["Message"] = l[active ? "User_Enabled" : "User_Disabled", user.DisplayName].Value;
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("{id}/Password")]
    public async Task<IActionResult> Password(string id) =>
        await FindAsync(id) is { } user ? View(user) : NotFound();

    /// <summary>Sets a new password chosen by the administrator; the user's other sessions end.</summary>
    [HttpPost("{id}/Password")]
    public async Task<IActionResult> Password(string id, PasswordForm form, CancellationToken ct)
    {
        var user = await FindAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        var result = await passwordValidator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        if (result.IsValid)
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var reset = await users.ResetPasswordAsync(user, token, form.Password!);
            if (reset.Succeeded)
            {
                await users.SetLockoutEndDateAsync(user, null);
                logger.LogInformation("User {Admin} reset the password of user {UserId}", User.Identity?.Name, user.Id);
                TempData["Message"] = l["User_PasswordReset", user.DisplayName].Value;
                return RedirectToAction(nameof(Index));
            }

            AddIdentityErrors(reset, nameof(PasswordForm.Password));
        }

        return View(user);
    }

    private void AddIdentityErrors(IdentityResult result, string key = "")
    {
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError(key, error.Description);
        }
    }

    // The system user of email intake is not a person: it is not listed, edited, given a password or enabled.
    private async Task<AppUser?> FindAsync(string id) => id == SystemUsers.MailId ? null : await users.FindByIdAsync(id);
}
