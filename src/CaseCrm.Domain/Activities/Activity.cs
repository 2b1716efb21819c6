using CaseCrm.Domain.Cases;

namespace CaseCrm.Domain.Activities;

/// <summary>A call, a task or an appointment (design.md, "Activities").</summary>
public enum ActivityType
{
    Call = 1,
    Task = 2,
    Appointment = 3,
}

/// <summary>Open, then completed or cancelled; a closed activity is read-only until it is reopened.</summary>
public enum ActivityStatus
{
    Open = 1,
    Completed = 2,
    Cancelled = 3,
}

public enum ActivityPriority
{
    Low = 1,
    Normal = 2,
    High = 3,
}

/// <summary>A call's direction: the customer called us, or we called them.</summary>
public enum CallDirection
{
    Incoming = 1,
    Outgoing = 2,
}

/// <summary>What an activity is about ("Referente a").</summary>
public enum RegardingType
{
    Case = 1,
    Contact = 2,
    Account = 3,
}

/// <summary>The record an activity is about: a case, a contact or an account.</summary>
public sealed record Regarding(RegardingType Type, int Id);

/// <summary>
/// What a user enters for an activity. Only the fields of its type are kept: <paramref name="DueAt"/> for a task;
/// <paramref name="StartAt"/>, <paramref name="EndAt"/>, <paramref name="Location"/> and <paramref name="AttendeeIds"/> for an
/// appointment; <paramref name="StartAt"/> (when it took place), <paramref name="Direction"/>, <paramref name="Phone"/> and
/// <paramref name="DurationMinutes"/> for a call.
/// Times are UTC.
/// </summary>
public sealed record ActivityFields(
    string Subject,
    string? Description,
    ActivityPriority Priority,
    string OwnerId,
    Regarding? Regarding,
    DateTime? DueAt = null,
    DateTime? StartAt = null,
    DateTime? EndAt = null,
    string? Location = null,
    IReadOnlyList<string>? AttendeeIds = null,
    CallDirection? Direction = null,
    string? Phone = null,
    int? DurationMinutes = null);

/// <summary>What the database says about the records an activity's fields name, read in the operation's transaction.</summary>
/// <param name="OwnerIsAvailable">The owner exists and is active (not consulted when an edit keeps the owner).</param>
/// <param name="RegardingExists">The record named in "Referente a" exists (true when none is named).</param>
/// <param name="AttendeesAreAvailable">Every attendee exists and is active.</param>
/// <param name="RegardingContactId">The contact of the case named in "Referente a" (null for a contact, an account or none).</param>
/// <param name="RegardingAccountId">The account of the case or of the contact named in "Referente a" (null for an account or none).</param>
public sealed record ActivityReferences(
    bool OwnerIsAvailable, bool RegardingExists, bool AttendeesAreAvailable = true, int? RegardingContactId = null, int? RegardingAccountId = null);

/// <summary>
/// A call, task or appointment around a contact or a case. Its changes are named transitions that keep the rules
/// (<see cref="Complete"/>, <see cref="Cancel"/>, <see cref="Reopen"/>, <see cref="Update"/>) and throw
/// <see cref="CaseRuleException"/> with stable codes, like <see cref="Case"/>. The owner works their activities; another
/// user's need a supervisor. <see cref="Version"/> is the concurrency token.
/// </summary>
public class Activity
{
    private readonly List<ActivityAttendee> _attendees = [];

    private Activity()
    {
    }

    public Activity(ActivityType type, ActivityFields fields, ActivityReferences references, string userId, DateTime now)
    {
        Type = type;
        Check(type, fields, references, keptOwnerId: null);
        Apply(fields, references);
        Status = ActivityStatus.Open;
        CreatedById = userId;
        CreatedAt = now;
        UpdatedById = userId;
        UpdatedAt = now;
        Version = 1;
    }

    public int Id { get; private set; }
    public ActivityType Type { get; private set; }
    public string Subject { get; private set; } = string.Empty;
    public string? Description { get; private set; }
    public ActivityPriority Priority { get; private set; }
    public ActivityStatus Status { get; private set; }
    public string OwnerId { get; private set; } = string.Empty;

    public RegardingType? RegardingType { get; private set; }

    /// <summary>The case "Referente a", when it is one: kept apart so that a case's timeline reads it through an index.</summary>
    public int? CaseId { get; private set; }

    /// <summary>The contact "Referente a", when it is one.</summary>
    public int? ContactId { get; private set; }

    /// <summary>The account "Referente a", when it is one.</summary>
    public int? AccountId { get; private set; }

    /// <summary>
    /// The contact whose "Actividades" tab lists this activity: the contact it regards, or the contact of the case it
    /// regards. A case's contact never changes, so only a new "Referente a" changes it.
    /// </summary>
    public int? AroundContactId { get; private set; }

