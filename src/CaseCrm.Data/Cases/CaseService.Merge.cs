using System.Globalization;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Cases;

public sealed partial class CaseService
{
    /// <summary>
    /// "Combinar casos": merges the selected cases into <paramref name="survivorId"/> (see <see cref="Case.Merge"/>), all or
    /// nothing. The merged cases' comments, activities, emails and files move to the case that stays, with set-based
    /// statements in the same transaction; each merged case records where it went, and the case that stays what it took.
    /// Every case the rules read is written, so a concurrent change to any of them is retried (docs/decisions/0003).
    /// </summary>
    public Task MergeAsync(int survivorId, IReadOnlyCollection<int> selectedIds, string userId, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var mergedIds = selectedIds.Where(id => id != survivorId).Distinct().ToList();
            if (mergedIds.Count == 0 || mergedIds.Count + 1 > Case.MaxMergedCases)
            {
                throw new CaseRuleException(CaseRuleCode.MergeCount, null, Case.MaxMergedCases.ToString(CultureInfo.CurrentCulture));
            }

            var settings = await SettingsAsync(ct);
            var ids = mergedIds.Append(survivorId).ToList();
            var cases = await db.Cases.Where(c => ids.Contains(c.Id) || mergedIds.Contains(c.ParentId!.Value)).ToListAsync(ct);
            // As a nullable, so that an id 0 (never a case) is found missing too.
            if (ids.Except(cases.Select(c => c.Id)).Cast<int?>().FirstOrDefault() is { } missing)
            {
                throw new NotFoundException("Case", missing);
            }

            var survivor = cases.Single(c => c.Id == survivorId);
            var merged = mergedIds.Select(id => cases.Single(c => c.Id == id)).ToList();
            var children = cases.Where(c => c.ParentId is { } parentId && mergedIds.Contains(parentId)).ToList();
            var now = Now;
            survivor.Merge(merged, children, settings.MaxChildren, userId, now);
            // The cases (up to ten, and the merged parents' children) in one UPDATE, not one per case (docs/decisions/0025).
            _work.WriteManyCases();

            await db.CaseComments.Where(c => mergedIds.Contains(c.CaseId)).ExecuteUpdateAsync(set => set.SetProperty(c => c.CaseId, survivorId), ct);
            await db.CaseAttachments.Where(a => mergedIds.Contains(a.CaseId)).ExecuteUpdateAsync(set => set.SetProperty(a => a.CaseId, survivorId), ct);
            await db.EmailMessages.Where(e => mergedIds.Contains(e.CaseId)).ExecuteUpdateAsync(set => set.SetProperty(e => e.CaseId, survivorId), ct);
            // An activity about a case is listed under the case's contact and account: those of the case that stays now.
            await db.Activities.Where(a => mergedIds.Contains(a.CaseId!.Value)).ExecuteUpdateAsync(set => set
                .SetProperty(a => a.CaseId, survivorId)
                .SetProperty(a => a.AroundContactId, survivor.ContactId)
                .SetProperty(a => a.AroundAccountId, survivor.AccountId)
                .SetProperty(a => a.Version, a => a.Version + 1), ct);
            _work.AddHistory(merged.Select(m => CaseHistoryEntry.Of(survivorId, HistoryField.MergedFrom, null, m.Id.ToString(CultureInfo.InvariantCulture), userId, now)));
            logger.LogInformation("User {UserId} merged cases {Merged} into case {SurvivorId}", userId, string.Join(",", mergedIds), survivorId);
            return true;
        }, ct);
}
