using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Infrastructure;

/// <summary>Identity's messages that users can meet, in the user's language.</summary>
internal sealed class LocalizedIdentityErrorDescriber(IStringLocalizer<SharedResource> l) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = l["Identity_PasswordTooShort", length] };

    public override IdentityError DuplicateEmail(string email) =>
        new() { Code = nameof(DuplicateEmail), Description = l["Identity_DuplicateEmail", email] };

    public override IdentityError DuplicateUserName(string userName) =>
        new() { Code = nameof(DuplicateUserName), Description = l["Identity_DuplicateEmail", userName] };

    public override IdentityError InvalidEmail(string? email) =>
        new() { Code = nameof(InvalidEmail), Description = l["Identity_InvalidEmail"] };

    public override IdentityError PasswordMismatch() =>
        new() { Code = nameof(PasswordMismatch), Description = l["Identity_PasswordMismatch"] };

    public override IdentityError DefaultError() =>
        new() { Code = nameof(DefaultError), Description = l["Identity_DefaultError"] };
}