    /// <summary>
    /// The account whose "Actividades" tab lists this activity: the account it regards, or the account of the contact or
    /// of the case it regards. When that contact's or case's account changes, it follows with a set-based UPDATE (the data layer's
    /// <c>ActivityTabs</c>).
    /// </summary>
    public int? AroundAccountId { get; private set; }

    public DateTime? DueAt { get; private set; }
    public DateTime? StartAt { get; private set; }
    public DateTime? EndAt { get; private set; }
    public string? Location { get; private set; }

    /// <summary>The users invited to an appointment.</summary>
    public IReadOnlyList<ActivityAttendee> Attendees => _attendees;

    public CallDirection? Direction { get; private set; }
    public string? Phone { get; private set; }
    public int? DurationMinutes { get; private set; }

    /// <summary>
    /// When the activity is due or takes place, whatever its type: a task's due time, an appointment's or a call's start.
    /// Lists and the calendar sort and filter by it.
    /// </summary>
    public DateTime? ScheduledAt { get; private set; }

    public DateTime? ClosedAt { get; private set; }
    public string CreatedById { get; private set; } = string.Empty;
    public DateTime CreatedAt { get; private set; }
    public string UpdatedById { get; private set; } = string.Empty;
    public DateTime UpdatedAt { get; private set; }
    public int Version { get; private set; }

    public bool IsOpen => Status == ActivityStatus.Open;

    /// <summary>"Referente a" as one value, or null.</summary>
    public Regarding? Regarding => RegardingType switch
    {
        Activities.RegardingType.Case => new Regarding(Activities.RegardingType.Case, CaseId!.Value),
        Activities.RegardingType.Contact => new Regarding(Activities.RegardingType.Contact, ContactId!.Value),
        Activities.RegardingType.Account => new Regarding(Activities.RegardingType.Account, AccountId!.Value),
        _ => null,
    };

    /// <summary>Changes the fields of an open activity (the owner's, or any for a supervisor).</summary>
    public void Update(ActivityFields fields, ActivityReferences references, string userId, bool isSupervisor, DateTime now)
    {
        CheckMayChange(userId, isSupervisor);
        CheckOpen();
        Check(Type, fields, references, keptOwnerId: OwnerId);
        Apply(fields, references);
        Touch(userId, now);
    }

    /// <summary>Marks an open activity done. A call logged without its time took place now.</summary>
    public void Complete(string userId, bool isSupervisor, DateTime now) => Close(ActivityStatus.Completed, userId, isSupervisor, now);

    /// <summary>Cancels an open activity.</summary>
    public void Cancel(string userId, bool isSupervisor, DateTime now) => Close(ActivityStatus.Cancelled, userId, isSupervisor, now);

    /// <summary>Opens a completed or cancelled activity again: its owner or a supervisor.</summary>
    public void Reopen(string userId, bool isSupervisor, DateTime now)
    {
        CheckMayChange(userId, isSupervisor);
        if (IsOpen)
        {
            throw new CaseRuleException(CaseRuleCode.ActivityAlreadyOpen, CaseId);
        }

        Status = ActivityStatus.Open;
        ClosedAt = null;
        Touch(userId, now);
    }

    /// <summary>
    /// The open activities of cases that are being resolved or cancelled: refused, naming the case and how many are open,
    /// unless <paramref name="cancelThem"/>, when they are cancelled with it (in the same transaction) by whoever closes it.
    /// </summary>
    public static void CloseWithCase(string caseNumber, IReadOnlyCollection<Activity> openActivities, bool cancelThem, string userId, DateTime now)
    {
        if (openActivities.Count == 0)
        {
            return;
        }

        if (!cancelThem)
        {
            throw new CaseRuleException(
                CaseRuleCode.CaseHasOpenActivities, openActivities.First().CaseId, caseNumber,
                openActivities.Count.ToString(System.Globalization.CultureInfo.CurrentCulture));
        }

        foreach (var activity in openActivities)
        {
            activity.Status = ActivityStatus.Cancelled;
            activity.ClosedAt = now;
            activity.Touch(userId, now);
        }
    }

    /// <summary>Throws unless <paramref name="userId"/> may change this activity: its owner, or a supervisor.</summary>
    public void CheckMayChange(string userId, bool isSupervisor)
    {
        if (!MayChange(OwnerId, userId, isSupervisor))
        {
            throw new CaseRuleException(CaseRuleCode.ActivityNotYours, CaseId);
        }
    }

    /// <summary>The rule, also from a read model's values (pages use it to show or hide the commands).</summary>
    public static bool MayChange(string ownerId, string? userId, bool isSupervisor) => isSupervisor || ownerId == userId;

