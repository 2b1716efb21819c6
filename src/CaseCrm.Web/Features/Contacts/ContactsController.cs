using CaseCrm.Data.Activities;
using CaseCrm.Domain.Activities;
using CaseCrm.Web.Features.Activities;
using CaseCrm.Data;
using CaseCrm.Domain.Contacts;
using CaseCrm.Web.Features.Accounts;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Contacts;

public sealed record ContactListModel(Page<ContactRow> Page, string? Search, SortOrder Sort);

public sealed record ContactDetailsModel(ContactHeader Contact, string Tab, int CaseCount, Page<ContactCaseRow>? Cases, Page<ActivityRow>? Activities = null);

public sealed record ContactEditModel(int? Id, ContactForm Form, IReadOnlyList<AccountOption> Accounts);

/// <summary>Ventas → Contactos: the list, a contact's page with its "Casos" tab, create and edit.</summary>
[Route("Contacts")]
public sealed class ContactsController(
    CrmDbContext db,
    ContactQueries queries,
    ContactWrites writes,
    AccountLookup accounts,
    IValidator<ContactForm> validator,
    IStringLocalizer<SharedResource> l) : Controller
{
    public const string CasesTab = "cases";
    public const string ActivitiesTab = "activities";

    [HttpGet("")]
    public async Task<IActionResult> Index(string? q, string? sort, string? dir, int page = 1, int? size = null, CancellationToken ct = default)
    {
        var order = SortOrder.Parse(sort, dir, ContactQueries.SortKeys, "name");
        return View(new ContactListModel(await queries.ListAsync(q, order, page, Paging.SizeOf(size), ct), q, order));
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Details(int id, string? tab, [FromServices] ActivityQueries activities, int page = 1, CancellationToken ct = default)
    {
        var contact = await queries.HeaderAsync(id, ct);
        if (contact is null)
        {
            return NotFound();
        }

        var count = await queries.CaseCountAsync(id, ct);
        return tab switch
        {
            CasesTab => View(new ContactDetailsModel(contact, CasesTab, count, await queries.CasesAsync(id, Math.Max(1, page), ct))),
            ActivitiesTab => View(new ContactDetailsModel(contact, ActivitiesTab, count, null, await activities.AroundAsync(RegardingType.Contact, id, Math.Max(1, page), ct))),
            _ => View(new ContactDetailsModel(contact, "details", count, null)),
        };
    }

    [HttpGet("Create")]
    public async Task<IActionResult> Create(int? accountId, CancellationToken ct) =>
        View("Edit", new ContactEditModel(null, new ContactForm { AccountId = accountId }, await accounts.OptionsAsync([accountId], null, ct)));

    [HttpPost("Create")]
    public async Task<IActionResult> Create(ContactForm form, string? command, CancellationToken ct)
    {
        if (command == "findAccount" || !await IsValidAsync(form, ct))
        {
            return await RedisplayAsync(null, form, ct);
        }

        var contact = await writes.CreateAsync(form.ToDetails(), await AccountNameAsync(form.AccountId, ct), ct);
        TempData["Message"] = l["Contact_Created", contact.FullName].Value;
        return RedirectToAction(nameof(Details), new { id = contact.Id });
    }

    [HttpGet("{id:int}/Edit")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return NotFound();
        }

        var form = ContactForm.From(contact.Details);
        return View(new ContactEditModel(id, form, await accounts.OptionsAsync([contact.AccountId], null, ct)));
    }

    [HttpPost("{id:int}/Edit")]
    public async Task<IActionResult> Edit(int id, ContactForm form, string? command, CancellationToken ct)
    {
        var contact = await writes.FindAsync(id, ct);
        if (contact is null)
        {
            return NotFound();
        }

        if (command == "findAccount" || !await IsValidAsync(form, ct))
        {
            return await RedisplayAsync(id, form, ct);
        }

        await writes.UpdateAsync(contact, form.ToDetails(), await AccountNameAsync(form.AccountId, ct), ct);
        TempData["Message"] = l["Contact_Saved", contact.FullName].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    private async Task<bool> IsValidAsync(ContactForm form, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(form, ct);
        ModelState.AddErrors(result);
        if (form.AccountId is { } accountId && !await db.Accounts.AnyAsync(a => a.Id == accountId, ct))
        {
            ModelState.AddModelError(nameof(ContactForm.AccountId), l["Validation_AccountNotFound"]);
        }

        return result.IsValid && ModelState.ErrorCount == 0;
    }

    private async Task<IActionResult> RedisplayAsync(int? id, ContactForm form, CancellationToken ct) =>
        View("Edit", new ContactEditModel(id, form, await accounts.OptionsAsync([form.AccountId], form.AccountSearch, ct)));

    private async Task<string?> AccountNameAsync(int? accountId, CancellationToken ct) =>
        accountId is { } id ? await writes.AccountNameAsync(id, ct) : null;
}
