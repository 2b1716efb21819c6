using CaseCrm.Domain.Cases;
using Xunit;
using static CaseCrm.UnitTests.Cases.CaseBuilder;

namespace CaseCrm.UnitTests.Cases;

public class CaseFamilyRulesTests
{
    private const int Max = ParentChildSettings.DefaultMaxChildren;

    [Fact]
    public void AddChildren_AcceptsActiveCasesWithoutFamily()
    {
        var parent = Active(1);

        var violations = CaseFamilyRules.CheckAddChildren(parent, [Active(2), Active(3)], Max);

        Assert.Empty(violations);
    }

    [Theory]
    [InlineData(CaseStatus.New)]
    [InlineData(CaseStatus.InProgress)]
    [InlineData(CaseStatus.OnHold)]
    public void AddChildren_AcceptsEveryActiveStatus(CaseStatus status)
    {
        var parent = ACase(1).WithStatus(status).Build();
        var child = ACase(2).WithStatus(status).Build();

        Assert.Empty(CaseFamilyRules.CheckAddChildren(parent, [child], Max));
    }

    [Fact]
    public void AddChildren_AcceptsMoreChildrenForAnExistingParent()
    {
        var parent = ACase(1).WithChildren(2).Build();

        Assert.Empty(CaseFamilyRules.CheckAddChildren(parent, [Active(2)], Max));
    }

    [Fact]
    public void AddChildren_RejectsCaseAsItsOwnParent()
    {
        var parent = Active(7);

        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(parent, [parent], Max));

