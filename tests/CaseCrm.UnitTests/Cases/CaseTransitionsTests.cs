using CaseCrm.Domain.Cases;
using Xunit;
using static CaseCrm.UnitTests.Cases.CaseBuilder;

namespace CaseCrm.UnitTests.Cases;

public class CaseTransitionsTests
{
    [Fact]
    public void New_StoresTrimmedFieldsAtVersionOne()
    {
        var fields = new CaseFields("  Sin gas  ", 5, 3, CasePriority.High, "  Olor a gas.  ", "   ", CaseOrigin.Web);

        var item = new Case(10, fields, CaseStatus.New, References, UserId, Created);

        Assert.Equal("Sin gas", item.Title);
        Assert.Equal("Olor a gas.", item.Description);
        Assert.Null(item.Resolution);
        Assert.Equal(10, item.ContactId);
        Assert.Equal(5, item.AccountId);
        Assert.Equal(3, item.CategoryId);
        Assert.Equal(CasePriority.High, item.Priority);
        Assert.Equal(CaseOrigin.Web, item.Origin);
        Assert.Equal(CaseStatus.New, item.Status);
        Assert.Equal(1, item.Version);
        Assert.Equal(UserId, item.CreatedById);
        Assert.Equal(Created, item.CreatedAt);
        Assert.Equal(UserId, item.UpdatedById);
        Assert.Equal(Created, item.UpdatedAt);
        Assert.False(item.IsParent);
        Assert.False(item.IsChild);
    }

    [Fact]
    public void New_FoldsTheTitleForSearch()
    {
        var item = new Case(10, Fields(" Corte en Peñíscola "), CaseStatus.New, References, UserId, Created);

        Assert.Equal("corte en peniscola", item.SearchTitle);
    }

