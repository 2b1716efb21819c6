using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using CaseCrm.Web.Features.Accounts;
using CaseCrm.Web.Features.Activities;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Features.Contacts;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Exports;

/// <summary>
/// "Exportar CSV" on every list: the rows the list finds with its own filters and sort (its query class is the one place
/// they are defined), the columns it shows plus the ids, streamed through <see cref="CsvDownload"/>. Whoever may see a
/// list may export it: the same (signed-in) rule, and the activity list's owner only for supervisors, as on the list.
/// </summary>
public sealed class ExportsController(
    CaseQueries cases, ContactQueries contacts, AccountQueries accounts, ActivityQueries activities,
    CurrentUser me, TimeProvider clock, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("/Cases/Export")]
    public IActionResult Cases([FromQuery] CaseListFilter filter)
    {
        var sort = SortOrder.Parse(filter.Sort, filter.Dir, CaseQueries.SortKeys, "updated", defaultDescending: true);
        var rows = cases.ExportAsync(filter, sort, me.IdOrNull);
        var now = clock.GetUtcNow().UtcDateTime;
        string[] header =
        [
            l["Export_Id"], l["Field_Number"], l["Field_Title"], l["Export_ContactId"], l["Field_Contact"], l["Field_Category"],
            l["Field_Priority"], l["Field_Status"], l["Export_ServiceLevel"], l["Field_Due"], l["Field_AssignedTo"], l["Field_UpdatedAt"],
            l["Export_ParentId"],
        ];
        return new CsvDownload(CsvDownload.FileName(l["Export_FileCases"], Today), header, async (csv, ct) =>
        {
            await foreach (var c in rows.WithCancellation(ct))
            {
                csv.Write(c.Id);
                csv.WriteField(c.Number);
                csv.WriteField(c.Title);
                csv.Write(c.ContactId);
                csv.WriteField(c.ContactName.Trim());
                csv.WriteField(c.CategoryName);
                csv.WriteField(c.Priority is { } p ? l[$"CasePriority_{p}"].Value : null);
                csv.WriteField(l[$"CaseStatus_{c.Status}"]);
                csv.WriteField(c.DueState(now) is var state && state != ServiceLevelState.None ? l[$"ServiceLevelState_{state}"].Value : null);
                csv.Write(me, c.DueAt);
                csv.WriteField(c.AssigneeName);
                csv.Write(me, c.UpdatedAt);
                csv.Write(c.ParentId);
                await csv.EndRecordAsync(ct);
            }
        });
    }

    [HttpGet("/Contacts/Export")]
    public IActionResult Contacts(string? q, string? sort, string? dir)
    {
        var rows = contacts.ExportAsync(q, SortOrder.Parse(sort, dir, ContactQueries.SortKeys, "name"));
        string[] header = [l["Export_Id"], l["Contacts_ListName"], l["Field_Email"], l["Field_Phone"], l["Export_AccountId"], l["Field_Account"]];
        return new CsvDownload(CsvDownload.FileName(l["Export_FileContacts"], Today), header, async (csv, ct) =>
        {
            await foreach (var c in rows.WithCancellation(ct))
            {
                csv.Write(c.Id);
                csv.WriteField(c.ListName);
                csv.WriteField(c.Email);
                csv.WriteField(c.Phone);
                csv.Write(c.AccountId);
                csv.WriteField(c.AccountName);
                await csv.EndRecordAsync(ct);
            }
        });
    }

    [HttpGet("/Accounts/Export")]
    public IActionResult Accounts(string? q, string? sort, string? dir)
    {
        var rows = accounts.ExportAsync(q, SortOrder.Parse(sort, dir, AccountQueries.SortKeys, "name"));
        string[] header = [l["Export_Id"], l["Field_Name"], l["Field_TaxId"], l["Field_Phone"], l["Field_Email"]];
        return new CsvDownload(CsvDownload.FileName(l["Export_FileAccounts"], Today), header, async (csv, ct) =>
        {
            await foreach (var a in rows.WithCancellation(ct))
            {
                csv.Write(a.Id);
                csv.WriteField(a.Name);
                csv.WriteField(a.TaxId);
                csv.WriteField(a.Phone);
                csv.WriteField(a.Email);
                await csv.EndRecordAsync(ct);
            }
        });
    }

    [HttpGet("/Activities/Export")]
    public async Task<IActionResult> Activities(ActivityView view = ActivityView.Overdue, string? owner = null)
    {
        // As the list: another user's activities only for a supervisor.
        var ownerId = await me.CanManageCasesAsync() && !string.IsNullOrEmpty(owner) ? owner : me.Id;
        var rows = activities.ExportAsync(ownerId, Enum.IsDefined(view) ? view : ActivityView.Overdue, clock.GetUtcNow().UtcDateTime, me.TimeZone);
        string[] header =
        [
            l["Export_Id"], l["Field_Type"], l["Field_Subject"], l["Field_Regarding"], l["Export_CaseId"], l["Export_ContactId"], l["Export_AccountId"],
            l["Field_When"], l["Field_Priority"], l["Field_Status"], l["Field_Owner"],
        ];
        return new CsvDownload(CsvDownload.FileName(l["Export_FileActivities"], Today), header, async (csv, ct) =>
        {
            await foreach (var a in rows.WithCancellation(ct))
            {
                csv.Write(a.Id);
                csv.WriteField(l[$"ActivityType_{a.Type}"]);
                csv.WriteField(a.Subject);
                csv.WriteField(a.CaseId is { } caseId ? $"{CaseNumber.Format(caseId)} {a.RegardingName}" : a.RegardingName?.Trim());
                csv.Write(a.CaseId);
                csv.Write(a.ContactId);
                csv.Write(a.AccountId);
                csv.Write(me, a.ScheduledAt);
                csv.WriteField(l[$"ActivityPriority_{a.Priority}"]);
                csv.WriteField(l[$"ActivityStatus_{a.Status}"]);
                csv.WriteField(a.OwnerName);
                await csv.EndRecordAsync(ct);
            }
        });
    }

    private DateTime Today => me.ToLocal(clock.GetUtcNow().UtcDateTime).Date;
}
