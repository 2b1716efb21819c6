using System.Globalization;

namespace CaseCrm.Domain.Cases;

/// <summary>
/// The rules of "Combinar casos" (design.md, "Working on many cases"), each returning every violation it finds so that
/// a refusal names each case and reason: 2 to <see cref="Case.MaxMergedCases"/> cases, all active; a child is merged
/// only into its own parent or a sibling, or along with its parent; a merged parent's children move to the case that
/// stays only if it can take them (it is not a child, the maximum holds).
/// </summary>
public static class CaseMergeRules
{
    public static IReadOnlyList<CaseRuleViolation> Check(Case survivor, IReadOnlyCollection<Case> merged, IReadOnlyCollection<Case> childrenOfMerged, int maxChildren)
    {
        var violations = new List<CaseRuleViolation>();
        if (merged.Count == 0 || merged.Count + 1 > Case.MaxMergedCases || merged.Any(m => m.Id == survivor.Id))
        {
            violations.Add(new(CaseRuleCode.MergeCount, null, Case.MaxMergedCases.ToString(CultureInfo.CurrentCulture)));
            return violations;
        }

        var mergedIds = merged.Select(m => m.Id).ToHashSet();
        violations.AddRange(merged.Prepend(survivor).Where(c => !c.IsActive).Select(c => new CaseRuleViolation(CaseRuleCode.MergeNotActive, c.Id, c.Number)));
        foreach (var item in merged)
        {
            if (item.ParentId is { } parentId && parentId != survivor.Id && parentId != survivor.ParentId && !mergedIds.Contains(parentId))
            {
                violations.Add(new(CaseRuleCode.MergeChildOutsideFamily, item.Id, item.Number, CaseNumber.Format(parentId)));
            }
        }

        var moving = childrenOfMerged.Where(c => c.Id != survivor.Id).ToList();
        if (moving.Count == 0)
        {
            return violations;
        }

        // The case that stays leaves a parent that is merged into it, so only a parent that stays makes it a child.
        if (survivor.ParentId is { } survivorParent && !mergedIds.Contains(survivorParent))
        {
            violations.AddRange(moving.Select(c => c.ParentId!.Value).Distinct().Order().Select(from =>
                new CaseRuleViolation(CaseRuleCode.MergeSurvivorIsChild, survivor.Id, survivor.Number, CaseNumber.Format(survivorParent), CaseNumber.Format(from))));
        }

        if (survivor.ChildCount + moving.Count > maxChildren)
        {
            violations.Add(new(CaseRuleCode.TooManyChildren, survivor.Id,
                maxChildren.ToString(CultureInfo.CurrentCulture), survivor.Number,
                survivor.ChildCount.ToString(CultureInfo.CurrentCulture), moving.Count.ToString(CultureInfo.CurrentCulture)));
        }

        return violations;
    }
}
