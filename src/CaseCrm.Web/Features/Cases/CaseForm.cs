using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using FluentValidation;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Cases;

/// <summary>The case form of design.md, shared by "Agregar Caso", "Crear caso secundario" and edit.</summary>
public sealed class CaseForm
{
    public string? Title { get; set; }
    public int? AccountId { get; set; }
    public string? AccountSearch { get; set; }
    public int? CategoryId { get; set; }
    public CasePriority? Priority { get; set; }
    public CaseStatus Status { get; set; } = CaseStatus.New;
    public string? Description { get; set; }
    public string? Resolution { get; set; }
    public CaseOrigin? Origin { get; set; }

    /// <summary>The version the user started editing from (edit only).</summary>
    public int Version { get; set; }

    /// <summary>One-time key of a new case's form (create only): the same form posted twice creates one case.</summary>
    public Guid? SubmissionKey { get; set; }

    public CaseFields ToFields() =>
        new(Title ?? string.Empty, AccountId, CategoryId ?? 0, Priority, Description ?? string.Empty, Resolution, Origin);

    public static CaseForm From(CaseFields fields, CaseStatus status, int version = 0, Guid? submissionKey = null) => new()
    {
        SubmissionKey = submissionKey,
        Title = fields.Title,
        AccountId = fields.AccountId,
        CategoryId = fields.CategoryId == 0 ? null : fields.CategoryId,
        Priority = fields.Priority,
        Status = status,
        Description = fields.Description,
        Resolution = fields.Resolution,
        Origin = fields.Origin,
        Version = version,
    };
}

internal sealed class CaseFormValidator : AbstractValidator<CaseForm>
{
    public CaseFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Title).NotEmpty().WithMessage(_ => l["Case_TitleRequired"])
            .MaximumLength(Limits.CaseTitle).WithMessage(_ => l["Validation_MaxLength", Limits.CaseTitle]);
        RuleFor(f => f.CategoryId).NotNull().WithMessage(_ => l["Case_CategoryRequired"])
            .GreaterThan(0).WithMessage(_ => l["Case_CategoryRequired"]);
        RuleFor(f => f.Priority).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.Status).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.Origin).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.Description).NotEmpty().WithMessage(_ => l["Case_DescriptionRequired"])
            .MaximumLength(Limits.CaseDescription).WithMessage(_ => l["Validation_MaxLength", Limits.CaseDescription]);
        RuleFor(f => f.Resolution).MaximumLength(Limits.CaseResolution).WithMessage(_ => l["Validation_MaxLength", Limits.CaseResolution]);
        RuleFor(f => f.Resolution).NotEmpty().When(f => f.Status == CaseStatus.Resolved).WithMessage(_ => l["Case_ResolutionRequired"]);
    }
}

/// <summary>The "Resolver" form: only the resolution text.</summary>
public sealed class ResolveForm
{
    public string? Resolution { get; set; }

    /// <summary>"Cancelar también las actividades abiertas": without it, a case with open activities is not closed (CASE-RULE-51).</summary>
    public bool CancelOpenActivities { get; set; }
}

internal sealed class ResolveFormValidator : AbstractValidator<ResolveForm>
{
    public ResolveFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Resolution).NotEmpty().WithMessage(_ => l["Case_ResolutionRequired"])
            .MaximumLength(Limits.CaseResolution).WithMessage(_ => l["Validation_MaxLength", Limits.CaseResolution]);
    }
}
