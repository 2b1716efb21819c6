using CaseCrm.Domain.Cases;
using CaseCrm.Web.Features.Cases;
using CaseCrm.Web.Features.SavedViews;
using Xunit;

namespace CaseCrm.UnitTests.SavedViews;

/// <summary>The filters of a saved view as a query string: written in one order from checked values, read back checked (ADR 0024).</summary>
public class SavedFilterTests
{
    [Fact]
    public void ToQuery_WritesTheCheckedFiltersInOneOrder_WithoutPageAndSize()
    {
        var filter = new CaseListFilter
        {
            Dir = "asc", Sort = "due", Assignee = "none", Priority = CasePriority.Urgent, CategoryId = 7, Q = "  corte de luz ",
            Status = CaseStatus.OnHold, Sla = "atrisk", Age = "1to3", Page = 3, Size = 100,
        };

        Assert.Equal(
            "view=active&q=corte%20de%20luz&status=OnHold&categoryId=7&priority=Urgent&assignee=none&sla=atrisk&age=1to3&sort=due&dir=asc",
            SavedFilter.ToQuery(filter));
    }

    [Theory]
    [InlineData("", "view=active")]
    [InlineData("view=everything&foo=bar", "view=active")]
    [InlineData("VIEW=all&PRIORITY=urgent", "view=all&priority=Urgent")]
    [InlineData("view=all&status=5&priority=-1&categoryId=abc&sort=drop%20table&dir=up&sla=soon&age=forever", "view=all")]
    [InlineData("view=all&categoryId=0&categoryId=9", "view=all")]
    [InlineData("view=all&q=a&q=b&q2=c", "view=all")]
    [InlineData("view=mine&assignee=none&sort=updated&dir=desc", "view=mine&sort=updated&dir=desc")]
    [InlineData("view=all&categoryId=12&assignee=u-1&sla=breached", "view=all&categoryId=12&assignee=u-1&sla=breached")]
    public void Parse_IgnoresUnknownKeys_AndDropsBadValues(string stored, string expected) =>
        Assert.Equal(expected, SavedFilter.ToQuery(SavedFilter.Parse(stored)));

    [Fact]
    public void Parse_DropsASearchTextLongerThanATitle() =>
        Assert.Equal("view=all", SavedFilter.ToQuery(SavedFilter.Parse("view=all&q=" + new string('x', 201))));

    [Fact]
    public void TheWrittenQuery_ReadsBackToItself()
    {
        var query = "view=all&q=%C3%B1and%C3%BA%20%26%20co&categoryId=3&priority=High&sort=title&dir=desc";

        Assert.Equal(query, SavedFilter.ToQuery(SavedFilter.Parse(query)));
        Assert.Equal("ñandú & co", SavedFilter.Parse(query).Q);
    }
}

/// <summary>Who sees and who changes a saved view.</summary>
public class SavedViewRulesTests
{
    [Theory]
    [InlineData(false, "owner", false, true)]
    [InlineData(false, "other", false, false)]
    [InlineData(false, "other", true, false)]
    [InlineData(true, "other", false, false)]
    [InlineData(true, "other", true, true)]
    [InlineData(true, "owner", false, true)]
    public void OnlyTheOwner_OrASupervisorForASharedView_ChangesIt(bool shared, string user, bool isSupervisor, bool editable)
    {
        var view = new SavedView("owner", "Vista", "view=all", shared);

        Assert.Equal(editable, view.IsEditableBy(user, isSupervisor));
        Assert.Equal(shared || user == "owner", SavedView.IsVisibleTo.Compile()(view, user));
    }

    [Fact]
    public void TheName_IsTrimmed_AndComparedWithoutCase()
    {
        var view = new SavedView("owner", "  Urgentes sin asignar ", "view=all", false);

        Assert.Equal(("Urgentes sin asignar", "URGENTES SIN ASIGNAR"), (view.Name, view.NormalizedName));
        Assert.Equal(view.NormalizedName, SavedView.Normalize("urgentes SIN asignar"));
    }
}
