namespace CaseCrm.Domain.Cases;

/// <summary>Stable codes for every refusal of the case rules; the numbers never change.</summary>
public enum CaseRuleCode
{
    /// <summary>Rule 1: a case cannot be its own parent.</summary>
    SelfParent = 1,

    /// <summary>Rule 2: a child case cannot have children.</summary>
    ChildCannotHaveChildren = 2,

    /// <summary>Rule 3: a parent case cannot become a child.</summary>
    ParentCannotBeChild = 3,

    /// <summary>Rule 4: a case that is already a child must be removed from its parent first.</summary>
    AlreadyChild = 4,

    /// <summary>Rule 5: only active cases can be associated or get a new child.</summary>
    NotActive = 5,

    /// <summary>Rule 6: a parent has at most the configured number of children.</summary>
    TooManyChildren = 6,

    /// <summary>Rule 7: a parent with active children cannot be closed (closure preference "block").</summary>
    ParentHasActiveChildren = 7,

    /// <summary>Rule 8: the cases changed while the operation ran and it could not be completed safely.</summary>
    ConcurrentChange = 8,

    /// <summary>Resolving needs a resolution text.</summary>
    ResolutionRequired = 20,

    /// <summary>The status change is not allowed from the current status.</summary>
    InvalidStatusChange = 21,

    /// <summary>The case is not a child of the given parent.</summary>
    NotChildOfParent = 22,

    /// <summary>An association needs a parent and at least one other case.</summary>
    NothingToAssociate = 23,

    /// <summary>Someone saved the case after it was opened for editing.</summary>
    StaleEdit = 24,

    /// <summary>The chosen category does not exist or is no longer active.</summary>
    CategoryNotAvailable = 25,

    /// <summary>The chosen account does not exist.</summary>
    AccountNotFound = 26,

    /// <summary>Only the author, for a short while, or a supervisor may edit or delete a comment.</summary>
    CommentNotEditable = 27,

    /// <summary>Only the uploader or a supervisor may delete an attachment.</summary>
    AttachmentNotDeletable = 28,

    /// <summary>Agents may only take a case themselves; assigning others is for supervisors.</summary>
    AssignOnlySelf = 29,

    /// <summary>The chosen assignee does not exist or is disabled.</summary>
    AssigneeNotAvailable = 30,

    /// <summary>The file's extension is not among the accepted types (<see cref="AttachmentLimits.AllowedExtensions"/>).</summary>
    FileTypeBlocked = 31,

    /// <summary>The file is larger than the configured limit.</summary>
    FileTooLarge = 32,

    /// <summary>The file is empty.</summary>
    FileEmpty = 33,

    /// <summary>An upload without any file.</summary>
    FileMissing = 34,

    /// <summary>More files in one upload than the configured limit.</summary>
    TooManyFiles = 35,

    /// <summary>A new case starts in an active status; resolving, closing and cancelling are commands of their own.</summary>
    CreatedActiveOnly = 36,

    /// <summary>A closed case is not taken or assigned until it is reopened.</summary>
    ClosedNotAssignable = 37,

    /// <summary>The case's attachments together would exceed the configured total.</summary>
    CaseAttachmentsFull = 38,

    /// <summary>The user's uploads in the last hour would exceed the configured quota.</summary>
    UploadQuotaExceeded = 39,

    /// <summary>The file's content is not of the type its extension declares (or, for text, holds markup or is not text).</summary>
    FileContentMismatch = 40,

    /// <summary>A completed or cancelled activity is read-only until it is reopened.</summary>
    ActivityClosed = 41,

    /// <summary>Only the owner of an activity, or a supervisor, may change it.</summary>
    ActivityNotYours = 42,

    /// <summary>Reopening an activity that is open.</summary>
    ActivityAlreadyOpen = 43,

    /// <summary>The chosen owner does not exist or is disabled.</summary>
    ActivityOwnerNotAvailable = 44,

    /// <summary>The case, contact or account named in "Referente a" does not exist.</summary>
    RegardingNotFound = 45,

    /// <summary>An appointment has a start and an end.</summary>
    AppointmentNeedsTimes = 46,

    /// <summary>An appointment ends after it starts.</summary>
    AppointmentEndsBeforeStart = 47,

    /// <summary>An attendee of an appointment does not exist or is disabled.</summary>
    AttendeeNotAvailable = 48,

    /// <summary>A call is incoming or outgoing.</summary>
    CallNeedsDirection = 49,

    /// <summary>Another user saved the activity after this form was opened.</summary>
    StaleActivityEdit = 50,

    /// <summary>A case (or a child closed with it) has open activities: cancel them with it, or go back.</summary>
    CaseHasOpenActivities = 51,

    /// <summary>A quick reply (or a message) names a placeholder that does not exist.</summary>
    UnknownPlaceholder = 52,

    /// <summary>An attachment that an email carries stays with the case: the email is a record of what was sent.</summary>
    AttachmentInEmail = 53,

    /// <summary>The mailbox chosen to send from does not exist or is inactive.</summary>
    MailboxNotAvailable = 54,

    /// <summary>"Responder a todos los secundarios" on a case with no active child whose contact has an email.</summary>
    NoChildToWrite = 55,

    /// <summary>The case's contact has no email to reply to, and no address was given.</summary>
    NoRecipient = 56,

    /// <summary>A calendar's time zone is not an IANA id (such as Europe/Madrid).</summary>
    UnknownTimeZone = 57,

    /// <summary>A range of working hours ends before it starts.</summary>
    InvalidRange = 58,

    /// <summary>Two ranges of working hours of the same day overlap.</summary>
    OverlappingRanges = 59,

    /// <summary>A calendar has no working hours on any day.</summary>
    NoWorkingHours = 60,

    /// <summary>A holiday entered for one year falls in another.</summary>
    HolidayOutsideYear = 61,

    /// <summary>A date appears twice among a year's holidays.</summary>
    DuplicateHoliday = 62,

    /// <summary>A service-level target is zero or negative.</summary>
    TargetNotPositive = 63,

    /// <summary>Another policy has the same priority and category.</summary>
    PolicyExists = 64,

    /// <summary>A calendar that policies count in is not deleted.</summary>
    CalendarInUse = 65,

    /// <summary>A policy's at-risk share is not between 1 and 99 %.</summary>
    AtRiskPercentOutOfRange = 66,

    /// <summary>A merge takes between 2 and 10 cases.</summary>
    MergeCount = 67,

    /// <summary>Only active cases are merged.</summary>
    MergeNotActive = 68,

    /// <summary>A child case is merged only into its own parent or a sibling (or along with its parent).</summary>
    MergeChildOutsideFamily = 69,

    /// <summary>The case that stays is a child, so it cannot take the children of a merged parent.</summary>
    MergeSurvivorIsChild = 70,

    /// <summary>A merged case is read-only.</summary>
    MergedReadOnly = 71,

    /// <summary>A closed case keeps its priority, category and status until it is reopened ("Editar seleccionados").</summary>
    ClosedNotEditable = 72,
}