    [Fact]
    public void Update_RefreshesTheSearchTitle()
    {
        var item = Active(1);

        item.Update(Fields("Avería en ÁVILA"), CaseStatus.New, References, OtherUserId, Later);

        Assert.Equal("averia en avila", item.SearchTitle);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved, "Resuelto.")]
    [InlineData(CaseStatus.Resolved, null)]
    [InlineData(CaseStatus.Closed, null)]
    [InlineData(CaseStatus.Cancelled, null)]
    public void New_InAClosedStatus_IsRefused(CaseStatus status, string? resolution)
    {
        var ex = Assert.Throws<CaseRuleException>(
            () => new Case(10, Fields(resolution: resolution), status, References, UserId, Created));

        Assert.Equal(CaseRuleCode.CreatedActiveOnly, ex.Code);
        Assert.Equal("CASE-RULE-36", Assert.Single(ex.Violations).ErrorCode);
    }

    [Theory]
    [InlineData(CaseStatus.New)]
    [InlineData(CaseStatus.InProgress)]
    [InlineData(CaseStatus.OnHold)]
    public void New_InAnActiveStatus_StartsThere(CaseStatus status)
    {
        Assert.Equal(status, new Case(10, Fields(), status, References, UserId, Created).Status);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public void AssignTo_AClosedCase_IsRefusedUntilReopened(CaseStatus status)
    {
        var item = ACase(1).WithStatus(status).Build();

        var ex = Assert.Throws<CaseRuleException>(() => item.AssignTo(UserId, assigneeIsAvailable: true, UserId, isSupervisor: false, Later));

        Assert.Equal(CaseRuleCode.ClosedNotAssignable, ex.Code);
        Assert.Null(item.AssignedToId);
        item.Reopen(null, OtherUserId, Later);
        item.AssignTo(UserId, assigneeIsAvailable: true, UserId, isSupervisor: false, Later);
        Assert.Equal(UserId, item.AssignedToId);
    }

    [Fact]
    public void Number_IsTheFormattedId()
    {
        Assert.Equal("CAS-000042", Active(42).Number);
    }

    [Fact]
    public void Resolve_SetsStatusAndTrimmedResolution()
    {
        var item = ACase(1).WithStatus(CaseStatus.InProgress).Build();

        item.Resolve("  Se cambió el contador.  ", OtherUserId, Later);

        Assert.Equal(CaseStatus.Resolved, item.Status);
        Assert.Equal("Se cambió el contador.", item.Resolution);
        Assert.False(item.IsActive);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Resolve_WithoutResolution_ThrowsResolutionRequiredAndChangesNothing(string? resolution)
    {
        var item = Active(1);

        var ex = Assert.Throws<CaseRuleException>(() => item.Resolve(resolution, OtherUserId, Later));

        Assert.Equal(CaseRuleCode.ResolutionRequired, ex.Code);
        Assert.Equal(1, ex.Violations[0].CaseId);
        AssertUnchanged(item, CaseStatus.New);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public void Resolve_ClosedCase_ThrowsInvalidStatusChangeAndChangesNothing(CaseStatus status)
    {
        var item = ACase(4).WithStatus(status).Build();

        var ex = Assert.Throws<CaseRuleException>(() => item.Resolve("Otra vez.", OtherUserId, Later));

        var violation = Assert.Single(ex.Violations);
        Assert.Equal(CaseRuleCode.InvalidStatusChange, violation.Code);
        Assert.Equal("CASE-RULE-21", violation.ErrorCode);
        Assert.Equal(4, violation.CaseId);
        Assert.Equal(["CAS-000004"], violation.Args);
        AssertUnchanged(item, status);
    }

    [Fact]
    public void Cancel_SetsStatusCancelled()
    {
        var item = ACase(1).WithStatus(CaseStatus.OnHold).Build();

        item.Cancel(OtherUserId, Later);

        Assert.Equal(CaseStatus.Cancelled, item.Status);
        Assert.False(item.IsActive);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public void Cancel_ClosedCase_ThrowsInvalidStatusChange(CaseStatus status)
    {
        var item = ACase(1).WithStatus(status).Build();

        var ex = Assert.Throws<CaseRuleException>(() => item.Cancel(OtherUserId, Later));

        Assert.Equal(CaseRuleCode.InvalidStatusChange, ex.Code);
        AssertUnchanged(item, status);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public void Reopen_ClosedCase_GoesBackToInProgress(CaseStatus status)
    {
        var item = ACase(1).WithStatus(status).Build();

        item.Reopen(null, OtherUserId, Later);

        Assert.Equal(CaseStatus.InProgress, item.Status);
        Assert.True(item.IsActive);
    }

    [Theory]
    [InlineData(CaseStatus.New)]
    [InlineData(CaseStatus.InProgress)]
    [InlineData(CaseStatus.OnHold)]
    public void Reopen_ActiveCase_ThrowsInvalidStatusChangeAndChangesNothing(CaseStatus status)
    {
        var item = ACase(8).WithStatus(status).Build();

        var ex = Assert.Throws<CaseRuleException>(() => item.Reopen(null, OtherUserId, Later));

        Assert.Equal(CaseRuleCode.InvalidStatusChange, ex.Code);
        Assert.Equal(["CAS-000008"], ex.Violations[0].Args);
        AssertUnchanged(item, status);
    }

    [Fact]
    public void AssignTo_SetsTheAssignee()
    {
        var item = Active(1);

        item.AssignTo("agent-7", assigneeIsAvailable: true, OtherUserId, isSupervisor: true, Later);

        Assert.Equal("agent-7", item.AssignedToId);
    }

    [Fact]
    public void AssignTo_Nobody_ClearsTheAssignee()
    {
        var item = Active(1);
        item.AssignTo("agent-7", assigneeIsAvailable: true, OtherUserId, isSupervisor: true, Later);

        item.AssignTo(null, assigneeIsAvailable: false, OtherUserId, isSupervisor: true, Later);

        Assert.Null(item.AssignedToId);
    }

    [Fact]
    public void Update_ChangesFieldsAndMovesBetweenActiveStatuses()
    {
        var item = Active(1);

        item.Update(Fields(" Corte parcial ", CasePriority.Urgent), CaseStatus.OnHold, References, OtherUserId, Later);

        Assert.Equal("Corte parcial", item.Title);
        Assert.Equal(CasePriority.Urgent, item.Priority);
        Assert.Equal(CaseStatus.OnHold, item.Status);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public void Update_MovingToAClosedStatus_ThrowsInvalidStatusChangeAndChangesNothing(CaseStatus target)
    {
        var item = ACase(3).WithStatus(CaseStatus.InProgress).Build();

        var ex = Assert.Throws<CaseRuleException>(
            () => item.Update(Fields("Otro título", resolution: "Resuelto."), target, References, OtherUserId, Later));

        var violation = Assert.Single(ex.Violations);
        Assert.Equal(CaseRuleCode.InvalidStatusChange, violation.Code);
        Assert.Equal("CASE-RULE-21", violation.ErrorCode);
        Assert.Equal(3, violation.CaseId);
        Assert.Equal("Sin suministro eléctrico", item.Title);
        AssertUnchanged(item, CaseStatus.InProgress);
    }

    [Fact]
    public void Update_ClosedCaseBackToAnActiveStatus_ThrowsInvalidStatusChange()
    {
        var item = ACase(1).WithStatus(CaseStatus.Closed).Build();

        var ex = Assert.Throws<CaseRuleException>(() => item.Update(Fields(), CaseStatus.InProgress, References, OtherUserId, Later));

        Assert.Equal(CaseRuleCode.InvalidStatusChange, ex.Code);
        AssertUnchanged(item, CaseStatus.Closed);
    }

    [Fact]
    public void Update_ResolvedCaseKeepingItsStatus_ChangesFields()
    {
        var item = ACase(1).WithStatus(CaseStatus.Resolved).Build();

        item.Update(Fields("Título corregido", resolution: "Resolución corregida."), CaseStatus.Resolved, References, OtherUserId, Later);

        Assert.Equal("Título corregido", item.Title);
        Assert.Equal("Resolución corregida.", item.Resolution);
        Assert.Equal(CaseStatus.Resolved, item.Status);
    }

    [Fact]
    public void Update_ResolvedCaseWithBlankResolution_ThrowsResolutionRequiredAndChangesNothing()
    {
        var item = ACase(1).WithStatus(CaseStatus.Resolved).WithResolution("Se cambió el contador.").Build();

        var ex = Assert.Throws<CaseRuleException>(
            () => item.Update(Fields("Título corregido", resolution: " "), CaseStatus.Resolved, References, OtherUserId, Later));

        Assert.Equal(CaseRuleCode.ResolutionRequired, ex.Code);
        Assert.Equal("Sin suministro eléctrico", item.Title);
        Assert.Equal("Se cambió el contador.", item.Resolution);
        AssertUnchanged(item, CaseStatus.Resolved);
    }

    [Theory]
    [InlineData(nameof(Case.Update))]
    [InlineData(nameof(Case.Resolve))]
    [InlineData(nameof(Case.Cancel))]
    [InlineData(nameof(Case.Reopen))]
    [InlineData(nameof(Case.AssignTo))]
    public void EveryChange_RaisesVersionAndRecordsWhoAndWhen(string change)
    {
        var item = change == nameof(Case.Reopen) ? ACase(1).WithStatus(CaseStatus.Cancelled).Build() : Active(1);
        var before = item.Version;

        Apply(item, change);

        Assert.Equal(before + 1, item.Version);
        Assert.Equal(OtherUserId, item.UpdatedById);
        Assert.Equal(Later, item.UpdatedAt);
        Assert.Equal(UserId, item.CreatedById);
        Assert.Equal(Created, item.CreatedAt);
    }

    [Fact]
    public void AddChild_LinksChildAndCountsIt()
    {
        var parent = Active(1);
        var child = Active(2);

        parent.AddChildren([child], Settings, OtherUserId, Later);

        Assert.Equal(1, child.ParentId);
        Assert.Equal(1, parent.ChildCount);
        Assert.True(parent.IsParent);
        Assert.True(child.IsChild);
        Assert.False(parent.IsChild);
        Assert.False(child.IsParent);
    }

    [Fact]
    public void AddChild_RaisesVersionOfParentAndChild()
    {
        var parent = Active(1);
        var child = Active(2);

        parent.AddChildren([child], Settings, OtherUserId, Later);

        Assert.Equal(2, parent.Version);
        Assert.Equal(2, child.Version);
        Assert.Equal(OtherUserId, parent.UpdatedById);
        Assert.Equal(Later, parent.UpdatedAt);
        Assert.Equal(OtherUserId, child.UpdatedById);
        Assert.Equal(Later, child.UpdatedAt);
    }

    [Fact]
    public void AddChildren_CountsEveryChildAndRaisesTheParentsVersionOnce()
    {
        var parent = Active(1);

        parent.AddChildren([Active(2), Active(3), Active(4)], Settings, OtherUserId, Later);

        Assert.Equal(3, parent.ChildCount);
        Assert.Equal(2, parent.Version);
    }

    [Fact]
    public void CreateChildOf_LinksNewCaseAndRaisesParentVersion()
    {
        var parent = Active(1);
        var child = Case.CreateChildOf(parent, Fields("Sin gas"), CaseStatus.New, Settings, References, OtherUserId, Later);

        Assert.Equal(1, child.ParentId);
        Assert.Equal(1, parent.ChildCount);
        Assert.Equal(2, parent.Version);
        Assert.Equal(1, child.Version);
    }

    [Fact]
    public void RemoveChild_UnlinksChildAndUncountsIt()
    {
        var parent = ACase(1).WithChildren(2).Build();
        var child = ACase(2).ChildOf(parent).Build();

        parent.RemoveChild(child, OtherUserId, Later);

        Assert.Null(child.ParentId);
        Assert.False(child.IsChild);
        Assert.Equal(2, parent.ChildCount);
        Assert.True(parent.IsParent);
    }

    [Fact]
    public void RemoveChild_OfLastChild_LeavesParentWithoutChildren()
    {
        var parent = Active(1);
        var child = ACase(2).ChildOf(parent).Build();

        parent.RemoveChild(child, OtherUserId, Later);

        Assert.Equal(0, parent.ChildCount);
        Assert.False(parent.IsParent);
    }

    [Fact]
    public void RemoveChild_RaisesVersionOfParentAndChild()
    {
        var parent = Active(1);
        var child = ACase(2).ChildOf(parent).Build();
        var (parentVersion, childVersion) = (parent.Version, child.Version);

        parent.RemoveChild(child, OtherUserId, Later);

        Assert.Equal(parentVersion + 1, parent.Version);
        Assert.Equal(childVersion + 1, child.Version);
        Assert.Equal(Later, parent.UpdatedAt);
        Assert.Equal(Later, child.UpdatedAt);
    }

    [Fact]
    public void RemoveChild_OfCaseWithoutParent_ThrowsNotChildOfParentAndChangesNothing()
    {
        var parent = ACase(1).WithChildren(1).Build();
        var stranger = Active(2);
        var parentVersion = parent.Version;

        var ex = Assert.Throws<CaseRuleException>(() => parent.RemoveChild(stranger, OtherUserId, Later));

        var violation = Assert.Single(ex.Violations);
        Assert.Equal(CaseRuleCode.NotChildOfParent, violation.Code);
        Assert.Equal("CASE-RULE-22", violation.ErrorCode);
        Assert.Equal(2, violation.CaseId);
        Assert.Equal(["CAS-000002", "CAS-000001"], violation.Args);
        Assert.Equal(1, parent.ChildCount);
        Assert.Equal(parentVersion, parent.Version);
        Assert.Equal(1, stranger.Version);
    }

    [Fact]
    public void RemoveChild_OfAnotherParentsChild_ThrowsNotChildOfParentAndKeepsItsParent()
    {
        var parent = ACase(1).WithChildren(1).Build();
        var otherParent = Active(9);
        var child = ACase(2).ChildOf(otherParent).Build();

        var ex = Assert.Throws<CaseRuleException>(() => parent.RemoveChild(child, OtherUserId, Later));

        Assert.Equal(CaseRuleCode.NotChildOfParent, ex.Code);
        Assert.Equal(9, child.ParentId);
        Assert.Equal(1, otherParent.ChildCount);
        Assert.Equal(1, parent.ChildCount);
    }

    private static void Apply(Case item, string change)
    {
        switch (change)
        {
            case nameof(Case.Update):
                item.Update(Fields("Nuevo título"), CaseStatus.InProgress, References, OtherUserId, Later);
                break;
            case nameof(Case.Resolve):
                item.Resolve("Resuelto.", OtherUserId, Later);
                break;
            case nameof(Case.Cancel):
                item.Cancel(OtherUserId, Later);
                break;
            case nameof(Case.Reopen):
                item.Reopen(null, OtherUserId, Later);
                break;
            case nameof(Case.AssignTo):
                item.AssignTo("agent-7", assigneeIsAvailable: true, OtherUserId, isSupervisor: true, Later);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, "Unknown change.");
        }
    }

    /// <summary>A refused transition leaves the status, the version and the audit columns as they were.</summary>
    private static void AssertUnchanged(Case item, CaseStatus status)
    {
        Assert.Equal(status, item.Status);
        Assert.Equal(1, item.Version);
        Assert.Equal(UserId, item.UpdatedById);
        Assert.Equal(Created, item.UpdatedAt);
    }
}
