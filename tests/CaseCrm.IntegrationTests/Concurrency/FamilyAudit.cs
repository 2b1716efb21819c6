using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// Reads every case and every parent/child history row and checks the family rules as they are stored: no self-parent,
/// no grandchild, no parent that is a child, no parent over the maximum, each ChildCount equal to the children really
/// stored, and — for the cases in the history scope — each link written together with its history rows (the child's
/// last "Parent" row names its current parent; the parent's "ChildAdded" minus "ChildRemoved" rows equal its children).
/// </summary>
internal sealed class FamilyAudit
{
    private FamilyAudit(int cases, int parents, int children, IReadOnlyList<string> violations)
    {
        Cases = cases;
        Parents = parents;
        Children = children;
        Violations = violations;
    }

    public int Cases { get; }

    public int Parents { get; }

    public int Children { get; }

    /// <summary>One line per broken rule, naming the cases; empty when the families are sound.</summary>
    public IReadOnlyList<string> Violations { get; }

    /// <param name="db">A context of the database to check.</param>
    /// <param name="maxChildren">The maximum number of children of a parent (rule 6).</param>
    /// <param name="historyScope">
    /// The cases whose links must match their history (cases made through the case service; the demo seed writes no history).
    /// All cases when null.
    /// </param>
    public static async Task<FamilyAudit> RunAsync(CrmDbContext db, int maxChildren, IReadOnlySet<int>? historyScope = null, CancellationToken ct = default)
    {
        var cases = await db.Cases.AsNoTracking()
            .Select(c => new { c.Id, c.ParentId, c.ChildCount })
            .ToDictionaryAsync(c => c.Id, ct);
        var history = await db.CaseHistory.AsNoTracking()
            .Where(h => h.Field == HistoryField.Parent || h.Field == HistoryField.ChildAdded || h.Field == HistoryField.ChildRemoved)
            .OrderBy(h => h.Id)
            .Select(h => new { h.CaseId, h.Field, h.NewValue })
            .ToListAsync(ct);

        var violations = new List<string>();
        var childrenOf = cases.Values.Where(c => c.ParentId is not null).GroupBy(c => c.ParentId!.Value).ToDictionary(g => g.Key, g => g.Count());
        foreach (var item in cases.Values)
        {
            var number = CaseNumber.Format(item.Id);
            var children = childrenOf.GetValueOrDefault(item.Id);
            if (item.ParentId == item.Id)
            {
                violations.Add($"{number} is its own parent.");
            }
            else if (item.ParentId is { } parentId && cases.TryGetValue(parentId, out var parent) && parent.ParentId is not null)
            {
                violations.Add($"{number} is a grandchild: its parent {CaseNumber.Format(parentId)} is a child of {CaseNumber.Format(parent.ParentId.Value)}.");
            }

            if (item.ParentId is not null && (children > 0 || item.ChildCount > 0))
            {
                violations.Add($"{number} is a child and a parent ({children} children, ChildCount {item.ChildCount}).");
            }

            if (children > maxChildren)
            {
                violations.Add($"{number} has {children} children, over the maximum of {maxChildren}.");
            }

            if (children != item.ChildCount)
            {
                violations.Add($"{number} has ChildCount {item.ChildCount} but {children} children.");
            }
        }

        var lastParentRow = history.Where(h => h.Field == HistoryField.Parent)
            .GroupBy(h => h.CaseId)
            .ToDictionary(g => g.Key, g => g.Last().NewValue);
        var netChildRows = history.Where(h => h.Field != HistoryField.Parent)
            .GroupBy(h => h.CaseId)
            .ToDictionary(g => g.Key, g => g.Count(h => h.Field == HistoryField.ChildAdded) - g.Count(h => h.Field == HistoryField.ChildRemoved));
        foreach (var item in cases.Values.Where(c => historyScope?.Contains(c.Id) ?? true))
        {
            var number = CaseNumber.Format(item.Id);
            var recordedParent = lastParentRow.GetValueOrDefault(item.Id);
            var storedParent = item.ParentId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (recordedParent != storedParent)
            {
                violations.Add($"{number} has parent '{storedParent ?? "none"}' but its history says '{recordedParent ?? "none"}'.");
            }

            var recordedChildren = netChildRows.GetValueOrDefault(item.Id);
            if (recordedChildren != childrenOf.GetValueOrDefault(item.Id))
            {
                violations.Add($"{number} has {childrenOf.GetValueOrDefault(item.Id)} children but its history adds up to {recordedChildren}.");
            }
        }

        return new FamilyAudit(cases.Count, childrenOf.Count, childrenOf.Values.Sum(), violations);
    }

    public override string ToString() =>
        $"{Cases} cases, {Parents} parents, {Children} children, {Violations.Count} violations"
        + (Violations.Count == 0 ? string.Empty : ":" + Environment.NewLine + string.Join(Environment.NewLine, Violations.Take(20)));
}
