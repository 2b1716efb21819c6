using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.CaseFamily;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Features.CaseMerge;

/// <summary>One selected case of a merge, with what it holds (what would move to the case that stays).</summary>
public sealed record MergeCandidate(CaseRow Row, int Comments, int Activities, int Emails, int Attachments, int Children);

public sealed record MergeModel(
    IReadOnlyList<MergeCandidate> Selected,
    int? KeepId,
    IReadOnlyList<string> Errors,
    bool RefusedByRules,
    string? Find,
    IReadOnlyList<LookupRow>? Found)
{
    public IEnumerable<MergeCandidate> Merged => Selected.Where(c => c.Row.Id != KeepId);

    public bool CanConfirm => KeepId is not null && Selected.Count >= 2 && Errors.Count == 0;
}

/// <summary>The preview of "Combinar casos": the selected cases, what each holds, and the rules' verdict before anything is written.</summary>
public sealed class CaseMergeQueries(CrmDbContext db, CaseQueries cases, CaseFamilyQueries family, ReferenceData reference)
{
    public async Task<MergeModel> PreviewAsync(IReadOnlyList<int> ids, int? keepId, string? find, IReadOnlyList<string> errors, bool refused, CancellationToken ct)
    {
        var selected = await CandidatesAsync(ids, ct);
        var keep = keepId is { } k && selected.Any(c => c.Row.Id == k) ? keepId : null;

        if (errors.Count == 0 && keep is { } survivorId)
        {
            errors = [.. (await RefusalsAsync(survivorId, ids, ct)).Select(v => v.Message)];
            refused = errors.Count > 0;
        }

        var found = find is null ? null : await family.MergeLookupAsync(find, ids, ct);
        return new MergeModel(selected, keep, errors, refused, find, found);
    }

    /// <summary>The selected cases that exist, in the order of their numbers, each with what it holds.</summary>
    public async Task<IReadOnlyList<MergeCandidate>> CandidatesAsync(IReadOnlyList<int> ids, CancellationToken ct)
    {
        var rows = await cases.SelectedAsync(ids, ct);
        var counts = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new
        {
            c.Id,
            Comments = db.CaseComments.Count(x => x.CaseId == c.Id),
            Activities = db.Activities.Count(x => x.CaseId == c.Id),
            Emails = db.EmailMessages.Count(x => x.CaseId == c.Id),
            Attachments = db.CaseAttachments.Count(x => x.CaseId == c.Id),
            c.ChildCount,
        }).ToDictionaryAsync(c => c.Id, ct);
        return rows.Select(r => (Row: r, N: counts[r.Id])).Select(x => new MergeCandidate(x.Row, x.N.Comments, x.N.Activities, x.N.Emails, x.N.Attachments, x.N.ChildCount)).ToList();
    }

    /// <summary>
    /// The rules' verdict on merging <paramref name="ids"/> into <paramref name="survivorId"/>, on what is stored now, as the
    /// merge itself will run them (it checks again in its transaction); empty when it would be allowed.
    /// </summary>
    public async Task<IReadOnlyList<CaseRuleViolation>> RefusalsAsync(int survivorId, IReadOnlyList<int> ids, CancellationToken ct)
    {
        var mergedIds = ids.Where(id => id != survivorId).ToList();
        var loaded = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id) || mergedIds.Contains(c.ParentId!.Value)).ToListAsync(ct);
        var survivor = loaded.SingleOrDefault(c => c.Id == survivorId);
        if (survivor is null)
        {
            return [];
        }

        // The settings from the reference-data cache (ADR 0012); the merge itself reads them again in its transaction.
        var maxChildren = (await reference.ParentChildSettingsAsync(ct)).MaxChildren;
        return CaseMergeRules.Check(
            survivor,
            loaded.Where(c => mergedIds.Contains(c.Id)).ToList(),
            loaded.Where(c => c.ParentId is { } p && mergedIds.Contains(p)).ToList(),
            maxChildren);
    }
}
