using CaseCrm.Domain.Cases;
using Xunit;
using static CaseCrm.UnitTests.Cases.CaseBuilder;

namespace CaseCrm.UnitTests.Cases;

/// <summary>"Combinar casos": every rule of <see cref="CaseMergeRules"/> and what <see cref="Case.Merge"/> changes.</summary>
public class CaseMergeTests
{
    private const int Max = 100;

    [Fact]
    public void Merge_CancelsTheMergedCases_LinksThemToTheOneThatStays_AndTouchesEveryCase()
    {
        var survivor = Active(1);
        var duplicate = Active(2);
        var another = Active(3);
        var versions = new[] { survivor.Version, duplicate.Version, another.Version };

        survivor.Merge([duplicate, another], [], Max, OtherUserId, Later);

        Assert.Equal((CaseStatus.Cancelled, 1), (duplicate.Status, duplicate.MergedIntoId!.Value));
        Assert.Equal((CaseStatus.Cancelled, 1), (another.Status, another.MergedIntoId!.Value));
        Assert.True(duplicate.IsMerged);
        Assert.False(survivor.IsMerged);
        Assert.Equal(CaseStatus.New, survivor.Status);
        Assert.Equal(versions.Select(v => v + 1), new[] { survivor.Version, duplicate.Version, another.Version });
        Assert.Equal(OtherUserId, duplicate.UpdatedById);
    }

    [Fact]
    public void AMergedParentsChildren_MoveToTheCaseThatStays()
    {
        var survivor = ACase(1).WithChildren(1).Build();
        var parent = Active(2);
        var children = new[] { ACase(21).ChildOf(parent).Build(), ACase(22).ChildOf(parent).Build() };

        survivor.Merge([parent], children, Max, OtherUserId, Later);

        Assert.All(children, c => Assert.Equal(1, c.ParentId));
        Assert.Equal(3, survivor.ChildCount);
        Assert.Equal(0, parent.ChildCount);
        Assert.Equal(CaseStatus.Cancelled, parent.Status);
    }

    [Fact]
    public void AMergedParentsChildren_DoNotMove_PastTheMaximum_AndNothingChanges()
    {
        var survivor = ACase(1).WithChildren(2).Build();
        var parent = Active(2);
        var children = new[] { ACase(21).ChildOf(parent).Build(), ACase(22).ChildOf(parent).Build() };

        var refusal = Assert.Throws<CaseRuleException>(() => survivor.Merge([parent], children, 3, OtherUserId, Later));

        var violation = Assert.Single(refusal.Violations);
        Assert.Equal(CaseRuleCode.TooManyChildren, violation.Code);
        Assert.Equal(["3", "CAS-000001", "2", "2"], violation.Args);
        Assert.Equal((CaseStatus.New, 2, 2), (parent.Status, parent.ChildCount, survivor.ChildCount));
        Assert.All(children, c => Assert.Equal(2, c.ParentId));
    }

    [Fact]
    public void AChildThatStays_CannotTakeTheChildrenOfAMergedParent()
    {
        var top = Active(9);
        var survivor = ACase(1).ChildOf(top).Build();
        var parent = Active(2);
        var child = ACase(21).ChildOf(parent).Build();

        var refusal = Assert.Throws<CaseRuleException>(() => survivor.Merge([parent], [child], Max, OtherUserId, Later));

        var violation = Assert.Single(refusal.Violations);
        Assert.Equal(CaseRuleCode.MergeSurvivorIsChild, violation.Code);
        Assert.Equal(["CAS-000001", "CAS-000009", "CAS-000002"], violation.Args);
    }

    [Fact]
    public void AChild_MayBeMergedIntoItsParent_OrASibling_AndStaysInItsFamily()
    {
        var parent = ACase(1).Build();
        var child = ACase(11).ChildOf(parent).Build();
        var sibling = ACase(12).ChildOf(parent).Build();
        var third = ACase(13).ChildOf(parent).Build();

        parent.Merge([child], [], Max, OtherUserId, Later);
        sibling.Merge([third], [], Max, OtherUserId, Later);

        Assert.Equal((1, CaseStatus.Cancelled, 1), (child.ParentId!.Value, child.Status, child.MergedIntoId!.Value));
        Assert.Equal((1, CaseStatus.Cancelled, 12), (third.ParentId!.Value, third.Status, third.MergedIntoId!.Value));
        Assert.Equal(3, parent.ChildCount);
    }

