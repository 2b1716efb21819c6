using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Settings;

/// <summary>
/// Configuración → Casos principales y secundarios: administrators only, validated, refused when stale, and every change
/// applies to the very next operation. Each test starts from the default settings.
/// </summary>
public sealed class ParentChildSettingsTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>, IAsyncLifetime
{
    private const string Url = "/Settings/ParentChild";

    public Task InitializeAsync() => factory.SettingsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_Administrator_SeesTheCurrentSettings()
    {
        var stored = await factory.SettingsAsync(s => s.MaxChildren = 7);
        var client = await factory.ClientAsync(Roles.Administrator);

        var page = await client.GetDocumentAsync(Url);

        var form = page.GetForm(client, "#settings-form");
        Assert.Equal(("true", "true", "true", (string?)null, (string?)null), (form.Get("InheritAccount"), form.Get("InheritCategory"),
            form.Get("InheritPriority"), form.Get("InheritOrigin"), form.Get("InheritDescription")));
        Assert.Equal((nameof(ClosurePreference.BlockWhileChildrenActive), "7", (string?)null, Invariant(stored.Version)),
            (form.Get("ClosurePreference"), form.Get("MaxChildren"), form.Get("LookupsIncludeChildren"), form.Get("Version")));
        Assert.True(page.QuerySelector<IHtmlInputElement>("#inherit-title")!.IsChecked);
        Assert.True(page.QuerySelector("#inherit-title")!.HasAttribute("disabled"));
        Assert.True(page.QuerySelector("#inherit-contact")!.HasAttribute("disabled"));
        Assert.Equal(3, page.QuerySelectorAll("input[name='ClosurePreference']").Length);
        Assert.Contains("Sin restricción", page.Text("#settings-form"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Agent)]
    [InlineData(Roles.Supervisor)]
    public async Task AgentAndSupervisor_Get403ForThePageAndThePost_AndNothingChanges(string role)
    {
        var before = await factory.StoredSettingsAsync();
        var client = await factory.ClientAsync(role);

        Assert.Equal(HttpStatusCode.Forbidden, await client.StatusOfGetAsync(Url));
        using var response = await client.PostWithTokenAsync(Url, Fields(
            ("InheritDescription", "true"), ("ClosurePreference", "CloseChildren"), ("MaxChildren", 1),
            ("LookupsIncludeChildren", "true"), ("Version", before.Version)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Acceso denegado", (await response.ReadHtmlAsync()).Text("h1"));
        var after = await factory.StoredSettingsAsync();
        Assert.Equal(Values(before), Values(after));
    }

    [Theory]
    [InlineData(Roles.Agent)]
    [InlineData(Roles.Supervisor)]
    public async Task TheMenu_OffersTheSettingsOnlyToAdministrators(string role)
    {
        var admin = await factory.ClientAsync(Roles.Administrator);
        var other = await factory.ClientAsync(role);

        Assert.NotNull((await admin.GetDocumentAsync("/Cases")).QuerySelector($"a[href='{Url}']"));
        Assert.Null((await other.GetDocumentAsync("/Cases")).QuerySelector($"a[href='{Url}']"));
    }

    [Fact]
    public async Task Post_Administrator_SavesEveryField()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var form = await client.GetFormAsync(Url, "#settings-form");
        var version = (await factory.StoredSettingsAsync()).Version;

        using var response = await form
            .Remove("InheritAccount").Remove("InheritPriority")
            .Set("InheritDescription", true).Set("InheritOrigin", true)
            .Set("ClosurePreference", ClosurePreference.CloseChildren)
            .Set("MaxChildren", 25)
            .Set("LookupsIncludeChildren", true)
            .PostAsync();

        Assert.Equal(Url, response.RedirectTarget());
        var stored = await factory.StoredSettingsAsync();
        Assert.Equal(
            (InheritedFields.Title | InheritedFields.Category | InheritedFields.Origin | InheritedFields.Description,
                ClosurePreference.CloseChildren, 25, true, version + 1),
            (stored.InheritedFields, stored.ClosurePreference, stored.MaxChildren, stored.LookupsIncludeChildren, stored.Version));
        Assert.Equal("Se guardó la configuración. Se aplica desde la próxima operación.", (await client.FollowAsync(response)).Flash());
    }

    [Fact]
    public async Task Post_TitleAndContact_StayInheritedWhenEveryOptionalFieldIsUnchecked()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var form = await client.GetFormAsync(Url, "#settings-form");

        using var response = await form.Remove("InheritAccount").Remove("InheritCategory").Remove("InheritPriority").PostAsync();

        Assert.Equal(Url, response.RedirectTarget());
        Assert.Equal(InheritedFields.Mandatory, (await factory.StoredSettingsAsync()).InheritedFields);
        var data = await factory.NewDataAsync();
        var parent = await data.CaseAsync(fields: data.Fields(title: "Título heredado " + Token(), priority: CasePriority.High));
        var agent = await factory.ClientAsync(Roles.Agent);
        var page = await agent.GetDocumentAsync($"/Cases/{parent.Id}/Children/Create");
        var child = page.GetForm(agent, "#case-form");
        Assert.Equal((parent.Title, "", ""), (child.Get("Title"), child.Get("CategoryId"), child.Get("Priority")));
        Assert.Equal(data.Contact.FullName, page.Text("#Contact"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("")]
    [InlineData("-3")]
    public async Task Post_MaxChildrenOutOfRange_IsRefusedBesideTheField_AndNothingChanges(string value)
    {
        var before = await factory.StoredSettingsAsync();
        var client = await factory.ClientAsync(Roles.Administrator);
        var form = await client.GetFormAsync(Url, "#settings-form");

        using var response = await form.Set("MaxChildren", value).Set("LookupsIncludeChildren", true).PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("Escriba un número entre 1 y 1000.", page.FieldError("MaxChildren"));
        Assert.Equal("true", page.GetForm(client, "#settings-form").Get("LookupsIncludeChildren"));
        Assert.Equal(Values(before), Values(await factory.StoredSettingsAsync()));
    }

    [Fact]
    public async Task Post_AForgedClosurePreference_IsRefused_AndNothingChanges()
    {
        await factory.SettingsAsync(s => s.ClosurePreference = ClosurePreference.Independent);
        var before = await factory.StoredSettingsAsync();
        var client = await factory.ClientAsync(Roles.Administrator);
        var form = await client.GetFormAsync(Url, "#settings-form");

        using var response = await form.Set("ClosurePreference", "CerrarTodoYa").PostAsync();

        // A value that does not bind must be refused, not saved as the enum's default (blocking closures).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty((await response.ReadHtmlAsync()).ValidationErrors());
        Assert.Equal(Values(before), Values(await factory.StoredSettingsAsync()));
    }

    [Fact]
    public async Task Post_OfAStaleVersion_IsRefused_AndKeepsTheOtherAdministratorsChange()
    {
        var client = await factory.ClientAsync(Roles.Administrator);
        var first = await client.GetFormAsync(Url, "#settings-form");
        var second = await client.GetFormAsync(Url, "#settings-form");
        using (var saved = await first.Set("MaxChildren", 10).PostAsync())
        {
            Assert.Equal(Url, saved.RedirectTarget());
        }

        var afterFirst = await factory.StoredSettingsAsync();

        using var response = await second.Set("MaxChildren", 20).PostAsync();

        var page = await response.PageAsync();
        Assert.Contains("Otro administrador cambió la configuración mientras la editaba. Revise los valores y vuelva a guardar.", page.ValidationErrors());
        Assert.Equal(Values(afterFirst), Values(await factory.StoredSettingsAsync()));
        Assert.Equal(10, afterFirst.MaxChildren);
    }

    // ---- Changes apply to the next operation

    [Fact]
    public async Task MaxChildren_AppliesToTheNextAddition()
    {
        var data = await factory.NewDataAsync();
        var (parent, _) = await data.FamilyAsync(1);
        var another = await data.UniqueCaseAsync();
        await SaveAsAdministratorAsync(form => form.Set("MaxChildren", 1));
        var supervisor = await factory.ClientAsync(Roles.Supervisor);

        var relations = await supervisor.GetDocumentAsync($"/Cases/{parent.Id}?tab=relations");
        Assert.Null(relations.QuerySelector("#add-new-child"));
        using var response = await supervisor.PostWithTokenAsync($"/Cases/{parent.Id}/Children/Add", Fields(("childId", another.Id)));

        var page = await supervisor.FollowAsync(response);
        Assert.Contains($"Un caso principal no puede tener más de 1 casos secundarios: {Number(parent.Id)} tiene 1 y se agregarían 1.",
            page.Alerts(), StringComparison.Ordinal);
        Assert.Null((await factory.CaseAsync(another.Id)).ParentId);
    }

    [Fact]
    public async Task LookupsIncludeChildren_ShowsChildCasesInTheAddExistingPanel_WithoutOfferingToAddThem()
    {
        var data = await factory.NewDataAsync();
        var token = Token();
        var target = await data.UniqueCaseAsync("Destino");
        var otherParent = await data.UniqueCaseAsync("Otro principal");
        var loose = await data.CaseAsync(fields: data.Fields(title: $"Suelto {token}"));
        var child = await data.CaseAsync(fields: data.Fields(title: $"Secundario {token}"));
        await factory.Database.NewCaseService().AddChildrenAsync(otherParent.Id, [child.Id], data.User.Id);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        var panelUrl = $"/Cases/{target.Id}?tab=relations&add=true&find={token}";
        const string Results = "#lookup-results tr[data-case-id]";

        var byDefault = await supervisor.GetDocumentAsync(panelUrl);
        Assert.Equal("Resultados", byDefault.Text("#lookup-title"));
        Assert.Equal([loose.Id], byDefault.RowIds(Results, "data-case-id"));

        await SaveAsAdministratorAsync(form => form.Set("LookupsIncludeChildren", true));
        var withChildren = await supervisor.GetDocumentAsync(panelUrl);

        Assert.Equal([child.Id, loose.Id], withChildren.RowIds(Results, "data-case-id"));
        var childRow = withChildren.QuerySelector($"tr[data-case-id='{child.Id}']")!;
        Assert.Contains($"Ya es secundario de {Number(otherParent.Id)}", childRow.Squashed(), StringComparison.Ordinal);
        Assert.Null(childRow.QuerySelector("form"));
        Assert.NotNull(withChildren.QuerySelector($"tr[data-case-id='{loose.Id}'] form"));
    }

    [Fact]
    public async Task InheritedFields_ChangeTheCreateChildPrefill()
    {
        var data = await factory.NewDataAsync();
        var parent = await data.CaseAsync(fields: data.Fields(
            title: "Alta de suministro " + Token(), priority: CasePriority.High, origin: CaseOrigin.Web, description: "Descripción del principal"));
        var agent = await factory.ClientAsync(Roles.Agent);
        var url = $"/Cases/{parent.Id}/Children/Create";

        var byDefault = await agent.GetFormAsync(url, "#case-form");
        Assert.Equal((parent.Title, Invariant(data.Account.Id), Invariant(data.Category.Id), nameof(CasePriority.High), "", ""),
            (byDefault.Get("Title"), byDefault.Get("AccountId"), byDefault.Get("CategoryId"), byDefault.Get("Priority"), byDefault.Get("Origin"), byDefault.Get("Description")));

        await SaveAsAdministratorAsync(form => form.Remove("InheritPriority").Remove("InheritCategory").Set("InheritOrigin", true).Set("InheritDescription", true));
        var changed = await agent.GetFormAsync(url, "#case-form");

        Assert.Equal((parent.Title, Invariant(data.Account.Id), "", "", nameof(CaseOrigin.Web), "Descripción del principal"),
            (changed.Get("Title"), changed.Get("AccountId"), changed.Get("CategoryId"), changed.Get("Priority"), changed.Get("Origin"), changed.Get("Description")));
    }

    [Fact]
    public async Task ClosurePreference_SavedThroughTheForm_AppliesToTheNextClosure()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        await SaveAsAdministratorAsync(form => form.Set("ClosurePreference", ClosurePreference.CloseChildren));
        var agent = await factory.ClientAsync(Roles.Agent);
        var form = await agent.GetFormAsync($"/Cases/{parent.Id}/Resolve", "#close-form");

        using var response = await form.Set("Resolution", "Cerrado en cascada.").PostAsync();

        Assert.Equal($"/Cases/{parent.Id}", response.RedirectTarget());
        Assert.Equal(CaseStatus.Resolved, (await factory.CaseAsync(children[0].Id)).Status);
    }

    // ---- Helpers

    private async Task SaveAsAdministratorAsync(Action<HtmlForm> change)
    {
        var admin = await factory.ClientAsync(Roles.Administrator);
        var form = await admin.GetFormAsync(Url, "#settings-form");
        change(form);
        using var response = await form.PostAsync();
        Assert.Equal(Url, response.RedirectTarget());
    }

    private static (InheritedFields, ClosurePreference, int, bool, int) Values(ParentChildSettings s) =>
        (s.InheritedFields, s.ClosurePreference, s.MaxChildren, s.LookupsIncludeChildren, s.Version);
}
