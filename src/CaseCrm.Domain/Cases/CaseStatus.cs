namespace CaseCrm.Domain.Cases;

/// <summary>Case status; New, InProgress and OnHold are active, the rest closed.</summary>
public enum CaseStatus
{
    New = 1,
    InProgress = 2,
    OnHold = 3,
    Resolved = 4,
    Closed = 5,
    Cancelled = 6,
}

/// <summary>Status groups.</summary>
public static class CaseStatuses
{
    public static readonly IReadOnlyList<CaseStatus> Active = [CaseStatus.New, CaseStatus.InProgress, CaseStatus.OnHold];
    public static readonly IReadOnlyList<CaseStatus> Closed = [CaseStatus.Resolved, CaseStatus.Closed, CaseStatus.Cancelled];

    public static bool IsActive(this CaseStatus status) => status is CaseStatus.New or CaseStatus.InProgress or CaseStatus.OnHold;
}
