using CaseCrm.Domain.Activities;
using CaseCrm.Web.Features.Activities;
using CaseCrm.Data;
using CaseCrm.Web.Features.Contacts;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Accounts;

public sealed record AccountListModel(Page<AccountRow> Page, string? Search, SortOrder Sort);

public sealed record AccountDetailsModel(AccountHeader Account, string Tab, Page<ContactRow>? Contacts, Page<AccountCaseRow>? Cases, Page<ActivityRow>? Activities = null);

public sealed record AccountEditModel(int? Id, AccountForm Form);

/// <summary>Ventas → Cuentas: the list, an account with its contacts and cases, create and edit.</summary>
[Route("Accounts")]
public sealed class AccountsController(
    CrmDbContext db,
    AccountQueries queries,
    AccountLookup lookup,
    AccountWrites writes,
    IValidator<AccountForm> validator,
    IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? q, string? sort, string? dir, int page = 1, int? size = null, CancellationToken ct = default)
    {
        var order = SortOrder.Parse(sort, dir, AccountQueries.SortKeys, "name");
        return View(new AccountListModel(await queries.ListAsync(q, order, page, Paging.SizeOf(size), ct), q, order));
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Details(int id, string? tab, [FromServices] ActivityQueries activities, int page = 1, CancellationToken ct = default)
    {
        var account = await queries.HeaderAsync(id, ct);
        if (account is null)
        {
            return NotFound();
        }

        page = Math.Max(1, page);
        return tab switch
        {
            "cases" => View(new AccountDetailsModel(account, "cases", null, await queries.CasesAsync(id, page, ct))),
            "activities" => View(new AccountDetailsModel(account, "activities", null, null, await activities.AroundAsync(RegardingType.Account, id, page, ct))),
            _ => View(new AccountDetailsModel(account, "contacts", await queries.ContactsAsync(id, page, ct), null)),
        };
    }

    /// <summary>Accounts whose name matches, for the account pickers of the forms (JSON).</summary>
    [HttpGet("Lookup")]
    public async Task<IActionResult> Lookup(string? q, CancellationToken ct)
    {
        IReadOnlyList<AccountOption> matches = string.IsNullOrWhiteSpace(q) ? [] : await lookup.SearchAsync(q, ct);
        return Json(matches);
    }

    [HttpGet("Create")]
    public IActionResult Create() => View("Edit", new AccountEditModel(null, new AccountForm()));

    [HttpPost("Create")]
    public async Task<IActionResult> Create(AccountForm form, CancellationToken ct)
    {
        if (!await IsValidAsync(form, ct))
        {
            return View("Edit", new AccountEditModel(null, form));
        }

        var account = await writes.CreateAsync(form.ToDetails(), ct);
        TempData["Message"] = l["Account_Created", account.Name].Value;
        return RedirectToAction(nameof(Details), new { id = account.Id });
    }

    [HttpGet("{id:int}/Edit")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var a = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        return a is null
            ? NotFound()
            : View(new AccountEditModel(id, AccountForm.From(a.Details)));
    }

    [HttpPost("{id:int}/Edit")]
    public async Task<IActionResult> Edit(int id, AccountForm form, CancellationToken ct)
    {
        var account = await writes.FindAsync(id, ct);
        if (account is null)
        {
            return NotFound();
        }

        if (!await IsValidAsync(form, ct))
        {
            return View(new AccountEditModel(id, form));
        }

        await writes.UpdateAsync(account, form.ToDetails(), ct);
        TempData["Message"] = l["Account_Saved", account.Name].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    private async Task<bool> IsValidAsync(AccountForm form, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        return result.IsValid;
    }

}
