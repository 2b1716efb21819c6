using CaseCrm.Domain;
using CaseCrm.Domain.Accounts;
using FluentValidation;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Accounts;

/// <summary>The account form, for create and edit.</summary>
public sealed class AccountForm
{
    public string? Name { get; set; }
    public string? TaxId { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Website { get; set; }
    public string? Address { get; set; }

    public AccountDetails ToDetails() => new(Name ?? string.Empty, TaxId, Phone, Email, Website, Address);

    public static AccountForm From(AccountDetails d) => new()
    {
        Name = d.Name, TaxId = d.TaxId, Phone = d.Phone, Email = d.Email, Website = d.Website, Address = d.Address,
    };
}

internal sealed class AccountFormValidator : AbstractValidator<AccountForm>
{
    public AccountFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Name).NotEmpty().WithMessage(_ => l["Account_NameRequired"])
            .MaximumLength(Limits.AccountName).WithMessage(_ => l["Validation_MaxLength", Limits.AccountName]);
        RuleFor(f => f.TaxId).MaximumLength(Limits.TaxId).WithMessage(_ => l["Validation_MaxLength", Limits.TaxId]);
        RuleFor(f => f.Phone).MaximumLength(Limits.Phone).WithMessage(_ => l["Validation_MaxLength", Limits.Phone]);
        RuleFor(f => f.Email).MaximumLength(Limits.Email).WithMessage(_ => l["Validation_MaxLength", Limits.Email])
            .EmailAddress().WithMessage(_ => l["Validation_Email"]);
        RuleFor(f => f.Website).MaximumLength(Limits.Website).WithMessage(_ => l["Validation_MaxLength", Limits.Website])
            .Must(BeAWebAddress).WithMessage(_ => l["Validation_Website"]);
        RuleFor(f => f.Address).MaximumLength(Limits.Address).WithMessage(_ => l["Validation_MaxLength", Limits.Address]);
    }

    // Only http(s) addresses: the value becomes a link, and a javascript: link must never be stored.
    private static bool BeAWebAddress(string? value) =>
        string.IsNullOrWhiteSpace(value)
        || (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
}
