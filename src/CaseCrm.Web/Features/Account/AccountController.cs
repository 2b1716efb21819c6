using CaseCrm.Data.Identity;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
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

/// <summary>Sign-in and sign-out with ASP.NET Core Identity; there is no self-registration.</summary>
public sealed class AccountController(
    SignInManager<AppUser> signIn,
    UserManager<AppUser> users,
    IValidator<LoginForm> validator,
    IStringLocalizer<SharedResource> l,
    ILogger<AccountController> logger) : Controller
{
    [AllowAnonymous]
    [HttpGet]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [AllowAnonymous]
    [HttpPost]
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
                return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl! : "/");
            }

            if (result.IsLockedOut)
            {
                logger.LogWarning("Sign-in refused for locked-out user {UserId}", user.Id);
                ModelState.AddModelError(string.Empty, l["Login_LockedOut"]);
                form.Password = string.Empty;
                return View(form);
            }
        }

        logger.LogWarning("Failed sign-in for {Email}", form.Email);
        ModelState.AddModelError(string.Empty, l["Login_Failed"]);
        form.Password = string.Empty;
        return View(form);
    }

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
}
