namespace CaseCrm.Domain.Cases;

/// <summary>What a history entry records. Values are stored raw (ids, enum names) and shown in the reader's language.</summary>
public enum HistoryField
{
    Created = 1,
    Title = 2,
    Account = 3,
    Category = 4,
    Priority = 5,
    Status = 6,
    Description = 7,
    Resolution = 8,
    Origin = 9,
    AssignedTo = 10,
    Parent = 11,
    ChildAdded = 12,
    ChildRemoved = 13,
    CommentEdited = 14,
    CommentDeleted = 15,
    AttachmentAdded = 16,
    AttachmentDeleted = 17,
    ActivityAdded = 18,
    ActivityChanged = 19,
    ActivityCompleted = 20,
    ActivityCancelled = 21,
    ActivityReopened = 22,
    EmailReceived = 23,
    EmailQueued = 24,
    ChildrenWritten = 25,
    MergedInto = 26,
    MergedFrom = 27,
}

/// <summary>One change of one case: who, when, which field, old and new value. Written in the transaction of the change.</summary>
public class CaseHistoryEntry
{
    public long Id { get; set; }
    public int CaseId { get; set; }
    public string UserId { get; set; } = string.Empty;
    public DateTime At { get; set; }
    public HistoryField Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }

    public static CaseHistoryEntry Of(int caseId, HistoryField field, string? oldValue, string? newValue, string userId, DateTime at) => new()
    {
        CaseId = caseId,
        Field = field,
        OldValue = Cut(oldValue),
        NewValue = Cut(newValue),
        UserId = userId,
        At = at,
    };

    private static string? Cut(string? value) =>
        value is null || value.Length <= Limits.HistoryValue ? value : value[..(Limits.HistoryValue - 1)] + "…";
}
