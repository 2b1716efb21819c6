using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Settings;

/// <summary>The parent/child settings form. Title and Contact are always inherited, so they are not choices here.</summary>
public sealed class ParentChildSettingsForm
{
    public bool InheritAccount { get; set; }
    public bool InheritCategory { get; set; }
    public bool InheritPriority { get; set; }
    public bool InheritOrigin { get; set; }
    public bool InheritDescription { get; set; }
    public ClosurePreference ClosurePreference { get; set; }
    public int? MaxChildren { get; set; }
    public bool LookupsIncludeChildren { get; set; }
    public int Version { get; set; }

    public static readonly IReadOnlyList<(string Name, InheritedFields Field)> Optional =
    [
        (nameof(InheritAccount), InheritedFields.Account),
        (nameof(InheritCategory), InheritedFields.Category),
        (nameof(InheritPriority), InheritedFields.Priority),
        (nameof(InheritOrigin), InheritedFields.Origin),
        (nameof(InheritDescription), InheritedFields.Description),
    ];

    public InheritedFields Inherited =>
        InheritedFields.Mandatory
        | (InheritAccount ? InheritedFields.Account : 0)
        | (InheritCategory ? InheritedFields.Category : 0)
        | (InheritPriority ? InheritedFields.Priority : 0)
        | (InheritOrigin ? InheritedFields.Origin : 0)
        | (InheritDescription ? InheritedFields.Description : 0);

    public static ParentChildSettingsForm From(ParentChildSettings s) => new()
    {
        InheritAccount = s.Inherits(InheritedFields.Account),
        InheritCategory = s.Inherits(InheritedFields.Category),
        InheritPriority = s.Inherits(InheritedFields.Priority),
        InheritOrigin = s.Inherits(InheritedFields.Origin),
        InheritDescription = s.Inherits(InheritedFields.Description),
        ClosurePreference = s.ClosurePreference,
        MaxChildren = s.MaxChildren,
        LookupsIncludeChildren = s.LookupsIncludeChildren,
        Version = s.Version,
    };
}

internal sealed class ParentChildSettingsFormValidator : AbstractValidator<ParentChildSettingsForm>
{
    public ParentChildSettingsFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.MaxChildren).NotNull().WithMessage(_ => l["Settings_MaxChildrenRange", Limits.MinMaxChildren, Limits.MaxMaxChildren])
            .InclusiveBetween(Limits.MinMaxChildren, Limits.MaxMaxChildren)
            .WithMessage(_ => l["Settings_MaxChildrenRange", Limits.MinMaxChildren, Limits.MaxMaxChildren]);
        RuleFor(f => f.ClosurePreference).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
    }
}

/// <summary>Configuración → Casos principales y secundarios (administrators only). Changes apply to the next operation.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class SettingsController(
    CrmDbContext db,
    IValidator<ParentChildSettingsForm> validator,
    ReferenceData reference,
    IStringLocalizer<SharedResource> l,
    ILogger<SettingsController> logger) : Controller
{
    [HttpGet("/Settings/ParentChild")]
    public async Task<IActionResult> ParentChild(CancellationToken ct) =>
        View(ParentChildSettingsForm.From(await LoadAsync(ct)));

    [HttpPost("/Settings/ParentChild")]
    public async Task<IActionResult> ParentChild(ParentChildSettingsForm form, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var settings = await LoadAsync(ct);
        if (settings.Version != form.Version)
        {
            ModelState.AddModelError(string.Empty, l["Settings_Stale"]);
            form.Version = settings.Version;
            return View(form);
        }

        settings.InheritedFields = form.Inherited;
        settings.ClosurePreference = form.ClosurePreference;
        settings.MaxChildren = form.MaxChildren!.Value;
        settings.LookupsIncludeChildren = form.LookupsIncludeChildren;
        settings.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError(string.Empty, l["Settings_Stale"]);
            return View(form);
        }

        await reference.SettingsChangedAsync(ct);
        logger.LogInformation("Parent/child settings changed by {User}", User.Identity?.Name);
        TempData["Message"] = l["Settings_Saved"].Value;
        return RedirectToAction(nameof(ParentChild));
    }

    private async Task<ParentChildSettings> LoadAsync(CancellationToken ct)
    {
        var settings = await db.ParentChildSettings.SingleOrDefaultAsync(s => s.Id == ParentChildSettings.SingletonId, ct);
        if (settings is null)
        {
            settings = new ParentChildSettings();
            db.ParentChildSettings.Add(settings);
        }

        return settings;
    }
}
