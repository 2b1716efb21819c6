using CaseCrm.Domain;
using FluentValidation;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.CaseWork;

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
