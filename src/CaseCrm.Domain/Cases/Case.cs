namespace CaseCrm.Domain.Cases;

/// <summary>The editable fields of a case, as an agent fills them in.</summary>
public sealed record CaseFields(
    string Title,
    int? AccountId,
    int CategoryId,
    CasePriority? Priority,
    string Description,
    string? Resolution,
    CaseOrigin? Origin);

/// <summary>
/// A support case. State changes go through named transitions that keep the status rules;
/// the parent/child rules are checked by <see cref="CaseFamilyRules"/> before any of them runs.
/// Every change bumps <see cref="Version"/>, the concurrency token.
/// </summary>
public class Case
{
    private Case()
    {
        Title = string.Empty;
        Description = string.Empty;
        CreatedById = string.Empty;
        UpdatedById = string.Empty;
    }

    /// <summary>Opens a new case for a contact. A case created as resolved needs its resolution.</summary>
    public Case(int contactId, CaseFields fields, CaseStatus status, string userId, DateTime now)
        : this()
    {
        ContactId = contactId;
        Apply(fields);
        Status = status;
        RequireResolutionIfResolved();
        CreatedById = userId;
        CreatedAt = now;
        UpdatedById = userId;
        UpdatedAt = now;
        Version = 1;
    }

    /// <summary>Database identity; also the case number.</summary>
    public int Id { get; private set; }

    /// <summary>The number shown to people, CAS-000123.</summary>
    public string Number => CaseNumber.Format(Id);

    public string Title { get; private set; }

    /// <summary>The folded title, for accent- and case-insensitive search.</summary>
    public string SearchTitle { get; private set; } = string.Empty;
    public int ContactId { get; private set; }
    public int? AccountId { get; private set; }
    public int CategoryId { get; private set; }
    public CasePriority? Priority { get; private set; }
    public CaseStatus Status { get; private set; }
    public string Description { get; private set; }
    public string? Resolution { get; private set; }
    public CaseOrigin? Origin { get; private set; }
    public string? AssignedToId { get; private set; }

    /// <summary>The parent when this case is a child.</summary>
    public int? ParentId { get; private set; }

    /// <summary>How many children this case has; kept by <see cref="AddChild"/> and <see cref="RemoveChild"/>.</summary>
    public int ChildCount { get; private set; }

    public string CreatedById { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string UpdatedById { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>Concurrency token: raised by every change, checked by every write.</summary>
    public int Version { get; private set; }

    public bool IsActive => Status.IsActive();
    public bool IsParent => ChildCount > 0;
    public bool IsChild => ParentId is not null;

    /// <summary>Changes the editable fields and, among active statuses, the status.</summary>
    public void Update(CaseFields fields, CaseStatus status, string userId, DateTime now)
    {
        if (status != Status && !(IsActive && status.IsActive()))
        {
            // Closing and reopening have their own transitions, which apply the closure rules.
            throw new CaseRuleException(CaseRuleCode.InvalidStatusChange, Id, Number);
        }

        if (status == CaseStatus.Resolved && string.IsNullOrWhiteSpace(fields.Resolution))
        {
            throw new CaseRuleException(CaseRuleCode.ResolutionRequired, Id, Number);
        }

        Apply(fields);
        Status = status;
        Touch(userId, now);
    }

    /// <summary>Resolves an active case with its resolution text.</summary>
    public void Resolve(string? resolution, string userId, DateTime now) => Close(CaseStatus.Resolved, resolution, userId, now);

    /// <summary>Cancels an active case.</summary>
    public void Cancel(string userId, DateTime now) => Close(CaseStatus.Cancelled, Resolution, userId, now);

    /// <summary>Closes an active case as Resolved, Closed or Cancelled.</summary>
    public void Close(CaseStatus status, string? resolution, string userId, DateTime now)
    {
        if (!IsActive || status.IsActive())
        {
            throw new CaseRuleException(CaseRuleCode.InvalidStatusChange, Id, Number);
        }

        if (status == CaseStatus.Resolved && string.IsNullOrWhiteSpace(resolution))
        {
            throw new CaseRuleException(CaseRuleCode.ResolutionRequired, Id, Number);
        }

        Status = status;
        Resolution = string.IsNullOrWhiteSpace(resolution) ? null : resolution.Trim();
        Touch(userId, now);
    }

    /// <summary>Reopens a closed case: it goes back to In progress.</summary>
    public void Reopen(string userId, DateTime now)
    {
        if (IsActive)
        {
            throw new CaseRuleException(CaseRuleCode.InvalidStatusChange, Id, Number);
        }

        Status = CaseStatus.InProgress;
        Touch(userId, now);
    }

    /// <summary>Assigns the case to a user, or to nobody.</summary>
    public void AssignTo(string? assigneeId, string userId, DateTime now)
    {
        AssignedToId = assigneeId;
        Touch(userId, now);
    }

    /// <summary>Makes <paramref name="child"/> a child of this case. Call only after <see cref="CaseFamilyRules"/> allowed it.</summary>
    public void AddChild(Case child, string userId, DateTime now)
    {
        child.ParentId = Id;
        child.Touch(userId, now);
        ChildCount++;
        Touch(userId, now);
    }

    /// <summary>Links a case being created as a child of this one.</summary>
    public void AddNewChild(Case child, string userId, DateTime now)
    {
        child.ParentId = Id;
        ChildCount++;
        Touch(userId, now);
    }

    /// <summary>Removes <paramref name="child"/> from this case's children.</summary>
    public void RemoveChild(Case child, string userId, DateTime now)
    {
        if (child.ParentId != Id)
        {
            throw new CaseRuleException(CaseRuleCode.NotChildOfParent, child.Id, child.Number, Number);
        }

        child.ParentId = null;
        child.Touch(userId, now);
        ChildCount--;
        Touch(userId, now);
    }

    /// <summary>Records that something about this case's family changed, so that concurrent operations on it conflict.</summary>
    public void Touch(string userId, DateTime now)
    {
        UpdatedById = userId;
        UpdatedAt = now;
        Version++;
    }

    private void Apply(CaseFields fields)
    {
        Title = fields.Title.Trim();
        SearchTitle = Text.SearchText.Fold(Title);
        AccountId = fields.AccountId;
        CategoryId = fields.CategoryId;
        Priority = fields.Priority;
        Description = fields.Description.Trim();
        Resolution = string.IsNullOrWhiteSpace(fields.Resolution) ? null : fields.Resolution.Trim();
        Origin = fields.Origin;
    }

    private void RequireResolutionIfResolved()
    {
        if (Status == CaseStatus.Resolved && Resolution is null)
        {
            throw new CaseRuleException(CaseRuleCode.ResolutionRequired, Id == 0 ? null : Id, Number);
        }
    }
}
