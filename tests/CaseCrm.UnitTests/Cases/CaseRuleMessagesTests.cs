using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using CaseCrm.Domain.Cases;
using Xunit;
using static CaseCrm.UnitTests.Cases.CaseBuilder;

namespace CaseCrm.UnitTests.Cases;

public partial class CaseRuleMessagesTests
{
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly ResourceManager Resources = new("CaseCrm.Domain.Cases.RuleMessages", typeof(Case).Assembly);

    public static TheoryData<CaseRuleCode> AllCodes => new(Enum.GetValues<CaseRuleCode>());

    [Fact]
    public void ChildCannotHaveChildren_InSpanish_UsesDynamicsWording()
    {
        var violation = ChildCannotHaveChildrenViolation();

        var message = WithUiCulture("es", () => violation.Message);

        Assert.StartsWith("No puede crear casos secundarios para un caso secundario", message, StringComparison.Ordinal);
        Assert.Equal("No puede crear casos secundarios para un caso secundario: CAS-000002 ya es secundario de CAS-000001.", message);
    }

    [Fact]
    public void ChildCannotHaveChildren_InEnglish_IsEnglish()
    {
        var violation = ChildCannotHaveChildrenViolation();

        var message = WithUiCulture("en", () => violation.Message);

        Assert.Equal("You can't create child cases for a child case: CAS-000002 is already a child of CAS-000001.", message);
    }

    [Theory]
    [InlineData("es-ES", "No puede crear casos secundarios")]
    [InlineData("es-MX", "No puede crear casos secundarios")]
    [InlineData("en-US", "You can't create child cases")]
    [InlineData("en-GB", "You can't create child cases")]
    [InlineData("fr-FR", "No puede crear casos secundarios")]
    [InlineData("", "No puede crear casos secundarios")]
    public void Message_InARegionalOrUnsupportedCulture_FallsBackToItsLanguageOrSpanish(string culture, string expectedStart)
    {
        var violation = ChildCannotHaveChildrenViolation();

        var message = WithUiCulture(culture, () => violation.Message);

        Assert.StartsWith(expectedStart, message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParentCannotBeChild_InSpanish_UsesDynamicsWording()
    {
        var child = ACase(2).WithChildren(1).Build();
        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(Active(1), [child], 100));

        Assert.Equal(
            "No puede agregar un caso principal como caso secundario: CAS-000002 tiene casos secundarios.",
            violation.FormatMessage(Spanish));
    }

    [Fact]
    public void TooManyChildren_NamesTheMaximumTheParentAndTheCounts()
    {
        var parent = ACase(1).WithChildren(99).Build();
        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(parent, [Active(2), Active(3)], 100));

        Assert.Equal(
            "Un caso principal no puede tener más de 100 casos secundarios: CAS-000001 tiene 99 y se agregarían 2.",
            violation.FormatMessage(Spanish));
        Assert.Equal(
            "A parent case can't have more than 100 child cases: CAS-000001 has 99 and 2 would be added.",
            violation.FormatMessage(English));
    }

    [Fact]
    public void ParentHasActiveChildren_NamesTheCountAndTheChildren()
    {
        var violation = CaseFamilyRules.CheckClosure(
            ACase(1).WithChildren(3).Build(), [Active(9), Active(4), Active(6)], ClosurePreference.BlockWhileChildrenActive);

        Assert.NotNull(violation);
        Assert.Equal(
            "No puede cerrar el caso principal porque tiene 3 casos secundarios activos: CAS-000004, CAS-000006, CAS-000009.",
            violation.FormatMessage(Spanish));
        Assert.Equal(
            "You can't close the parent case because it has 3 active child cases: CAS-000004, CAS-000006, CAS-000009.",
            violation.FormatMessage(English));
    }

