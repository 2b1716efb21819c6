using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Cases;

/// <summary>
/// What "Editar seleccionados" changes on every selected case; a null field stays as each case has it. Assigning to
/// nobody is <see cref="Assign"/> with a null <see cref="AssigneeId"/>.
/// </summary>
public sealed record BulkChanges(bool Assign, string? AssigneeId, CasePriority? Priority, int? CategoryId, CaseStatus? Status)
{
    public bool Reclassify => Priority is not null || CategoryId is not null || Status is not null;

    public bool Any => Assign || Reclassify;
}

public sealed partial class CaseService
{
    /// <summary>The most cases one "Editar seleccionados" changes.</summary>
    public const int MaxBulkEdit = 200;

    /// <summary>
    /// "Editar seleccionados": applies <paramref name="changes"/> to every case of <paramref name="caseIds"/> through the
    /// transitions of the single-case pages (<see cref="Case.AssignTo"/>, <see cref="Case.Reclassify"/>) — to all of them,
    /// or, when any case refuses, to none: the <see cref="CaseRuleException"/> then names every refused case. The cases are
    /// written with one statement whatever their number (docs/decisions/0025), their versions checked as read; history,
    /// notifications and service-level clocks as for one case (<see cref="CaseUnitOfWork"/>). Returns how many were changed.
    /// For supervisors: it assigns as one (<see cref="Case.MayAssign"/>), so the caller authorizes the user first.
    /// </summary>
    public Task<int> BulkEditAsync(IReadOnlyCollection<int> caseIds, BulkChanges changes, string userId, CancellationToken ct = default)
    {
        var ids = caseIds.Distinct().ToList();
        if (ids.Count is 0 or > MaxBulkEdit)
        {
            throw new ArgumentOutOfRangeException(nameof(caseIds), ids.Count, $"Between 1 and {MaxBulkEdit} cases are edited at once.");
        }

        if (!changes.Any)
        {
            throw new ArgumentException("Nothing to change.", nameof(changes));
        }

        return _work.RunAsync(async () =>
        {
            var cases = await db.Cases.Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(ct);
            // As a nullable, so that an id 0 (never a case) is found missing too.
            if (ids.Except(cases.Select(c => c.Id)).Cast<int?>().FirstOrDefault() is { } missing)
            {
                throw new NotFoundException("Case", missing);
            }

            var assigneeAvailable = changes.AssigneeId is { } assignee && await db.Users.AnyAsync(u => u.Id == assignee && u.IsActive, ct);
            var categoryActive = changes.CategoryId is { } category && await db.Categories.AnyAsync(k => k.Id == category && k.IsActive, ct);
            var now = Now;
            var refusals = new List<CaseRuleViolation>();
            foreach (var item in cases)
            {
                try
                {
                    if (changes.Reclassify)
                    {
                        item.Reclassify(changes.Priority, changes.CategoryId, categoryActive, changes.Status, userId, now);
                    }

                    if (changes.Assign)
                    {
                        item.AssignTo(changes.AssigneeId, assigneeAvailable, userId, isSupervisor: true, now);
                    }
                }
                catch (CaseRuleException ex)
                {
                    // Every refusal names its case, also those of rules that do not (a category, an assignee).
                    refusals.AddRange(ex.Violations.Select(v => v with { CaseId = v.CaseId ?? item.Id }));
                }
            }

            if (refusals.Count > 0)
            {
                throw new CaseRuleException(refusals);
            }

            _work.WriteManyCases();
            logger.LogInformation("User {UserId} edited {Count} cases at once", userId, cases.Count);
            return cases.Count;
        }, ct);
    }
}
