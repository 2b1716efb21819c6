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

/// <summary>What the database says about the references a case's fields name, read in the operation's transaction.</summary>
/// <param name="CategoryIsActive">The chosen category exists and is active (not consulted when an edit keeps the case's category).</param>
/// <param name="AccountExists">The chosen account exists (true when none is chosen).</param>
public sealed record CaseReferences(bool CategoryIsActive, bool AccountExists);

/// <summary>
/// A support case. State changes go through named transitions that keep the status rules, and the family
/// operations (<see cref="CreateChildOf"/>, <see cref="AddChildren"/>, <see cref="RemoveChild"/>, closing a parent)
/// check <see cref="CaseFamilyRules"/> themselves and throw <see cref="CaseRuleException"/>.
/// Every change bumps <see cref="Version"/>, the concurrency token.
/// </summary>
public partial class Case
{
    private Case()
    {
        Title = string.Empty;
        Description = string.Empty;
        CreatedById = string.Empty;
        UpdatedById = string.Empty;
    }

    /// <summary>
    /// Opens a new case for a contact, in an active status: closing is a command of its own. <paramref name="submissionKey"/>
    /// is the one-time key of the form that asked for it: the same user's form sent twice creates one case.
    /// </summary>
    public Case(int contactId, CaseFields fields, CaseStatus status, CaseReferences references, string userId, DateTime now, Guid? submissionKey = null)
        : this()
    {
        SubmissionKey = submissionKey;
        if (!status.IsActive())
        {
            throw new CaseRuleException(CaseRuleCode.CreatedActiveOnly);
        }

        CheckReferences(fields, references, keptCategoryId: null);
        ContactId = contactId;
        Apply(fields);
        Status = status;

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

    /// <summary>When the case was given to its assignee; null when unassigned (or assigned before this was recorded).</summary>
    public DateTime? AssignedAt { get; private set; }

    /// <summary>The parent when this case is a child.</summary>
    public int? ParentId { get; private set; }

    /// <summary>How many children this case has; kept by the family operations.</summary>
    public int ChildCount { get; private set; }

    public string CreatedById { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string UpdatedById { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>Concurrency token: raised by every change, checked by every write.</summary>
    public int Version { get; private set; }

    /// <summary>The one-time key of the form that created the case, unique per user: a repeated post finds this case.</summary>
    public Guid? SubmissionKey { get; private set; }

    public bool IsActive => CaseStatuses.IsActive(this);
    public bool IsParent => ChildCount > 0;
    public bool IsChild => ParentId is not null;

    /// <summary>
    /// Creates a case as a child of <paramref name="parent"/> (rules 2, 5, 6). The contact is always the parent's;
    /// the other values are the ones given (the form starts from <see cref="ChildDraft"/>), with
    /// blank required ones (<see cref="InheritedFields.Required"/>) taken from the parent.
    /// </summary>
    public static Case CreateChildOf(
        Case parent, CaseFields fields, CaseStatus status, ParentChildSettings settings, CaseReferences references, string userId, DateTime now,
        Guid? submissionKey = null)
    {
        Refuse(CaseFamilyRules.CheckCanTakeChildren(parent, 1, settings.MaxChildren));
        var child = new Case(
            parent.ContactId, ParentChildSettings.Inherit(fields, parent, InheritedFields.Required), status, references, userId, now, submissionKey)
        {
            ParentId = parent.Id,
        };
        parent.ChildCount++;
        parent.Touch(userId, now);
        return child;
    }

    /// <summary>The fields a new child of this case would be created with, before the agent changes them.</summary>
    public CaseFields ChildDraft(ParentChildSettings settings) =>
        ParentChildSettings.Inherit(new CaseFields(string.Empty, null, 0, null, string.Empty, null, null), this, settings.InheritedFields);

    /// <summary>Why this case cannot have one more child now (rules 2, 5, 6); empty when it can.</summary>
    public IReadOnlyList<CaseRuleViolation> WhyNoNewChild(ParentChildSettings settings) =>
        CaseFamilyRules.CheckCanTakeChildren(this, 1, settings.MaxChildren);

    /// <summary>Makes <paramref name="children"/> children of this case: all of them, or none (rules 1–6, every violation named).</summary>
    public void AddChildren(IReadOnlyCollection<Case> children, ParentChildSettings settings, string userId, DateTime now)
    {
        Refuse(CaseFamilyRules.CheckAddChildren(this, children, settings.MaxChildren));
        foreach (var child in children)
        {
            child.ParentId = Id;
            child.Touch(userId, now);
            ChildCount++;
        }

        Touch(userId, now);
    }

    /// <summary>Removes <paramref name="child"/> from this case's children.</summary>
    public void RemoveChild(Case child, string userId, DateTime now)
    {
        if (child.ParentId != Id)
        {
            throw new CaseRuleException(CaseRuleCode.NotChildOfParent, child.Id, child.Number, Number);
        }

        child.RequireNotMerged();

        child.ParentId = null;
        child.Touch(userId, now);
        ChildCount--;
        Touch(userId, now);
    }

    /// <summary>Changes the editable fields and, among active statuses, the status. The case keeps a category deactivated since.</summary>
    public void Update(CaseFields fields, CaseStatus status, CaseReferences references, string userId, DateTime now)
    {
        RequireNotMerged();
        if (status != Status && !(IsActive && status.IsActive()))
        {
            // Closing and reopening have their own transitions, which apply the closure rules.
            throw new CaseRuleException(CaseRuleCode.InvalidStatusChange, Id, Number);
        }

        if (status == CaseStatus.Resolved && string.IsNullOrWhiteSpace(fields.Resolution))
        {
            throw new CaseRuleException(CaseRuleCode.ResolutionRequired, Id, Number);
        }

        CheckReferences(fields, references, keptCategoryId: CategoryId);
        Apply(fields);
        Status = status;
        Touch(userId, now);
    }

    /// <summary>The statuses a new case may be created in.</summary>
    public static IReadOnlyList<CaseStatus> StatusesForNew => CaseStatuses.Active;

    /// <summary>The statuses the edit form offers: any active one while the case is active; closing and reopening are commands.</summary>
    public static IReadOnlyList<CaseStatus> StatusesForEdit(CaseStatus current) =>
        current.IsActive() ? CaseStatuses.Active : [current];

    /// <summary>Resolves a case that is not a parent.</summary>
    public void Resolve(string? resolution, string userId, DateTime now)
    {
        RequireNotParent();
        Resolve(resolution, [], ClosurePreference.Independent, userId, now);
    }

    /// <summary>
    /// Resolves this case. For a parent, <paramref name="activeChildren"/> are its active children and
    /// <paramref name="preference"/> decides what happens to them (rule 7): refused, resolved with the same
    /// resolution, or left alone. Returns the children closed with it.
    /// </summary>
    public IReadOnlyList<Case> Resolve(
        string? resolution, IReadOnlyCollection<Case> activeChildren, ClosurePreference preference, string userId, DateTime now) =>
        CloseWithChildren(CaseStatus.Resolved, resolution, activeChildren, preference, userId, now);

    /// <summary>Cancels a case that is not a parent.</summary>
    public void Cancel(string userId, DateTime now)
    {
        RequireNotParent();
        Cancel([], ClosurePreference.Independent, userId, now);
    }

    /// <summary>Cancels this case, applying the closure preference to its active children as <see cref="Resolve(string?, IReadOnlyCollection{Case}, ClosurePreference, string, DateTime)"/> does.</summary>
    public IReadOnlyList<Case> Cancel(IReadOnlyCollection<Case> activeChildren, ClosurePreference preference, string userId, DateTime now) =>
        CloseWithChildren(CaseStatus.Cancelled, Resolution, activeChildren, preference, userId, now);

    /// <summary>
    /// Reopens a closed case: it goes back to In progress. A child's <paramref name="parent"/> is touched too, because
    /// the parent's closure decision read this child's status: a concurrent closure of the parent then conflicts.
    /// </summary>
    public void Reopen(Case? parent, string userId, DateTime now)
    {
        RequireNotMerged();
        if (IsActive)
        {
            throw new CaseRuleException(CaseRuleCode.InvalidStatusChange, Id, Number);
        }

        if (parent?.Id != ParentId)
        {
            throw new InvalidOperationException($"Case {Id} reopens with its parent {ParentId}, not {parent?.Id}.");
        }

        Status = CaseStatus.InProgress;
        Touch(userId, now);
        parent?.Touch(userId, now);
    }

    /// <summary>
    /// Assigns the case to a user, or to nobody. Agents may only take a case themselves ("Tomar caso"); supervisors
    /// assign anyone available. A closed case is not taken or assigned until it is reopened.
    /// </summary>
    /// <param name="assigneeIsAvailable">The assignee exists and is active (ignored when assigning to nobody).</param>
    public void AssignTo(string? assigneeId, bool assigneeIsAvailable, string userId, bool isSupervisor, DateTime now)
    {
        if (!IsActive)
        {
            throw new CaseRuleException(CaseRuleCode.ClosedNotAssignable, Id, Number);
        }

        if (!MayAssign(assigneeId, userId, isSupervisor))
        {
            throw new CaseRuleException(CaseRuleCode.AssignOnlySelf, Id);
        }

        if (assigneeId is not null && !assigneeIsAvailable)
        {
            throw new CaseRuleException(CaseRuleCode.AssigneeNotAvailable, Id);
        }

        if (AssignedToId != assigneeId)
        {
            AssignedToId = assigneeId;
            AssignedAt = assigneeId is null ? null : now;
            Touch(userId, now);
        }
    }

    /// <summary>
    /// Changes the priority, the category and the status, each only when given ("Editar seleccionados"), with the checks of
    /// <see cref="Update"/>: a new category must be active, the status changes only among active ones. A closed case is
    /// refused: it is reopened first.
    /// </summary>
    /// <param name="categoryIsActive">The given category exists and is active (not consulted when none is given or it is the case's).</param>
    public void Reclassify(CasePriority? priority, int? categoryId, bool categoryIsActive, CaseStatus? status, string userId, DateTime now)
    {
        if (!IsActive)
        {
            throw new CaseRuleException(CaseRuleCode.ClosedNotEditable, Id, Number);
        }

        var fields = new CaseFields(Title, AccountId, categoryId ?? CategoryId, priority ?? Priority, Description, Resolution, Origin);
        Update(fields, status ?? Status, new CaseReferences(categoryIsActive, AccountExists: true), userId, now);
    }

    /// <summary>Who may assign whom: anyone may take a case; only supervisors assign others or nobody.</summary>
    public static bool MayAssign(string? assigneeId, string userId, bool isSupervisor) => isSupervisor || assigneeId == userId;

    private IReadOnlyList<Case> CloseWithChildren(
        CaseStatus status, string? resolution, IReadOnlyCollection<Case> activeChildren, ClosurePreference preference, string userId, DateTime now)
    {
        if (activeChildren.Any(c => c.ParentId != Id || !c.IsActive))
        {
            throw new InvalidOperationException($"The active children given for case {Id} are not its active children.");
        }

        Close(status, resolution, userId, now);
        if (CaseFamilyRules.CheckClosure(this, activeChildren, preference) is { } violation)
        {
            throw new CaseRuleException([violation]);
        }

        if (preference != ClosurePreference.CloseChildren)
        {
            return [];
        }

        foreach (var child in activeChildren)
        {
            child.Close(status, status == CaseStatus.Resolved ? Resolution : child.Resolution, userId, now);
        }

        return [.. activeChildren];
    }

    private void RequireNotParent()
    {
        if (IsParent)
        {
            throw new InvalidOperationException($"Case {Id} is a parent: it closes with its active children and the closure preference.");
        }
    }

    private void Close(CaseStatus status, string? resolution, string userId, DateTime now)
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

    /// <summary>Records that something about this case's family changed, so that concurrent operations on it conflict.</summary>
    private void Touch(string userId, DateTime now)
    {
        RequireNotMerged();
        UpdatedById = userId;
        UpdatedAt = now;
        Version++;
    }

    // A case keeps a category that was deactivated after it was filed; a new choice must be active.
    private static void CheckReferences(CaseFields fields, CaseReferences references, int? keptCategoryId)
    {
        if (fields.CategoryId != keptCategoryId && !references.CategoryIsActive)
        {
            throw new CaseRuleException(CaseRuleCode.CategoryNotAvailable);
        }

        if (fields.AccountId is not null && !references.AccountExists)
        {
            throw new CaseRuleException(CaseRuleCode.AccountNotFound);
        }
    }

    private static void Refuse(IReadOnlyList<CaseRuleViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw new CaseRuleException(violations);
        }
    }

    private void Apply(CaseFields fields)
    {
        Title = fields.Title.Trim();
        SearchTitle = Text.SearchText.Fold(Title, Limits.CaseTitle);
        AccountId = fields.AccountId;
        CategoryId = fields.CategoryId;
        Priority = fields.Priority;
        Description = fields.Description.Trim();
        Resolution = string.IsNullOrWhiteSpace(fields.Resolution) ? null : fields.Resolution.Trim();
        Origin = fields.Origin;
    }
}
