using CaseCrm.Domain.Cases;
using Xunit;

namespace CaseCrm.UnitTests.Cases;

public class ParentChildSettingsTests
{
    [Fact]
    public void Defaults_MatchTheDesign()
    {
        var settings = new ParentChildSettings();

        Assert.Equal(ParentChildSettings.SingletonId, settings.Id);
        Assert.Equal(
            InheritedFields.Title | InheritedFields.Account | InheritedFields.Category | InheritedFields.Priority,
            settings.InheritedFields);
        Assert.Equal(ClosurePreference.BlockWhileChildrenActive, settings.ClosurePreference);
        Assert.Equal(100, settings.MaxChildren);
        Assert.False(settings.LookupsIncludeChildren);
    }

    [Fact]
    public void InheritedFields_SetToNone_StillKeepsTheTitle()
    {
        var settings = new ParentChildSettings { InheritedFields = InheritedFields.None };

        Assert.Equal(InheritedFields.Title, settings.InheritedFields);
        Assert.True(settings.Inherits(InheritedFields.Title));
        Assert.False(settings.Inherits(InheritedFields.Account));
    }

    [Theory]
    [InlineData(InheritedFields.Account)]
    [InlineData(InheritedFields.Description | InheritedFields.Origin)]
    [InlineData(InheritedFields.Title)]
    [InlineData(InheritedFields.Title | InheritedFields.Priority)]
    public void InheritedFields_AlwaysAddsTheTitleToTheChosenFields(InheritedFields chosen)
    {
        var settings = new ParentChildSettings { InheritedFields = chosen };

        Assert.Equal(chosen | InheritedFields.Title, settings.InheritedFields);
    }

    [Fact]
    public void Inherits_NeedsEveryFlagOfACombination()
    {
        var settings = new ParentChildSettings { InheritedFields = InheritedFields.Category };

        Assert.True(settings.Inherits(InheritedFields.Category));
        Assert.True(settings.Inherits(InheritedFields.Mandatory | InheritedFields.Category));
        Assert.False(settings.Inherits(InheritedFields.Category | InheritedFields.Priority));
        Assert.False(settings.Inherits(InheritedFields.Priority));
    }
}