        Assert.Equal(CaseRuleCode.SelfParent, violation.Code);
        Assert.Equal("CASE-RULE-1", violation.ErrorCode);
        Assert.Equal(7, violation.CaseId);
        Assert.Equal(["CAS-000007"], violation.Args);
    }

    [Fact]
    public void AddChildren_RejectsParentThatIsAChild()
    {
        var grandparent = Active(1);
        var parent = ACase(2).ChildOf(grandparent).Build();

        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(parent, [Active(3)], Max));

        Assert.Equal(CaseRuleCode.ChildCannotHaveChildren, violation.Code);
        Assert.Equal("CASE-RULE-2", violation.ErrorCode);
        Assert.Equal(2, violation.CaseId);
        Assert.Equal(["CAS-000002", "CAS-000001"], violation.Args);
    }

    [Fact]
    public void CanTakeChildren_RejectsNewChildForAChildCase()
    {
        var grandparent = Active(1);
        var parent = ACase(2).ChildOf(grandparent).Build();

        var violation = Assert.Single(CaseFamilyRules.CheckCanTakeChildren(parent, 1, Max));

        Assert.Equal(CaseRuleCode.ChildCannotHaveChildren, violation.Code);
        Assert.Equal(["CAS-000002", "CAS-000001"], violation.Args);
    }

    [Fact]
    public void AddChildren_RejectsChildThatIsAParent()
    {
        var child = ACase(2).WithChildren(1).Build();

        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(Active(1), [child], Max));

        Assert.Equal(CaseRuleCode.ParentCannotBeChild, violation.Code);
        Assert.Equal("CASE-RULE-3", violation.ErrorCode);
        Assert.Equal(2, violation.CaseId);
        Assert.Equal(["CAS-000002"], violation.Args);
    }

    [Fact]
    public void AddChildren_RejectsChildThatAlreadyHasAParent()
    {
        var otherParent = Active(9);
        var child = ACase(2).ChildOf(otherParent).Build();

        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(Active(1), [child], Max));

        Assert.Equal(CaseRuleCode.AlreadyChild, violation.Code);
        Assert.Equal("CASE-RULE-4", violation.ErrorCode);
        Assert.Equal(2, violation.CaseId);
        Assert.Equal(["CAS-000002", "CAS-000009"], violation.Args);
    }

    [Fact]
    public void AddChildren_RejectsChildThatIsAlreadyAChildOfTheSameParent()
    {
        var parent = Active(1);
        var child = ACase(2).ChildOf(parent).Build();

        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(parent, [child], Max));

        Assert.Equal(CaseRuleCode.AlreadyChild, violation.Code);
        Assert.Equal(["CAS-000002", "CAS-000001"], violation.Args);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public void AddChildren_RejectsInactiveParent(CaseStatus status)
    {
        var parent = ACase(1).WithStatus(status).Build();

        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(parent, [Active(2)], Max));

        Assert.Equal(CaseRuleCode.NotActive, violation.Code);
        Assert.Equal("CASE-RULE-5", violation.ErrorCode);
        Assert.Equal(1, violation.CaseId);
        Assert.Equal(["CAS-000001"], violation.Args);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public void CanTakeChildren_RejectsNewChildForInactiveParent(CaseStatus status)
    {
        var parent = ACase(1).WithStatus(status).Build();

        var violation = Assert.Single(CaseFamilyRules.CheckCanTakeChildren(parent, 1, Max));

        Assert.Equal(CaseRuleCode.NotActive, violation.Code);
        Assert.Equal(1, violation.CaseId);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public void AddChildren_RejectsInactiveChild(CaseStatus status)
    {
        var child = ACase(2).WithStatus(status).Build();

        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(Active(1), [child], Max));

        Assert.Equal(CaseRuleCode.NotActive, violation.Code);
        Assert.Equal("CASE-RULE-5", violation.ErrorCode);
        Assert.Equal(2, violation.CaseId);
        Assert.Equal(["CAS-000002"], violation.Args);
    }

    [Fact]
    public void AddChildren_AllowsFillingParentExactlyToMaximum()
    {
        var parent = ACase(1).WithChildren(Max - 2).Build();

        Assert.Empty(CaseFamilyRules.CheckAddChildren(parent, [Active(2), Active(3)], Max));
    }

    [Fact]
    public void AddChildren_RejectsGoingOverMaximum()
    {
        var parent = ACase(1).WithChildren(Max - 1).Build();

        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(parent, [Active(2), Active(3)], Max));

        Assert.Equal(CaseRuleCode.TooManyChildren, violation.Code);
        Assert.Equal("CASE-RULE-6", violation.ErrorCode);
        Assert.Equal(1, violation.CaseId);
        Assert.Equal(["100", "CAS-000001", "99", "2"], violation.Args);
    }

    [Fact]
    public void AddChildren_RejectsMoreNewChildrenThanTheMaximumAtOnce()
    {
        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(Active(1), [Active(2), Active(3), Active(4)], 2));

        Assert.Equal(CaseRuleCode.TooManyChildren, violation.Code);
        Assert.Equal(["2", "CAS-000001", "0", "3"], violation.Args);
    }

    [Fact]
    public void AddChildren_DoesNotCountTheParentItselfTowardsTheMaximum()
    {
        var parent = ACase(1).WithChildren(Max - 1).Build();

        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(parent, [parent, Active(2)], Max));

        Assert.Equal(CaseRuleCode.SelfParent, violation.Code);
    }

    [Theory]
    [InlineData(99, true)]
    [InlineData(100, false)]
    public void CanTakeChildren_AllowsNewChildOnlyWhileBelowMaximum(int existingChildren, bool allowed)
    {
        var parent = ACase(1).WithChildren(existingChildren).Build();

        var violations = CaseFamilyRules.CheckCanTakeChildren(parent, 1, Max);

        if (allowed)
        {
            Assert.Empty(violations);
        }
        else
        {
            var violation = Assert.Single(violations);
            Assert.Equal(CaseRuleCode.TooManyChildren, violation.Code);
            Assert.Equal(["100", "CAS-000001", "100", "1"], violation.Args);
        }
    }

    [Fact]
    public void CanTakeChildren_UsesTheConfiguredMaximum()
    {
        var parent = ACase(1).WithChildren(3).Build();

        Assert.Empty(CaseFamilyRules.CheckCanTakeChildren(parent, 1, 4));
        Assert.Equal(CaseRuleCode.TooManyChildren, Assert.Single(CaseFamilyRules.CheckCanTakeChildren(parent, 2, 4)).Code);
    }

    [Fact]
    public void AddChildren_RejectsEmptySelection()
    {
        var violation = Assert.Single(CaseFamilyRules.CheckAddChildren(Active(1), [], Max));

        Assert.Equal(CaseRuleCode.NothingToAssociate, violation.Code);
        Assert.Equal("CASE-RULE-23", violation.ErrorCode);
        Assert.Null(violation.CaseId);
        Assert.Empty(violation.Args);
    }

    [Fact]
    public void AddChildren_ReportsEveryViolationAcrossSeveralChildren()
    {
        var parent = Active(1);
        var aParent = ACase(2).WithChildren(1).Build();
        var aChildElsewhere = ACase(3).ChildOf(Active(50)).Build();
        var fine = Active(4);
        var closed = ACase(5).WithStatus(CaseStatus.Closed).Build();

        var violations = CaseFamilyRules.CheckAddChildren(parent, [parent, aParent, aChildElsewhere, fine, closed], Max);

        Assert.Equal(
            [
                (CaseRuleCode.SelfParent, (int?)1),
                (CaseRuleCode.ParentCannotBeChild, 2),
                (CaseRuleCode.AlreadyChild, 3),
                (CaseRuleCode.NotActive, 5),
            ],
            violations.Select(v => (v.Code, v.CaseId)));
    }

    [Fact]
    public void AddChildren_ReportsEveryRuleThatOneChildBreaks()
    {
        var child = ACase(2).WithChildren(1).WithStatus(CaseStatus.Cancelled).Build();

        var violations = CaseFamilyRules.CheckAddChildren(Active(1), [child], Max);

        Assert.Equal([CaseRuleCode.ParentCannotBeChild, CaseRuleCode.NotActive], violations.Select(v => v.Code));
        Assert.All(violations, v => Assert.Equal(2, v.CaseId));
    }

    [Fact]
    public void AddChildren_ReportsParentAndChildViolationsTogether()
    {
        var parent = ACase(1).WithChildren(1).ChildOf(Active(60)).WithStatus(CaseStatus.Resolved).Build();
        var child = ACase(2).ChildOf(Active(70)).Build();

        var violations = CaseFamilyRules.CheckAddChildren(parent, [child], 1);

        Assert.Equal(
            [
                (CaseRuleCode.ChildCannotHaveChildren, (int?)1),
                (CaseRuleCode.NotActive, 1),
                (CaseRuleCode.TooManyChildren, 1),
                (CaseRuleCode.AlreadyChild, 2),
            ],
            violations.Select(v => (v.Code, v.CaseId)));
    }

    [Fact]
    public void AddChildren_RejectsMakingAParentTheChildOfItsOwnChild()
    {
        var parent = Active(1);
        var child = ACase(2).ChildOf(parent).Build();

        var violations = CaseFamilyRules.CheckAddChildren(child, [parent], Max);

        Assert.Equal([CaseRuleCode.ChildCannotHaveChildren, CaseRuleCode.ParentCannotBeChild], violations.Select(v => v.Code));
    }

    [Fact]
    public void Closure_WithBlockPreference_RejectsParentWithActiveChildrenNamingThemInOrder()
    {
        var parent = ACase(1).WithChildren(3).Build();
        Case[] activeChildren = [Active(12), Active(3), Active(7)];

        var violation = CaseFamilyRules.CheckClosure(parent, activeChildren, ClosurePreference.BlockWhileChildrenActive);

        Assert.NotNull(violation);
        Assert.Equal(CaseRuleCode.ParentHasActiveChildren, violation.Code);
        Assert.Equal("CASE-RULE-7", violation.ErrorCode);
        Assert.Equal(1, violation.CaseId);
        Assert.Equal(["3", "CAS-000003, CAS-000007, CAS-000012"], violation.Args);
    }

    [Fact]
    public void Closure_WithBlockPreference_AllowsParentWithoutActiveChildren()
    {
        var parent = ACase(1).WithChildren(2).Build();

        Assert.Null(CaseFamilyRules.CheckClosure(parent, [], ClosurePreference.BlockWhileChildrenActive));
    }

    [Theory]
    [InlineData(ClosurePreference.CloseChildren)]
    [InlineData(ClosurePreference.Independent)]
    public void Closure_WithCloseChildrenOrIndependentPreference_AllowsParentWithActiveChildren(ClosurePreference preference)
    {
        var parent = ACase(1).WithChildren(2).Build();

        Assert.Null(CaseFamilyRules.CheckClosure(parent, [Active(2), Active(3)], preference));
    }

    [Fact]
    public void CanBecomeChild_CompiledAgreesWithTheNamedReasons_ForEveryStatusParentAndChildCount()
    {
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            foreach (var hasParent in new[] { false, true })
            {
                foreach (var children in new[] { 0, 1, 5 })
                {
                    var builder = ACase(7).WithStatus(status).WithChildren(children);
                    var item = (hasParent ? builder.ChildOf(Active(1)) : builder).Build();

                    var may = CaseFamilyRules.MayBecomeChild(item);

                    Assert.Equal(status.IsActive() && !hasParent && children == 0, may);
                    Assert.Equal(!may, CaseFamilyRules.WhyNotChild(item).Any());
                }
            }
        }
    }
}
