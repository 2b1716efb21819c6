using System.Globalization;
using System.Resources;

namespace CaseCrm.Domain.Cases;

/// <summary>One broken rule: its stable code, the case it concerns and the values its message names.</summary>
public sealed record CaseRuleViolation(CaseRuleCode Code, int? CaseId, IReadOnlyList<string> Args)
{
    private static readonly ResourceManager Messages =
        new("CaseCrm.Domain.Cases.RuleMessages", typeof(CaseRuleViolation).Assembly);

    public CaseRuleViolation(CaseRuleCode code, int? caseId = null, params string[] args)
        : this(code, caseId, (IReadOnlyList<string>)args)
    {
    }

    /// <summary>The stable code as text, for example "CASE-RULE-2".</summary>
    public string ErrorCode => $"CASE-RULE-{(int)Code}";

    /// <summary>The message in the current UI culture (Spanish unless English is chosen).</summary>
    public string Message => FormatMessage(CultureInfo.CurrentUICulture);

    public string FormatMessage(CultureInfo culture)
    {
        var template = Messages.GetString(Code.ToString(), culture) ?? Code.ToString();
        return string.Format(culture, template, Args.ToArray<object>());
    }
}
