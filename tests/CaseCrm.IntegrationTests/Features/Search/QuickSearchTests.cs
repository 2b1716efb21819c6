using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Search;

/// <summary>The top bar's quick search: a case number opens the case, one match opens directly, several are listed.</summary>
public abstract class QuickSearchTests(CrmWebFactory factory)
{
    [Fact]
    public async Task ACaseNumber_OpensTheCase_InAnyOfItsForms()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);

        foreach (var q in new[] { Number(item.Id), "  " + Number(item.Id).ToLowerInvariant() + " ", "CAS-" + Invariant(item.Id), Invariant(item.Id) })
        {
            using var response = await client.GetAsync(new Uri("/Search?q=" + Uri.EscapeDataString(q), UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        }
    }

    [Fact]
    public async Task AnUnknownCaseNumber_SaysSo()
    {
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync("/Search?q=CAS-999999");

        Assert.Contains("CAS-999999", page.Text("#search-message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneMatch_OpensIt_AContactOrACase()
    {
        var data = await factory.NewDataAsync();
        var token = Token();
        var contact = await data.ContactAsync(lastName: "Apellido" + token);
        var item = await data.UniqueCaseAsync("Título" + token[2..]);
        var client = await factory.ClientAsync(Roles.Agent);

        using var byName = await client.GetAsync(new Uri("/Search?q=apellido" + token, UriKind.Relative));
        using var byTitle = await client.GetAsync(new Uri("/Search?q=" + Uri.EscapeDataString("título" + token[2..]), UriKind.Relative));

        Assert.Equal($"/Contacts/{contact.Id}", byName.RedirectTarget());
        Assert.Equal($"/Cases/{item.Id}", byTitle.RedirectTarget());
    }

    [Fact]
    public async Task SeveralMatches_AreListed_WithLinksToTheFullLists()
    {
        var data = await factory.NewDataAsync();
        var token = Token();
        var one = await data.ContactAsync(firstName: "Ana", lastName: token);
        var two = await data.ContactAsync(firstName: "Berta", lastName: token);
        var item = await data.UniqueCaseAsync("Caso " + token);
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync("/Search?q=" + token);

        Assert.Equal([one.Id, two.Id], page.RowIds("#search-contacts tbody tr", "data-contact-id"));
        Assert.Equal([item.Id], page.RowIds("#search-cases tbody tr", "data-case-id"));
        Assert.Equal("2 contactos", page.Text("#search-contacts .list-count"));
        Assert.Equal($"/Contacts?q={token}", page.QuerySelector("#all-contacts")!.GetAttribute("href"));
        Assert.Equal($"/Cases?view=all&q={token}", page.QuerySelector("#all-cases")!.GetAttribute("href"));
    }

    [Fact]
    public async Task NothingFound_SaysSo()
    {
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync("/Search?q=" + Token());

        Assert.NotEmpty(page.Text("#search-message"));
        Assert.Empty(page.QuerySelectorAll("#search-contacts, #search-cases"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("CAS-")]
    [InlineData("cas-abc")]
    [InlineData("CAS-99999999999999999999")]
    [InlineData("%_\\\"'<script>;--")]
    [InlineData("\"\" OR 1=1 --")]
    [InlineData("ñandú 💥 ⁦x⁩")]
    [InlineData("12")]
    public async Task OddInput_NeverFails(string q)
    {
        var client = await factory.ClientAsync(Roles.Agent);

        var status = await client.StatusOfGetAsync("/Search?q=" + Uri.EscapeDataString(q));

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Redirect });
    }

    [Fact]
    public async Task VeryLongInput_NeverFails()
    {
        var client = await factory.ClientAsync(Roles.Agent);

        var status = await client.StatusOfGetAsync("/Search?q=" + new string('a', 3000));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task TheTopBar_HasTheSearchForm_AndInicioFirstInTheMenu()
    {
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync("/Contacts");

        var form = page.QuerySelector("form[role=search]#quick-search")!;
        Assert.Equal("/Search", form.GetAttribute("action"));
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.NotNull(form.QuerySelector("input[name=q]"));
        Assert.Equal("/", page.QuerySelector(".sidemenu .nav-link")!.GetAttribute("href"));
    }

    public sealed class Sqlite(SqliteWebFactory factory) : QuickSearchTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : QuickSearchTests(factory), IClassFixture<PostgresWebFactory>;
}
