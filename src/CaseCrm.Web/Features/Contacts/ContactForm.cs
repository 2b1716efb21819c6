using CaseCrm.Domain;
using CaseCrm.Domain.Contacts;
using FluentValidation;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Contacts;

/// <summary>The contact form, for create and edit.</summary>
public sealed class ContactForm
{
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Mobile { get; set; }
    public string? JobTitle { get; set; }
    public int? AccountId { get; set; }
    public string? AccountSearch { get; set; }

    public ContactDetails ToDetails() => new(FirstName, LastName, Email, Phone, Mobile, JobTitle, AccountId);

    public static ContactForm From(ContactDetails d) => new()
    {
        FirstName = d.FirstName, LastName = d.LastName, Email = d.Email, Phone = d.Phone, Mobile = d.Mobile, JobTitle = d.JobTitle,
        AccountId = d.AccountId,
    };
}

internal sealed class ContactFormValidator : AbstractValidator<ContactForm>
{
    public ContactFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.LastName)
            .Must((form, last) => !string.IsNullOrWhiteSpace(last) || !string.IsNullOrWhiteSpace(form.FirstName))
            .WithMessage(_ => l["Contact_NameRequired"]);
        RuleFor(f => f.FirstName).MaximumLength(Limits.Name).WithMessage(_ => l["Validation_MaxLength", Limits.Name]);
        RuleFor(f => f.LastName).MaximumLength(Limits.Name).WithMessage(_ => l["Validation_MaxLength", Limits.Name]);
        RuleFor(f => f.Email).MaximumLength(Limits.Email).WithMessage(_ => l["Validation_MaxLength", Limits.Email])
            .EmailAddress().WithMessage(_ => l["Validation_Email"]);
        RuleFor(f => f.Phone).MaximumLength(Limits.Phone).WithMessage(_ => l["Validation_MaxLength", Limits.Phone]);
        RuleFor(f => f.Mobile).MaximumLength(Limits.Phone).WithMessage(_ => l["Validation_MaxLength", Limits.Phone]);
        RuleFor(f => f.JobTitle).MaximumLength(Limits.JobTitle).WithMessage(_ => l["Validation_MaxLength", Limits.JobTitle]);
    }
}