    [Fact]
    public void EveryViolationTheRulesRaise_HasAMessageWithoutUnfilledPlaceholders()
    {
        var grandparent = Active(1);
        var childParent = ACase(2).ChildOf(grandparent).WithStatus(CaseStatus.Closed).Build();
        List<CaseRuleViolation> violations =
        [
            .. CaseFamilyRules.CheckAddChildren(childParent, [childParent, ACase(3).WithChildren(1).Build(), ACase(4).ChildOf(Active(5)).Build()], 1),
            .. CaseFamilyRules.CheckAddChildren(Active(6), [], 100),
            CaseFamilyRules.CheckClosure(ACase(7).WithChildren(1).Build(), [Active(8)], ClosurePreference.BlockWhileChildrenActive)!,
            .. Assert.Throws<CaseRuleException>(() => childParent.Resolve("Hecho.", UserId, Later)).Violations,
            .. Assert.Throws<CaseRuleException>(() => Active(9).Resolve(null, UserId, Later)).Violations,
            .. Assert.Throws<CaseRuleException>(() => Active(10).RemoveChild(Active(11), UserId, Later)).Violations,
        ];

        Assert.Equal(
            [
                CaseRuleCode.ChildCannotHaveChildren, CaseRuleCode.NotActive, CaseRuleCode.TooManyChildren,
                CaseRuleCode.SelfParent, CaseRuleCode.ParentCannotBeChild, CaseRuleCode.AlreadyChild,
                CaseRuleCode.NothingToAssociate, CaseRuleCode.ParentHasActiveChildren, CaseRuleCode.InvalidStatusChange,
                CaseRuleCode.ResolutionRequired, CaseRuleCode.NotChildOfParent,
            ],
            violations.Select(v => v.Code));
        Assert.All(violations, v =>
        {
            foreach (var culture in new[] { Spanish, English })
            {
                var message = v.FormatMessage(culture);
                Assert.DoesNotContain("{", message, StringComparison.Ordinal);
                foreach (var index in Placeholders(Template(v.Code, culture)))
                {
                    Assert.Contains(v.Args[index], message, StringComparison.Ordinal);
                }
            }
        });
    }

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void EveryCode_HasASpanishAndAnEnglishMessage(CaseRuleCode code)
    {
        var violation = new CaseRuleViolation(code, 1, "CAS-000001", "CAS-000002", "3", "4");

        var spanish = violation.FormatMessage(Spanish);
        var english = violation.FormatMessage(English);

        Assert.False(string.IsNullOrWhiteSpace(spanish));
        Assert.False(string.IsNullOrWhiteSpace(english));
        Assert.NotEqual(code.ToString(), spanish);
        Assert.NotEqual(code.ToString(), english);
        Assert.NotEqual(spanish, english);
    }

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void EveryCode_HasItsOwnEntryInBothResourceFiles(CaseRuleCode code)
    {
        Assert.False(string.IsNullOrWhiteSpace(OwnTemplate(code, Spanish)), $"No Spanish message for {code}.");
        Assert.False(string.IsNullOrWhiteSpace(OwnTemplate(code, English)), $"No English message for {code}.");
    }

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void EveryCode_UsesTheSamePlaceholdersInBothLanguages(CaseRuleCode code)
    {
        Assert.Equal(Placeholders(Template(code, Spanish)), Placeholders(Template(code, English)));
    }

    [Theory]
    [InlineData(CaseRuleCode.SelfParent, "CASE-RULE-1")]
    [InlineData(CaseRuleCode.ChildCannotHaveChildren, "CASE-RULE-2")]
    [InlineData(CaseRuleCode.ParentCannotBeChild, "CASE-RULE-3")]
    [InlineData(CaseRuleCode.AlreadyChild, "CASE-RULE-4")]
    [InlineData(CaseRuleCode.NotActive, "CASE-RULE-5")]
    [InlineData(CaseRuleCode.TooManyChildren, "CASE-RULE-6")]
    [InlineData(CaseRuleCode.ParentHasActiveChildren, "CASE-RULE-7")]
    [InlineData(CaseRuleCode.ConcurrentChange, "CASE-RULE-8")]
    [InlineData(CaseRuleCode.ResolutionRequired, "CASE-RULE-20")]
    [InlineData(CaseRuleCode.InvalidStatusChange, "CASE-RULE-21")]
    [InlineData(CaseRuleCode.NotChildOfParent, "CASE-RULE-22")]
    [InlineData(CaseRuleCode.NothingToAssociate, "CASE-RULE-23")]
    [InlineData(CaseRuleCode.StaleEdit, "CASE-RULE-24")]
    [InlineData(CaseRuleCode.CategoryNotAvailable, "CASE-RULE-25")]
    [InlineData(CaseRuleCode.AccountNotFound, "CASE-RULE-26")]
    [InlineData(CaseRuleCode.CommentNotEditable, "CASE-RULE-27")]
    [InlineData(CaseRuleCode.AttachmentNotDeletable, "CASE-RULE-28")]
    [InlineData(CaseRuleCode.AssignOnlySelf, "CASE-RULE-29")]
    [InlineData(CaseRuleCode.AssigneeNotAvailable, "CASE-RULE-30")]
    [InlineData(CaseRuleCode.FileTypeBlocked, "CASE-RULE-31")]
    [InlineData(CaseRuleCode.FileTooLarge, "CASE-RULE-32")]
    [InlineData(CaseRuleCode.FileEmpty, "CASE-RULE-33")]
    [InlineData(CaseRuleCode.FileMissing, "CASE-RULE-34")]
    [InlineData(CaseRuleCode.TooManyFiles, "CASE-RULE-35")]
    [InlineData(CaseRuleCode.CreatedActiveOnly, "CASE-RULE-36")]
    [InlineData(CaseRuleCode.ClosedNotAssignable, "CASE-RULE-37")]
    [InlineData(CaseRuleCode.CaseAttachmentsFull, "CASE-RULE-38")]
    [InlineData(CaseRuleCode.UploadQuotaExceeded, "CASE-RULE-39")]
    [InlineData(CaseRuleCode.FileContentMismatch, "CASE-RULE-40")]
    [InlineData(CaseRuleCode.ActivityClosed, "CASE-RULE-41")]
    [InlineData(CaseRuleCode.ActivityNotYours, "CASE-RULE-42")]
    [InlineData(CaseRuleCode.ActivityAlreadyOpen, "CASE-RULE-43")]
    [InlineData(CaseRuleCode.ActivityOwnerNotAvailable, "CASE-RULE-44")]
    [InlineData(CaseRuleCode.RegardingNotFound, "CASE-RULE-45")]
    [InlineData(CaseRuleCode.AppointmentNeedsTimes, "CASE-RULE-46")]
    [InlineData(CaseRuleCode.AppointmentEndsBeforeStart, "CASE-RULE-47")]
    [InlineData(CaseRuleCode.AttendeeNotAvailable, "CASE-RULE-48")]
    [InlineData(CaseRuleCode.CallNeedsDirection, "CASE-RULE-49")]
    [InlineData(CaseRuleCode.StaleActivityEdit, "CASE-RULE-50")]
    [InlineData(CaseRuleCode.CaseHasOpenActivities, "CASE-RULE-51")]
    [InlineData(CaseRuleCode.UnknownPlaceholder, "CASE-RULE-52")]
    [InlineData(CaseRuleCode.AttachmentInEmail, "CASE-RULE-53")]
    [InlineData(CaseRuleCode.MailboxNotAvailable, "CASE-RULE-54")]
    [InlineData(CaseRuleCode.NoChildToWrite, "CASE-RULE-55")]
    [InlineData(CaseRuleCode.NoRecipient, "CASE-RULE-56")]
    [InlineData(CaseRuleCode.UnknownTimeZone, "CASE-RULE-57")]
    [InlineData(CaseRuleCode.InvalidRange, "CASE-RULE-58")]
    [InlineData(CaseRuleCode.OverlappingRanges, "CASE-RULE-59")]
    [InlineData(CaseRuleCode.NoWorkingHours, "CASE-RULE-60")]
    [InlineData(CaseRuleCode.HolidayOutsideYear, "CASE-RULE-61")]
    [InlineData(CaseRuleCode.DuplicateHoliday, "CASE-RULE-62")]
    [InlineData(CaseRuleCode.TargetNotPositive, "CASE-RULE-63")]
    [InlineData(CaseRuleCode.PolicyExists, "CASE-RULE-64")]
    [InlineData(CaseRuleCode.CalendarInUse, "CASE-RULE-65")]
    [InlineData(CaseRuleCode.AtRiskPercentOutOfRange, "CASE-RULE-66")]
    [InlineData(CaseRuleCode.MergeCount, "CASE-RULE-67")]
    [InlineData(CaseRuleCode.MergeNotActive, "CASE-RULE-68")]
    [InlineData(CaseRuleCode.MergeChildOutsideFamily, "CASE-RULE-69")]
    [InlineData(CaseRuleCode.MergeSurvivorIsChild, "CASE-RULE-70")]
    [InlineData(CaseRuleCode.MergedReadOnly, "CASE-RULE-71")]
    [InlineData(CaseRuleCode.ClosedNotEditable, "CASE-RULE-72")]
    public void ErrorCode_IsStable(CaseRuleCode code, string expected)
    {
        Assert.Equal(expected, new CaseRuleViolation(code).ErrorCode);
    }

