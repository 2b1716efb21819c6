using System.Net;
using AngleSharp.Html.Dom;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.SavedViews;

/// <summary>
/// Saved views of the case list, on SQLite and PostgreSQL: "Guardar vista" keeps the filters and sort and the view's tab shows
/// the same rows as the filtered list; a personal view is nobody else's (404); a supervisor shares one and an agent sees it
/// but may not change it (404), nor share one of his own (403); rename and delete; a name taken by the same owner, empty or too long
/// is refused beside the field with nothing saved; a view of a category deactivated since still opens; a stored query is
/// checked when read.
/// </summary>
public abstract class SavedViewTests(CrmWebFactory factory)
{
    private const string Rows = "#cases tbody tr[data-case-id]";

    [Fact]
    public async Task SavingTheFilteredList_AndOpeningItsTab_ShowsTheSameRows()
    {
        var data = await factory.NewDataAsync();
        var urgentUnassigned = await data.UniqueCaseAsync("Urgente sin asignar", priority: CasePriority.Urgent);
        var secondUrgentUnassigned = await data.UniqueCaseAsync("Urgente sin asignar", priority: CasePriority.Urgent);
        var urgentAssigned = await data.UniqueCaseAsync("Urgente asignado", priority: CasePriority.Urgent);
        await data.UniqueCaseAsync("Baja sin asignar", priority: CasePriority.Low);
        await factory.Database.NewCaseService().AssignAsync(urgentAssigned.Id, data.User.Id, data.User.Id, isSupervisor: false);
        var (user, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var filtered = $"/Cases?categoryId={data.Category.Id}&priority=Urgent&assignee=none&sort=number&dir=asc";
        var list = await client.GetDocumentAsync(filtered);
        Assert.Equal([urgentUnassigned.Id, secondUrgentUnassigned.Id], list.RowIds(Rows, "data-case-id"));

        var form = await client.GetFormAsync(list.QuerySelector("#save-view")!.GetAttribute("href")!, "#saved-view-form");
        var shown = await FiltersShownAsync(client, list);
        foreach (var part in new[] { "Lista Casos activos", data.Category.Name, "Urgente", "(sin asignar)", "Orden Número (ascendente)" })
        {
            Assert.Contains(part, shown, StringComparison.Ordinal);
        }

        using var saved = await form.Set("Name", "Urgentes sin asignar").PostAsync();

        var view = await factory.InDbAsync(db => db.SavedViews.AsNoTracking().SingleAsync(v => v.OwnerId == user.Id));
        Assert.Equal(("Urgentes sin asignar", false), (view.Name, view.IsShared));
        Assert.Equal($"view=active&categoryId={data.Category.Id}&priority=Urgent&assignee=none&sort=number&dir=asc", view.Query);
        Assert.EndsWith($"/Cases?{view.Query}&savedView={view.Id}", saved.RedirectTarget(), StringComparison.Ordinal);
        var opened = await client.FollowAsync(saved);
        Assert.Equal("Vista «Urgentes sin asignar» guardada.", opened.Flash());

        // Opened again from the tabs of the plain list.
        var tab = (await client.GetDocumentAsync("/Cases")).QuerySelector($"a[data-saved-view='{view.Id}']");
        Assert.Equal("Urgentes sin asignar", tab?.Squashed());
        var fromTab = await client.GetDocumentAsync(tab!.GetAttribute("href")!);
        Assert.Equal([urgentUnassigned.Id, secondUrgentUnassigned.Id], fromTab.RowIds(Rows, "data-case-id"));
        Assert.Equal("page", fromTab.QuerySelector($"a[data-saved-view='{view.Id}']")?.GetAttribute("aria-current"));
        Assert.Single(fromTab.QuerySelectorAll("#case-views [aria-current='page']"));
        Assert.Equal("Urgent", fromTab.QuerySelector("#priority option[selected]")?.GetAttribute("value"));
        Assert.Equal("none", fromTab.QuerySelector("#assignee option[selected]")?.GetAttribute("value"));
    }

    [Fact]
    public async Task APersonalView_IsNotSeenByAnotherAgent_AndAnswers404ToThem()
    {
        var (_, owner) = await factory.NewSignedInUserAsync(Roles.Agent);
        var (_, other) = await factory.NewSignedInUserAsync(Roles.Agent);
        var name = "Mía " + Token();
        var id = await SaveAsync(owner, "/Cases?view=all&priority=High", name);
        var before = await factory.SnapshotAsync();

        Assert.Empty((await other.GetDocumentAsync("/Cases")).QuerySelectorAll($"a[data-saved-view='{id}']"));
        Assert.DoesNotContain(name, (await other.GetDocumentAsync("/Cases/Views")).Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await other.StatusOfGetAsync($"/Cases/Views/{id}"));
        using (var rename = await other.PostWithTokenAsync($"/Cases/Views/{id}", Fields(("Name", "Robada"))))
        {
            Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);
        }

        using (var delete = await other.PostWithTokenAsync($"/Cases/Views/{id}/Delete"))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }

        await factory.AssertUnchangedAsync(before);
        Assert.Equal(name, await NameAsync(id));
    }

    [Fact]
    public async Task AViewSharedByASupervisor_IsSeenByAnAgent_WhoCannotChangeIt_AnotherSupervisorMay()
    {
        var (_, supervisor) = await factory.NewSignedInUserAsync(Roles.Supervisor);
        var (_, agent) = await factory.NewSignedInUserAsync(Roles.Agent);
        var (_, otherSupervisor) = await factory.NewSignedInUserAsync(Roles.Supervisor);
        var name = "Del equipo " + Token();
        var form = await supervisor.GetFormAsync("/Cases/Views/Create?view=all&sla=breached", "#saved-view-form");
        using (var saved = await form.Set("Name", name).Set("IsShared", "true").PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        var id = await factory.InDbAsync(db => db.SavedViews.Where(v => v.Name == name).Select(v => v.Id).SingleAsync());
        var tab = (await agent.GetDocumentAsync("/Cases")).QuerySelector($"a[data-saved-view='{id}']");
        Assert.Equal($"Vista compartida: {name}", tab?.Squashed());
        var row = (await agent.GetDocumentAsync("/Cases/Views")).QuerySelector($"tr[data-saved-view-id='{id}']")!;
        Assert.Contains("Todo el equipo", row.Squashed(), StringComparison.Ordinal);
        Assert.Empty(row.QuerySelectorAll("form, a[href$='/" + id + "']"));

        var before = await factory.SnapshotAsync();
        Assert.Equal(HttpStatusCode.NotFound, await agent.StatusOfGetAsync($"/Cases/Views/{id}"));
        using (var rename = await agent.PostWithTokenAsync($"/Cases/Views/{id}", Fields(("Name", "Del agente"))))
        {
            Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);
        }

        using (var delete = await agent.PostWithTokenAsync($"/Cases/Views/{id}/Delete"))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }

        await factory.AssertUnchangedAsync(before);

        var edit = await otherSupervisor.GetFormAsync($"/Cases/Views/{id}", "#saved-view-form");
        Assert.Equal("true", edit.Get("IsShared"));
        using (var renamed = await edit.Set("Name", name + " bis").PostAsync())
        {
            Assert.EndsWith("/Cases/Views", renamed.RedirectTarget(), StringComparison.Ordinal);
        }

        Assert.Equal(name + " bis", await NameAsync(id));
    }

    [Fact]
    public async Task AnAgent_CannotShareAView_TheServerRefusesAForgedShare()
    {
        var (user, agent) = await factory.NewSignedInUserAsync(Roles.Agent);
        var form = await agent.GetFormAsync("/Cases/Views/Create?view=all", "#saved-view-form");
        Assert.Null(form.Element.QuerySelector("[name='IsShared']"));

        using (var forged = await form.Set("Name", "Compartida a escondidas").Add("IsShared", "true").PostAsync())
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        Assert.Equal(0, await factory.InDbAsync(db => db.SavedViews.CountAsync(v => v.OwnerId == user.Id)));

        var id = await SaveAsync(agent, "/Cases?view=all", "Personal");
        var edit = await agent.GetFormAsync($"/Cases/Views/{id}", "#saved-view-form");
        using (var forgedEdit = await edit.Add("IsShared", "true").PostAsync())
        {
            Assert.Equal(HttpStatusCode.Forbidden, forgedEdit.StatusCode);
        }

        Assert.False(await factory.InDbAsync(db => db.SavedViews.Where(v => v.Id == id).Select(v => v.IsShared).SingleAsync()));
    }

    [Fact]
    public async Task Rename_ThenDelete_FromVistasGuardadas()
    {
        var (_, agent) = await factory.NewSignedInUserAsync(Roles.Agent);
        var id = await SaveAsync(agent, "/Cases?view=mine&sort=due", "Por vencer");

        var edit = await agent.GetFormAsync($"/Cases/Views/{id}", "#saved-view-form");
        using (var renamed = await edit.Set("Name", "  Lo que vence pronto ").PostAsync())
        {
            Assert.Equal("Vista «Lo que vence pronto» guardada.", (await agent.FollowAsync(renamed)).Flash());
        }

        Assert.Equal("Lo que vence pronto", await NameAsync(id));
        Assert.Equal("view=mine&sort=due", await factory.InDbAsync(db => db.SavedViews.Where(v => v.Id == id).Select(v => v.Query).SingleAsync()));

        var delete = await agent.GetFormAsync("/Cases/Views", $"tr[data-saved-view-id='{id}'] form");
        using (var deleted = await delete.PostAsync())
        {
            var page = await agent.FollowAsync(deleted);
            Assert.Equal("Vista «Lo que vence pronto» eliminada.", page.Flash());
            Assert.Equal("Aún no hay vistas guardadas.", page.Text(".empty"));
        }

        Assert.False(await factory.InDbAsync(db => db.SavedViews.AnyAsync(v => v.Id == id)));
    }

    [Theory]
    [InlineData(" mis URGENTES ", "Ya tienes una vista con ese nombre.")]
    [InlineData("   ", "Escribe un nombre para la vista.")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890", "Escriba como máximo 60 caracteres.")]
    public async Task ADuplicateEmptyOrLongName_IsRefusedBesideTheField_AndNothingIsSaved(string name, string error)
    {
        var (user, agent) = await factory.NewSignedInUserAsync(Roles.Agent);
        await SaveAsync(agent, "/Cases?view=all", "Mis urgentes");
        var before = await factory.SnapshotAsync();

        var form = await agent.GetFormAsync("/Cases/Views/Create?view=all&priority=Urgent", "#saved-view-form");
        using var refused = await form.Set("Name", name).PostAsync();

        var page = await refused.PageAsync();
        Assert.Equal(error, page.FieldError("Name"));
        Assert.Equal("view=all&priority=Urgent", page.GetForm(agent, "#saved-view-form").Get("Query"));
        await factory.AssertUnchangedAsync(before);
        Assert.Equal(1, await factory.InDbAsync(db => db.SavedViews.CountAsync(v => v.OwnerId == user.Id)));

        // The name is unique per owner only.
        var (_, other) = await factory.NewSignedInUserAsync(Roles.Agent);
        await SaveAsync(other, "/Cases?view=all", "Mis urgentes");
    }

    [Fact]
    public async Task AViewOfACategoryDeactivatedSince_StillOpens_AndItsSelectStillShowsTheCategory()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("De la categoría");
        var (_, agent) = await factory.NewSignedInUserAsync(Roles.Agent);
        var id = await SaveAsync(agent, $"/Cases?categoryId={data.Category.Id}", "Categoría antigua");
        await factory.InDbAsync(async db =>
        {
            var category = await db.Categories.SingleAsync(c => c.Id == data.Category.Id);
            category.IsActive = false;
            return await db.SaveChangesAsync();
        });

        var tab = (await agent.GetDocumentAsync("/Cases")).QuerySelector($"a[data-saved-view='{id}']")!;
        var page = await agent.GetDocumentAsync(tab.GetAttribute("href")!);

        Assert.Equal([item.Id], page.RowIds(Rows, "data-case-id"));
        var selected = page.QuerySelector("#categoryId option[selected]");
        Assert.Equal((Invariant(data.Category.Id), data.Category.Name), (selected?.GetAttribute("value"), selected?.TextContent));
        Assert.Contains(data.Category.Name, (await agent.GetDocumentAsync($"/Cases/Views/{id}")).Text("#saved-view-filters"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoredQuery_IsCheckedWhenRead_UnknownKeysAndBadValuesDropped()
    {
        var (user, agent) = await factory.NewSignedInUserAsync(Roles.Agent);
        var id = await factory.InDbAsync(async db =>
        {
            var view = new SavedView(user.Id, "Escrita a mano", "view=all&priority=Bogus&status=5&categoryId=abc&sort=drop%20table&dir=up&foo=bar&assignee=none&q=a&q=b&sla=breached&age=7to30", false);
            db.SavedViews.Add(view);
            await db.SaveChangesAsync();
            return view.Id;
        });

        var tab = (await agent.GetDocumentAsync("/Cases")).QuerySelector($"a[data-saved-view='{id}']")!;

        Assert.EndsWith($"/Cases?view=all&assignee=none&sla=breached&age=7to30&savedView={id}", tab.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await agent.StatusOfGetAsync(tab.GetAttribute("href")!));
    }

    /// <summary>Saves the list at <paramref name="listUrl"/> through its "Guardar vista" link and form; the new view's id.</summary>
    private static async Task<int> SaveAsync(HttpClient client, string listUrl, string name)
    {
        var list = await client.GetDocumentAsync(listUrl);
        var form = await client.GetFormAsync(list.QuerySelector("#save-view")!.GetAttribute("href")!, "#saved-view-form");
        using var saved = await form.Set("Name", name).PostAsync();
        var target = saved.RedirectTarget();
        return int.Parse(target[(target.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> FiltersShownAsync(HttpClient client, IHtmlDocument list) =>
        (await client.GetDocumentAsync(list.QuerySelector("#save-view")!.GetAttribute("href")!)).Text("#saved-view-filters");

    private Task<string> NameAsync(int id) => factory.InDbAsync(db => db.SavedViews.Where(v => v.Id == id).Select(v => v.Name).SingleAsync());

    public sealed class Sqlite(SqliteWebFactory factory) : SavedViewTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : SavedViewTests(factory), IClassFixture<PostgresWebFactory>;
}
