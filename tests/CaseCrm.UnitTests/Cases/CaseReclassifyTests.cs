using CaseCrm.Domain.Cases;
using Xunit;
using static CaseCrm.UnitTests.Cases.CaseBuilder;

namespace CaseCrm.UnitTests.Cases;

/// <summary><see cref="Case.Reclassify"/>: what "Editar seleccionados" changes on each case, with the checks of the edit form.</summary>
public class CaseReclassifyTests
{
    [Fact]
    public void Reclassify_ChangesOnlyWhatIsGiven_AndRaisesTheVersion()
    {
        var item = Active(1);
        var version = item.Version;

        item.Reclassify(CasePriority.High, null, categoryIsActive: false, null, OtherUserId, Later);

        Assert.Equal(CasePriority.High, item.Priority);
        Assert.Equal(3, item.CategoryId);
        Assert.Equal(CaseStatus.New, item.Status);
        Assert.Equal("Sin suministro eléctrico", item.Title);
        Assert.Equal(version + 1, item.Version);
        Assert.Equal(OtherUserId, item.UpdatedById);
        Assert.Equal(Later, item.UpdatedAt);
    }

    [Fact]
    public void Reclassify_ToAnActiveCategoryAndStatus_ChangesBoth()
    {
        var item = Active(1);

        item.Reclassify(null, 8, categoryIsActive: true, CaseStatus.OnHold, OtherUserId, Later);

        Assert.Equal(8, item.CategoryId);
        Assert.Equal(CaseStatus.OnHold, item.Status);
        Assert.Equal(CasePriority.Normal, item.Priority);
    }

    [Fact]
    public void Reclassify_ToADeactivatedCategory_IsRefused_AndChangesNothing()
    {
        var item = Active(1);

        var ex = Assert.Throws<CaseRuleException>(() => item.Reclassify(CasePriority.High, 8, categoryIsActive: false, null, OtherUserId, Later));

        Assert.Equal(CaseRuleCode.CategoryNotAvailable, ex.Code);
        Assert.Equal(3, item.CategoryId);
        Assert.Equal(CasePriority.Normal, item.Priority);
        Assert.Equal(1, item.Version);
    }

    [Fact]
    public void Reclassify_KeepingACategoryDeactivatedSince_IsAllowed()
    {
        var item = Active(1);

        item.Reclassify(CasePriority.Low, 3, categoryIsActive: false, null, OtherUserId, Later);

        Assert.Equal(CasePriority.Low, item.Priority);
        Assert.Equal(3, item.CategoryId);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public void Reclassify_ToAClosedStatus_IsRefused(CaseStatus status)
    {
        var item = Active(1);

        var ex = Assert.Throws<CaseRuleException>(() => item.Reclassify(null, null, categoryIsActive: true, status, OtherUserId, Later));

        Assert.Equal(CaseRuleCode.InvalidStatusChange, ex.Code);
        Assert.Equal(CaseStatus.New, item.Status);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public void Reclassify_AClosedCase_IsRefusedNamingIt_EvenForThePriority(CaseStatus status)
    {
        var item = ACase(12).WithStatus(status).Build();

        var ex = Assert.Throws<CaseRuleException>(() => item.Reclassify(CasePriority.High, null, categoryIsActive: true, null, OtherUserId, Later));

        var violation = Assert.Single(ex.Violations);
        Assert.Equal(CaseRuleCode.ClosedNotEditable, violation.Code);
        Assert.Equal(12, violation.CaseId);
        Assert.Equal("El caso CAS-000012 está cerrado: reábralo antes de cambiar su prioridad, categoría o estado.",
            violation.FormatMessage(System.Globalization.CultureInfo.GetCultureInfo("es")));
        Assert.Equal(CasePriority.Normal, item.Priority);
        Assert.Equal(status, item.Status);
    }
}