    [Fact]
    public void ErrorCodes_CoverEveryCode()
    {
        // A new code must get a stable-code case above.
        Assert.Equal(61, Enum.GetValues<CaseRuleCode>().Length);
    }

    [Fact]
    public void Exception_MessageListsEveryViolationWithItsErrorCode()
    {
        var violations = CaseFamilyRules.CheckAddChildren(ACase(1).WithStatus(CaseStatus.Cancelled).Build(), [ACase(2).WithChildren(1).Build()], 100);

        var ex = WithUiCulture("es", () => new CaseRuleException(violations));

        Assert.Equal(
            "[CASE-RULE-5] El caso CAS-000001 no está activo: solo los casos activos pueden asociarse o recibir casos secundarios. "
            + "[CASE-RULE-3] No puede agregar un caso principal como caso secundario: CAS-000002 tiene casos secundarios.",
            ex.Message);
        Assert.Equal(CaseRuleCode.NotActive, ex.Code);
        Assert.Same(violations, ex.Violations);
    }

    [Fact]
    public void Exception_WithoutViolations_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new CaseRuleException([]));
    }

    private static CaseRuleViolation ChildCannotHaveChildrenViolation()
    {
        var parent = ACase(2).ChildOf(Active(1)).Build();
        return Assert.Single(CaseFamilyRules.CheckCanTakeChildren(parent, 1, 100));
    }

    private static string? Template(CaseRuleCode code, CultureInfo culture) =>
        Resources.GetString(code.ToString(), culture);

    /// <summary>The entry of that culture's own file, without falling back to the neutral (Spanish) one.</summary>
    private static string? OwnTemplate(CaseRuleCode code, CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)?.GetString(code.ToString());

    private static int[] Placeholders(string? template) =>
        [.. PlaceholderPattern().Matches(template ?? string.Empty).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order()];

    [GeneratedRegex(@"\{(\d+)")]
    private static partial Regex PlaceholderPattern();

    private static T WithUiCulture<T>(string culture, Func<T> action)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return action();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
