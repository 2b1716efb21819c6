using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Account;

public sealed class LoginForm
{
    public string Email { get; set; } = string.Empty;
    public string Password { get; set; } = string.Empty;
    public bool RememberMe { get; set; }
    public string? ReturnUrl { get; set; }
}

internal sealed class LoginFormValidator : AbstractValidator<LoginForm>
{
    public LoginFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Email).NotEmpty().WithMessage(_ => l["Login_EmailRequired"]);
        RuleFor(f => f.Password).NotEmpty().WithMessage(_ => l["Login_PasswordRequired"]);
    }
}

public sealed class ChangePasswordForm
{
    public string? CurrentPassword { get; set; }
    public string? NewPassword { get; set; }
}

internal sealed class ChangePasswordFormValidator : AbstractValidator<ChangePasswordForm>
{
    public ChangePasswordFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.CurrentPassword).NotEmpty().WithMessage(_ => l["Login_PasswordRequired"]);
        RuleFor(f => f.NewPassword).NotEmpty().WithMessage(_ => l["User_PasswordLength", Limits.PasswordMin, Limits.PasswordMax])
            .Length(Limits.PasswordMin, Limits.PasswordMax).WithMessage(_ => l["User_PasswordLength", Limits.PasswordMin, Limits.PasswordMax]);
    }
}

/// <summary>Sign-in, sign-out and changing one's password with ASP.NET Core Identity; there is no self-registration.</summary>
public sealed class AccountController(
    SignInManager<AppUser> signIn,
    UserManager<AppUser> users,
    IValidator<LoginForm> validator,
    IValidator<ChangePasswordForm> passwordValidator,
    IStringLocalizer<SharedResource> l,
    IPasswordHasher<AppUser> passwordHasher,
    ILogger<AccountController> logger) : Controller
{
    private static readonly AppUser NoOne = new();
    private static string? s_dummyHash;

    [AllowAnonymous]
    [HttpGet]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [AllowAnonymous]
    [HttpPost]
    [EnableRateLimiting(SignInRateLimit.Policy)]
    public async Task<IActionResult> Login(LoginForm form)
    {
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid)
        {
            ModelState.AddErrors(validation);
            return View(form);
        }

        var user = await users.FindByEmailAsync(form.Email.Trim());
        if (user is { IsActive: true })
        {
            var result = await signIn.PasswordSignInAsync(user, form.Password, form.RememberMe, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                logger.LogInformation("User {UserId} signed in", user.Id);
                return LocalRedirect(LocalUrls.LocalOrNull(Url, form.ReturnUrl) ?? Url.Content("~/"));
            }

            if (result.IsLockedOut)
            {
                logger.LogWarning("Sign-in refused for locked-out user {UserId}", user.Id);
                ModelState.AddModelError(string.Empty, l["Login_LockedOut"]);
                form.Password = string.Empty;
                return View(form);
            }
        }
        else
        {
            // The same password hash as for an existing account, so that the answer's time does not tell whether the
            // email belongs to one.
            passwordHasher.VerifyHashedPassword(NoOne, s_dummyHash ??= passwordHasher.HashPassword(NoOne, Guid.NewGuid().ToString()), form.Password);
        }

        if (user is not null)
        {
            logger.LogWarning("Failed sign-in for {Email} ({UserId})", user.Email, user.Id);
        }
        else
        {
            // What was typed may be a password in the wrong field: only a hash of it reaches the log.
            logger.LogWarning("Failed sign-in for an unknown email, hash {EmailHash}", EmailHash(form.Email));
        }

        ModelState.AddModelError(string.Empty, l["Login_Failed"]);
        form.Password = string.Empty;
        return View(form);
    }

    /// <summary>The first 12 hex digits of the SHA-256 of the trimmed, upper-cased email: repeated attempts can be told apart, not read.</summary>
    public static string EmailHash(string email) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.Trim().ToUpperInvariant())))[..12];

    [HttpPost]
    public async Task<IActionResult> Logout()
    {
        if (await users.GetUserAsync(User) is { } user)
        {
            // A new security stamp ends this user's sessions everywhere, not only this cookie.
            await users.UpdateSecurityStampAsync(user);
            logger.LogInformation("User {UserId} signed out", user.Id);
        }

        await signIn.SignOutAsync();
        return RedirectToAction(nameof(Login));
    }

    [HttpGet]
    public IActionResult ChangePassword() => View(new ChangePasswordForm());

    /// <summary>Changes the signed-in user's password; their other sessions end within a minute (new security stamp).</summary>
    [HttpPost]
    public async Task<IActionResult> ChangePassword(ChangePasswordForm form)
    {
        var validation = await passwordValidator.ValidateAsync(form);
        ModelState.AddErrors(validation);
        var user = await users.GetUserAsync(User);
        if (validation.IsValid && user is not null)
        {
            var result = await users.ChangePasswordAsync(user, form.CurrentPassword!, form.NewPassword!);
            if (result.Succeeded)
            {
                // This session continues with a cookie that carries the new stamp.
                await signIn.RefreshSignInAsync(user);
                logger.LogInformation("User {UserId} changed their password", user.Id);
                TempData["Message"] = l["Account_PasswordChanged"].Value;
                return RedirectToAction("Index", "Home");
            }

            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? nameof(form.CurrentPassword) : nameof(form.NewPassword), error.Description);
            }
        }

        return View(new ChangePasswordForm());
    }
}
