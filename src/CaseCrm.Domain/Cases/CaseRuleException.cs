namespace CaseCrm.Domain.Cases;

/// <summary>Thrown when an operation would break a case rule; nothing was written.</summary>
public sealed class CaseRuleException : Exception
{
    public CaseRuleException(IReadOnlyList<CaseRuleViolation> violations)
        : base(string.Join(" ", violations.Select(v => $"[{v.ErrorCode}] {v.Message}")))
    {
        if (violations.Count == 0)
        {
            throw new ArgumentException("At least one violation is needed.", nameof(violations));
        }

        Violations = violations;
    }

    public CaseRuleException(CaseRuleCode code, int? caseId = null, params string[] args)
        : this([new CaseRuleViolation(code, caseId, args)])
    {
    }

    public IReadOnlyList<CaseRuleViolation> Violations { get; }

    /// <summary>The code of the first violation.</summary>
    public CaseRuleCode Code => Violations[0].Code;
}
