using System.Globalization;
using System.Linq.Expressions;

namespace CaseCrm.Domain.Cases;

/// <summary>
/// The parent/child rules of the design (1–7), in one place. Each check returns every violation it finds,
/// so that a refusal can name all the cases that break a rule. <see cref="Case"/> runs them before every family
/// change; callers must load the cases inside the transaction that writes them.
/// </summary>
public static class CaseFamilyRules
{
    /// <summary>
    /// Rules 3, 4 and 5 for the child side: not a parent, not already a child, active. One expression for the domain
    /// (compiled), the set-based UPDATE that links children and the look-up of "Agregar caso existente".
    /// </summary>
    public static readonly Expression<Func<Case, bool>> CanBecomeChild = Predicates.And(
        c => c.ChildCount == 0,
        c => c.ParentId == null,
        CaseStatuses.IsActiveCase);

    /// <summary>
    /// What the look-up shows when the setting includes child cases: the active children that <see cref="CanBecomeChild"/>
    /// leaves out only because they have a parent (shown, marked, not addable).
    /// </summary>
    public static readonly Expression<Func<Case, bool>> IsActiveChild = Predicates.And(c => c.ParentId != null, CaseStatuses.IsActiveCase);

    private static readonly Func<Case, bool> CanBecomeChildCompiled = CanBecomeChild.Compile();

    /// <summary>The compiled form of <see cref="CanBecomeChild"/>.</summary>
    public static bool MayBecomeChild(Case item) => CanBecomeChildCompiled(item);

    /// <summary>Why <paramref name="parent"/> cannot take <paramref name="newChildren"/> more children (rules 2, 5, 6), or nothing.</summary>
    public static IReadOnlyList<CaseRuleViolation> CheckCanTakeChildren(Case parent, int newChildren, int maxChildren) =>
        CheckCanTakeChildren(parent.Id, parent.ParentId, parent.Status, parent.ChildCount, newChildren, maxChildren);

    /// <summary>The same check from a read model's values, for pages that show why a command is unavailable.</summary>
    public static IReadOnlyList<CaseRuleViolation> CheckCanTakeChildren(
        int parentId, int? parentsParentId, CaseStatus status, int childCount, int newChildren, int maxChildren)
    {
        var violations = new List<CaseRuleViolation>();
        var number = CaseNumber.Format(parentId);
        if (parentsParentId is { } grandParentId)
        {
            violations.Add(new(CaseRuleCode.ChildCannotHaveChildren, parentId, number, CaseNumber.Format(grandParentId)));
        }

        if (!status.IsActive())
        {
            violations.Add(new(CaseRuleCode.NotActive, parentId, number));
        }

        if (childCount + newChildren > maxChildren)
        {
            violations.Add(new(CaseRuleCode.TooManyChildren, parentId,
                maxChildren.ToString(CultureInfo.CurrentCulture), number,
                childCount.ToString(CultureInfo.CurrentCulture),
                newChildren.ToString(CultureInfo.CurrentCulture)));
        }

        return violations;
    }

    /// <summary>Every rule that stops <paramref name="children"/> from becoming children of <paramref name="parent"/> (rules 1–6).</summary>
    public static IReadOnlyList<CaseRuleViolation> CheckAddChildren(Case parent, IReadOnlyCollection<Case> children, int maxChildren)
    {
        var violations = new List<CaseRuleViolation>();
        if (children.Count == 0)
        {
            violations.Add(new(CaseRuleCode.NothingToAssociate));
            return violations;
        }

        violations.AddRange(CheckCanTakeChildren(parent, children.Count(c => c.Id != parent.Id), maxChildren));
        foreach (var child in children)
        {
            if (child.Id == parent.Id)
            {
                violations.Add(new(CaseRuleCode.SelfParent, child.Id, child.Number));
            }
            else if (!MayBecomeChild(child))
            {
                violations.AddRange(WhyNotChild(child));
            }
        }

        return violations;
    }

    /// <summary>The reasons <see cref="CanBecomeChild"/> is false for <paramref name="child"/>, each named.</summary>
    public static IEnumerable<CaseRuleViolation> WhyNotChild(Case child)
    {
        if (child.IsParent)
        {
            yield return new(CaseRuleCode.ParentCannotBeChild, child.Id, child.Number);
        }

        if (child.ParentId is { } parentId)
        {
            yield return new(CaseRuleCode.AlreadyChild, child.Id, child.Number, CaseNumber.Format(parentId));
        }

        if (!child.IsActive)
        {
            yield return new(CaseRuleCode.NotActive, child.Id, child.Number);
        }
    }

    /// <summary>Rule 7 with the "block" preference: closing a parent that still has active children is refused, naming them.</summary>
    public static CaseRuleViolation? CheckClosure(Case parent, IReadOnlyCollection<Case> activeChildren, ClosurePreference preference)
    {
        if (preference != ClosurePreference.BlockWhileChildrenActive || activeChildren.Count == 0)
        {
            return null;
        }

        var numbers = string.Join(", ", activeChildren.OrderBy(c => c.Id).Select(c => c.Number));
        return new(CaseRuleCode.ParentHasActiveChildren, parent.Id,
            activeChildren.Count.ToString(CultureInfo.CurrentCulture), numbers);
    }
}
