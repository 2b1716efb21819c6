namespace CaseCrm.Domain.Cases;

/// <summary>The channel a case came in through.</summary>
public enum CaseOrigin
{
    Phone = 1,
    Email = 2,
    Web = 3,
    Chat = 4,
}
