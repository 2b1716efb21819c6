namespace CaseCrm.Domain.Cases;

/// <summary>How urgent a case is.</summary>
public enum CasePriority
{
    Low = 1,
    Normal = 2,
    High = 3,
    Urgent = 4,
}
