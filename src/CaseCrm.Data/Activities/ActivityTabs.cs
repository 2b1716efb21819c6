using CaseCrm.Domain.Activities;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Data.Activities;

/// <summary>
/// Keeps <see cref="Activity.AroundAccountId"/> in step when the account of a case or of a contact changes: the activities
/// regarding that case or contact follow it, with one set-based UPDATE in the caller's transaction (ADR 0021).
/// </summary>
public static class ActivityTabs
{
    public static Task<int> FollowCaseAccountAsync(this CrmDbContext db, int caseId, int? accountId, CancellationToken ct) =>
        db.Activities.Where(a => a.CaseId == caseId).ExecuteUpdateAsync(set => set.SetProperty(a => a.AroundAccountId, accountId), ct);

    public static Task<int> FollowContactAccountAsync(this CrmDbContext db, int contactId, int? accountId, CancellationToken ct) =>
        db.Activities.Where(a => a.ContactId == contactId).ExecuteUpdateAsync(set => set.SetProperty(a => a.AroundAccountId, accountId), ct);
}
