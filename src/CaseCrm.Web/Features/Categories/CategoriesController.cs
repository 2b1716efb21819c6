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

namespace CaseCrm.Web.Features.Categories;

public sealed class CategoryForm
{
    public string? Name { get; set; }
}

internal sealed class CategoryFormValidator : AbstractValidator<CategoryForm>
{
    public CategoryFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Name).NotEmpty().WithMessage(_ => l["Category_NameRequired"])
            .MaximumLength(Limits.CategoryName).WithMessage(_ => l["Validation_MaxLength", Limits.CategoryName]);
    }
}

public sealed record CategoryRow(int Id, string Name, bool IsActive);

public sealed record CategoriesModel(IReadOnlyList<CategoryRow> Categories, CategoryForm NewCategory);

public sealed record CategoryEditModel(int Id, CategoryForm Form);

/// <summary>Configuración → Categorías: create, rename, deactivate. Old cases keep a deactivated category; the form stops offering it.</summary>
[Authorize(Policy = Policies.Administer)]
[Route("Categories")]
public sealed class CategoriesController(
    CrmDbContext db, IValidator<CategoryForm> validator, ReferenceData reference, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(new CategoriesModel(await ListAsync(ct), new CategoryForm()));

    [HttpPost("")]
    public async Task<IActionResult> Create(CategoryForm form, CancellationToken ct)
    {
        if (!await IsValidAsync(form, null, ct))
        {
            return View(nameof(Index), new CategoriesModel(await ListAsync(ct), form));
        }

        db.Categories.Add(new Category { Name = form.Name!.Trim() });
        await db.SaveChangesAsync(ct);
        await reference.CategoriesChangedAsync(ct);
        TempData["Message"] = l["Category_Created", form.Name.Trim()].Value;
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("{id:int}/Edit")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var category = await db.Categories.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        return category is null ? NotFound() : View(new CategoryEditModel(id, new CategoryForm { Name = category.Name }));
    }

    [HttpPost("{id:int}/Edit")]
    public async Task<IActionResult> Edit(int id, CategoryForm form, CancellationToken ct)
    {
        var category = await db.Categories.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (category is null)
        {
            return NotFound();
        }

        if (!await IsValidAsync(form, id, ct))
        {
            return View(new CategoryEditModel(id, form));
        }

        category.Name = form.Name!.Trim();
        await db.SaveChangesAsync(ct);
        await reference.CategoriesChangedAsync(ct);
        TempData["Message"] = l["Category_Saved", category.Name].Value;
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("{id:int}/Active")]
    public async Task<IActionResult> SetActive(int id, bool active, CancellationToken ct)
    {
        var category = await db.Categories.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (category is null)
        {
            return NotFound();
        }

        category.IsActive = active;
        await db.SaveChangesAsync(ct);
        await reference.CategoriesChangedAsync(ct);
        TempData["Message"] = l[active ? "Category_Activated" : "Category_Deactivated", category.Name].Value;
        return RedirectToAction(nameof(Index));
    }

    private async Task<IReadOnlyList<CategoryRow>> ListAsync(CancellationToken ct) =>
        await db.Categories.AsNoTracking()
            .OrderBy(c => c.Name)
            .Select(c => new CategoryRow(c.Id, c.Name, c.IsActive))
            .ToListAsync(ct);

    private async Task<bool> IsValidAsync(CategoryForm form, int? id, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        if (result.IsValid && await db.Categories.AnyAsync(c => c.Name == form.Name!.Trim() && c.Id != id, ct))
        {
            ModelState.AddModelError(nameof(CategoryForm.Name), l["Category_Duplicate"]);
        }

        return ModelState.ErrorCount == 0;
    }
}