    [Fact]
    public void AChild_IsNotMergedIntoACaseOutsideItsFamily()
    {
        var parent = Active(1);
        var child = ACase(11).ChildOf(parent).Build();
        var stranger = Active(5);

        var refusal = Assert.Throws<CaseRuleException>(() => stranger.Merge([child], [], Max, OtherUserId, Later));

        var violation = Assert.Single(refusal.Violations);
        Assert.Equal(CaseRuleCode.MergeChildOutsideFamily, violation.Code);
        Assert.Equal(["CAS-000011", "CAS-000001"], violation.Args);
        Assert.Equal(CaseStatus.New, child.Status);
    }

    [Fact]
    public void AChild_MovesWithItsParent_WhenBothAreMerged()
    {
        var survivor = Active(5);
        var parent = Active(1);
        var child = ACase(11).ChildOf(parent).Build();

        survivor.Merge([parent, child], [child], Max, OtherUserId, Later);

        Assert.Equal((5, CaseStatus.Cancelled), (child.ParentId!.Value, child.Status));
        Assert.Equal((1, 0), (survivor.ChildCount, parent.ChildCount));
    }

    [Fact]
    public void MergingAParentIntoItsOwnChild_TheChildLeavesIt_AndTakesItsSiblings()
    {
        var parent = Active(1);
        var survivor = ACase(11).ChildOf(parent).Build();
        var sibling = ACase(12).ChildOf(parent).Build();

        survivor.Merge([parent], [survivor, sibling], Max, OtherUserId, Later);

        Assert.Null(survivor.ParentId);
        Assert.Equal((11, 1), (sibling.ParentId!.Value, survivor.ChildCount));
        Assert.Equal(0, parent.ChildCount);
    }

    [Fact]
    public void OnlyActiveCasesAreMerged_EachClosedOneNamed()
    {
        var survivor = ACase(1).WithStatus(CaseStatus.Resolved).Build();
        var cancelled = ACase(2).WithStatus(CaseStatus.Cancelled).Build();
        var active = Active(3);

        var refusal = Assert.Throws<CaseRuleException>(() => survivor.Merge([cancelled, active], [], Max, OtherUserId, Later));

        Assert.Equal([(CaseRuleCode.MergeNotActive, 1), (CaseRuleCode.MergeNotActive, 2)], refusal.Violations.Select(v => (v.Code, v.CaseId!.Value)));
        Assert.Equal(CaseStatus.New, active.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void AMerge_TakesTwoToTenCases(int merged)
    {
        var survivor = Active(1);
        var others = Enumerable.Range(2, merged).Select(Active).ToList();

        var refusal = Assert.Throws<CaseRuleException>(() => survivor.Merge(others, [], Max, OtherUserId, Later));

        Assert.Equal(CaseRuleCode.MergeCount, Assert.Single(refusal.Violations).Code);
    }

    [Fact]
    public void NineCasesMergeIntoOne()
    {
        var survivor = Active(1);
        var others = Enumerable.Range(2, 9).Select(Active).ToList();

        survivor.Merge(others, [], Max, OtherUserId, Later);

        Assert.All(others, o => Assert.Equal(1, o.MergedIntoId));
    }

    [Fact]
    public void AMergedCase_IsReadOnly()
    {
        var survivor = Active(1);
        var merged = Active(2);
        survivor.Merge([merged], [], Max, OtherUserId, Later);

        var reopen = Assert.Throws<CaseRuleException>(() => merged.Reopen(null, UserId, Later));
        var edit = Assert.Throws<CaseRuleException>(() => merged.Update(Fields("Otro título"), CaseStatus.Cancelled, References, UserId, Later));

        Assert.All([reopen, edit], e => Assert.Equal(CaseRuleCode.MergedReadOnly, e.Code));
        Assert.Equal(["CAS-000002", "CAS-000001"], reopen.Violations[0].Args);
        Assert.Equal(CaseStatus.Cancelled, merged.Status);
        Assert.Throws<CaseRuleException>(() => Active(3).Merge([merged], [], Max, OtherUserId, Later));
    }
}
