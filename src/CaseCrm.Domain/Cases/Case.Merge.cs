namespace CaseCrm.Domain.Cases;

/// <summary>Merging duplicates ("Combinar casos"): the cases merged into this one become Cancelado and read-only.</summary>
public partial class Case
{
    /// <summary>How many cases one merge takes at most, the one that stays included (as in Dynamics 365).</summary>
    public const int MaxMergedCases = 10;

    /// <summary>The case this one was merged into; a merged case is Cancelado and read-only.</summary>
    public int? MergedIntoId { get; private set; }

    public bool IsMerged => MergedIntoId is not null;

    /// <summary>
    /// Merges <paramref name="merged"/> into this case, all or none (<see cref="CaseMergeRules"/>, every refusal named).
    /// <paramref name="childrenOfMerged"/> are the children of the merged cases, which move to this case; when this case
    /// is a child of a merged case it leaves that parent. The merged cases become Cancelado, linked to this one. Moving
    /// their comments, activities, emails and files is the caller's (they are rows of their own).
    /// </summary>
    public void Merge(IReadOnlyCollection<Case> merged, IReadOnlyCollection<Case> childrenOfMerged, int maxChildren, string userId, DateTime now)
    {
        Refuse(CaseMergeRules.Check(this, merged, childrenOfMerged, maxChildren));
        var mergedById = merged.ToDictionary(m => m.Id);
        if (ParentId is { } parentId && mergedById.TryGetValue(parentId, out var oldParent))
        {
            ParentId = null;
            oldParent.ChildCount--;
        }

        foreach (var child in childrenOfMerged.Where(c => c.Id != Id))
        {
            mergedById[child.ParentId!.Value].ChildCount--;
            child.ParentId = Id;
            child.Touch(userId, now);
            ChildCount++;
        }

        foreach (var item in merged)
        {
            item.Status = CaseStatus.Cancelled;
            item.Touch(userId, now);
            item.MergedIntoId = Id;
        }

        Touch(userId, now);
    }

    private void RequireNotMerged()
    {
        if (MergedIntoId is { } into)
        {
            throw new CaseRuleException(CaseRuleCode.MergedReadOnly, Id, Number, CaseNumber.Format(into));
        }
    }
}
