using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Text;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.CaseFamily;

public sealed record ChildRow(int Id, string Title, CaseStatus Status, CasePriority? Priority, string? AssigneeName, DateTime UpdatedAt)
{
    public string Number => CaseNumber.Format(Id);
}

public sealed record LookupRow(int Id, string Title, CaseStatus Status, string ContactName, int? ParentId)
{
    public string Number => CaseNumber.Format(Id);
}

/// <summary>What a new child of a case starts with, or why that case cannot have one now.</summary>
public sealed record ChildDraft(CaseFields Prefill, int ContactId, IReadOnlyList<CaseRuleViolation> Refusals);

/// <summary>The reads of the parent/child pages: children, the look-up of "Agregar caso existente", drafts and closures.</summary>
public sealed class CaseFamilyQueries(CrmDbContext db, ReferenceData reference)
{
    public async Task<IReadOnlyList<ChildRow>> ChildrenAsync(int parentId, CancellationToken ct) =>
        await db.Cases.AsNoTracking()
            .Where(c => c.ParentId == parentId)
            .OrderBy(c => c.Id)
            .Select(c => new ChildRow(c.Id, c.Title, c.Status, c.Priority,
                db.Users.Where(u => u.Id == c.AssignedToId).Select(u => u.DisplayName).FirstOrDefault(), c.UpdatedAt))
            .ToListAsync(ct);

    /// <summary>The children of <paramref name="parentId"/> in the order of their numbers; null when there is no such case.</summary>
    public async Task<IReadOnlyList<ChildRow>?> ChildrenOfCaseAsync(int parentId, CancellationToken ct) =>
        await db.Cases.AnyAsync(c => c.Id == parentId, ct) ? await ChildrenAsync(parentId, ct) : null;

    /// <summary>The form of a new child of <paramref name="parentId"/>: the inherited fields of the setting, or the refusals.</summary>
    public async Task<ChildDraft> NewChildDraftAsync(int parentId, CancellationToken ct)
    {
        var settings = await reference.ParentChildSettingsAsync(ct);
        var parent = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == parentId, ct) ?? throw new NotFoundException("Case", parentId);
        return new ChildDraft(parent.ChildDraft(settings), parent.ContactId, parent.WhyNoNewChild(settings));
    }

    /// <summary>The active children that closing this case would close (cascade) or that block it (default).</summary>
    public async Task<IReadOnlyList<ChildSummary>> ActiveChildrenAsync(int caseId, CancellationToken ct) =>
        await db.Cases.AsNoTracking()
            .Where(c => c.ParentId == caseId)
            .Where(CaseStatuses.IsActiveCase)
            .OrderBy(c => c.Id)
            .Select(c => new ChildSummary(c.Id, CaseNumber.Format(c.Id), c.Title, c.Status))
            .ToListAsync(ct);

    /// <summary>
    /// "Registros de búsqueda": cases that could become children of <paramref name="parentId"/>
    /// (<see cref="CaseFamilyRules.CanBecomeChild"/>), by number, title or contact; with the setting, active child cases
    /// too (shown, marked, not addable).
    /// </summary>
    public async Task<IReadOnlyList<LookupRow>> LookupAsync(int parentId, string? text, bool includeChildren, CancellationToken ct)
    {
        var candidates = db.Cases.AsNoTracking().Where(CaseFamilyRules.CanBecomeChild);
        if (includeChildren)
        {
            candidates = candidates.Concat(db.Cases.AsNoTracking().Where(CaseFamilyRules.IsActiveChild));
        }

        return await SearchAsync(candidates.Where(c => c.Id != parentId), text, ct);
    }

    /// <summary>
    /// The case look-up of "Referente a": the same search as "Agregar caso existente" (<see cref="LookupAsync"/>), over every
    /// case that is not a child — with the setting, child cases too (the seed's note: child cases stay out by default).
    /// </summary>
    public Task<IReadOnlyList<LookupRow>> RegardingLookupAsync(string? text, bool includeChildren, CancellationToken ct) =>
        SearchAsync(includeChildren ? db.Cases.AsNoTracking() : db.Cases.AsNoTracking().Where(c => c.ParentId == null), text, ct);

    /// <summary>The look-up of "Combinar casos": active cases not yet selected, by the same search.</summary>
    public Task<IReadOnlyList<LookupRow>> MergeLookupAsync(string? text, IReadOnlyCollection<int> selected, CancellationToken ct) =>
        SearchAsync(db.Cases.AsNoTracking().Where(CaseStatuses.IsActiveCase).Where(c => !selected.Contains(c.Id)), text, ct);

    // By number, title or contact name, newest first, at most 20.
    private async Task<IReadOnlyList<LookupRow>> SearchAsync(IQueryable<Case> query, string? text, CancellationToken ct)
    {
        if (CaseNumber.TryParse(text) is { } number)
        {
            query = query.Where(c => c.Id == number);
        }
        else if (SearchText.Fold(text) is { Length: > 0 } folded)
        {
            var byTitle = db.WhereTitleContains(db.Cases, folded).Select(c => c.Id);
            if (SearchText.SearchWords(text) is { Count: > 0 } words)
            {
                var byContact = db.ContactSearchTermsMatching(words).Select(t => t.ContactId);
                query = query.Where(c => byTitle.Contains(c.Id) || byContact.Contains(c.ContactId));
            }
            else
            {
                query = query.Where(c => byTitle.Contains(c.Id));
            }
        }

        return await query
            .OrderByDescending(c => c.Id)
            .Take(20)
            .Select(c => new LookupRow(c.Id, c.Title, c.Status,
                db.Contacts.Where(p => p.Id == c.ContactId).Select(p => (p.FirstName ?? "") + " " + (p.LastName ?? "")).First(),
                c.ParentId))
            .ToListAsync(ct);
    }
}