    /// <summary>Every rule the fields of an activity of <paramref name="type"/> break, each with its code; empty when none.</summary>
    public static IReadOnlyList<CaseRuleViolation> Violations(ActivityType type, ActivityFields fields, ActivityReferences references, string? keptOwnerId = null)
    {
        var caseId = fields.Regarding?.Type == Activities.RegardingType.Case ? fields.Regarding.Id : (int?)null;
        var violations = new List<CaseRuleViolation>();
        if (fields.OwnerId != keptOwnerId && !references.OwnerIsAvailable)
        {
            violations.Add(new(CaseRuleCode.ActivityOwnerNotAvailable, caseId));
        }

        if (fields.Regarding is not null && !references.RegardingExists)
        {
            violations.Add(new(CaseRuleCode.RegardingNotFound, caseId));
        }

        if (type == ActivityType.Appointment)
        {
            if (fields.StartAt is null || fields.EndAt is null)
            {
                violations.Add(new(CaseRuleCode.AppointmentNeedsTimes, caseId));
            }
            else if (fields.EndAt <= fields.StartAt)
            {
                violations.Add(new(CaseRuleCode.AppointmentEndsBeforeStart, caseId));
            }

            if (!references.AttendeesAreAvailable)
            {
                violations.Add(new(CaseRuleCode.AttendeeNotAvailable, caseId));
            }
        }

        if (type == ActivityType.Call && fields.Direction is null)
        {
            violations.Add(new(CaseRuleCode.CallNeedsDirection, caseId));
        }

        return violations;
    }

    private static void Check(ActivityType type, ActivityFields fields, ActivityReferences references, string? keptOwnerId)
    {
        var violations = Violations(type, fields, references, keptOwnerId);
        if (violations.Count > 0)
        {
            throw new CaseRuleException(violations);
        }
    }

    private void Close(ActivityStatus status, string userId, bool isSupervisor, DateTime now)
    {
        CheckMayChange(userId, isSupervisor);
        CheckOpen();
        Status = status;
        ClosedAt = now;
        if (Type == ActivityType.Call && status == ActivityStatus.Completed && StartAt is null)
        {
            StartAt = now;
            ScheduledAt = now;
        }

        Touch(userId, now);
    }

    private void CheckOpen()
    {
        if (!IsOpen)
        {
            throw new CaseRuleException(CaseRuleCode.ActivityClosed, CaseId);
        }
    }

    private void Apply(ActivityFields fields, ActivityReferences references)
    {
        Subject = fields.Subject.Trim();
        Description = string.IsNullOrWhiteSpace(fields.Description) ? null : fields.Description.Trim();
        Priority = fields.Priority;
        OwnerId = fields.OwnerId;
        RegardingType = fields.Regarding?.Type;
        CaseId = fields.Regarding?.Type == Activities.RegardingType.Case ? fields.Regarding.Id : null;
        ContactId = fields.Regarding?.Type == Activities.RegardingType.Contact ? fields.Regarding.Id : null;
        AccountId = fields.Regarding?.Type == Activities.RegardingType.Account ? fields.Regarding.Id : null;
        AroundContactId = ContactId ?? (CaseId is null ? null : references.RegardingContactId);
        AroundAccountId = AccountId ?? (RegardingType is null ? null : references.RegardingAccountId);
        DueAt = Type == ActivityType.Task ? fields.DueAt : null;
        StartAt = Type is ActivityType.Appointment or ActivityType.Call ? fields.StartAt : null;
        EndAt = Type == ActivityType.Appointment ? fields.EndAt : null;
        Location = Type == ActivityType.Appointment && !string.IsNullOrWhiteSpace(fields.Location) ? fields.Location.Trim() : null;
        var attendees = Type == ActivityType.Appointment ? (fields.AttendeeIds ?? []).ToHashSet(StringComparer.Ordinal) : [];
        _attendees.RemoveAll(a => !attendees.Contains(a.UserId));
        _attendees.AddRange(attendees.Where(id => _attendees.All(a => a.UserId != id)).Select(id => new ActivityAttendee(id)));
        Direction = Type == ActivityType.Call ? fields.Direction : null;
        Phone = Type == ActivityType.Call && !string.IsNullOrWhiteSpace(fields.Phone) ? fields.Phone.Trim() : null;
        DurationMinutes = Type == ActivityType.Call ? fields.DurationMinutes : null;
        ScheduledAt = Type == ActivityType.Task ? DueAt : StartAt;
    }

    private void Touch(string userId, DateTime now)
    {
        UpdatedById = userId;
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>A user invited to an appointment; their calendar shows it.</summary>
public class ActivityAttendee
{
    private ActivityAttendee()
    {
    }

    public ActivityAttendee(string userId) => UserId = userId;

    public int ActivityId { get; private set; }
    public string UserId { get; private set; } = string.Empty;
}
