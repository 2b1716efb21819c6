using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using static CaseCrm.IntegrationTests.Features.CaseFamily.FamilyPages;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.CaseFamily;

/// <summary>
/// Every parent/child rule through the pages that use it, on SQLite and on PostgreSQL: each refusal is shown on the page
/// with the rule's Spanish message, and the database is left exactly as it was. Each test starts from the default settings.
/// </summary>
public abstract class FamilyRuleTests(CrmWebFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.SettingsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    // ---- Rule 1: a case cannot be its own parent

    [Fact]
    public async Task AddExisting_TheCaseItself_IsRefused_SelfParent()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AddExistingAsync(client, item.Id, item.Id);

        Assert.Contains($"El caso {Number(item.Id)} no puede ser su propio caso principal.", page.Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Rule 2: no grandchildren

    [Fact]
    public async Task Associate_WithAChildAsTheParent_IsRefused_NoGrandchildren()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        var other = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AssociateAsync(client, children[0].Id, children[0].Id, other.Id);

        var errors = page.Text("#associate-errors");
        Assert.Contains("No se cambió ningún caso. Estos casos no cumplen las reglas:", errors, StringComparison.Ordinal);
        Assert.Contains($"No puede crear casos secundarios para un caso secundario: {Number(children[0].Id)} ya es secundario de {Number(parent.Id)}.",
            errors, StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AddExisting_ToAChild_IsRefused_NoGrandchildren()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        var other = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AddExistingAsync(client, children[0].Id, other.Id);

        Assert.Contains($"No puede crear casos secundarios para un caso secundario: {Number(children[0].Id)} ya es secundario de {Number(parent.Id)}.",
            page.Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task CreateChild_OfAChild_SaysWhyOnTheCommand_RefusesTheForm_AndARepost()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        var child = children[0];
        var message = $"No puede crear casos secundarios para un caso secundario: {Number(child.Id)} ya es secundario de {Number(parent.Id)}.";
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        // The command bar says why before any form is filled.
        var detail = await client.GetDocumentAsync($"/Cases/{child.Id}");
        Assert.Equal("true", detail.QuerySelector("#create-child")?.GetAttribute("aria-disabled"));
        Assert.Equal(message, detail.Text("#create-child-reason"));

        // Opening the form anyway sends the agent back to the case with the reason.
        using var opened = await client.GetAsync(new Uri($"/Cases/{child.Id}/Children/Create", UriKind.Relative));
        Assert.Equal($"/Cases/{child.Id}", opened.RedirectTarget());
        Assert.Contains(message, (await client.FollowAsync(opened)).Alerts(), StringComparison.Ordinal);

        // A forged post is refused by the same rule.
        using var posted = await client.PostWithTokenAsync($"/Cases/{child.Id}/Children/Create",
            Fields(("Title", "Nieto"), ("CategoryId", data.Category.Id), ("Description", "x"), ("Status", "New")), $"/Cases/{child.Id}");
        Assert.Contains(message, (await posted.PageAsync()).ValidationErrors());
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Rule 3: a parent cannot become a child

    [Fact]
    public async Task Associate_AParentAsAChild_IsRefused()
    {
        var data = await factory.NewDataAsync();
        var (parent, _) = await data.FamilyAsync(1);
        var other = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AssociateAsync(client, other.Id, other.Id, parent.Id);

        Assert.Contains($"No puede agregar un caso principal como caso secundario: {Number(parent.Id)} tiene casos secundarios.",
            page.Text("#associate-errors"), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AddExisting_AParent_IsRefused()
    {
        var data = await factory.NewDataAsync();
        var (parent, _) = await data.FamilyAsync(1);
        var other = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AddExistingAsync(client, other.Id, parent.Id);

        Assert.Contains($"No puede agregar un caso principal como caso secundario: {Number(parent.Id)} tiene casos secundarios.",
            page.Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Rule 4: a child must leave its parent first

    [Fact]
    public async Task AddExisting_ACaseThatIsAlreadyAChild_IsRefused()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        var other = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AddExistingAsync(client, other.Id, children[0].Id);

        Assert.Contains(
            $"El caso {Number(children[0].Id)} ya es secundario de {Number(parent.Id)}; quítelo de ese caso principal antes de asignarle otro.",
            page.Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Associate_ACaseThatIsAlreadyAChild_IsRefused_NamingEveryBrokenRule()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        var (otherParent, _) = await data.FamilyAsync(1);
        var target = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AssociateAsync(client, target.Id, target.Id, children[0].Id, otherParent.Id);

        var errors = page.QuerySelectorAll("#associate-errors li").Select(li => li.Squashed()).ToList();
        Assert.Contains($"El caso {Number(children[0].Id)} ya es secundario de {Number(parent.Id)}; quítelo de ese caso principal antes de asignarle otro.", errors);
        Assert.Contains($"No puede agregar un caso principal como caso secundario: {Number(otherParent.Id)} tiene casos secundarios.", errors);
        Assert.Equal(2, errors.Count);
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Rule 5: only active cases

    [Fact]
    public async Task AddExisting_ToAClosedParent_IsRefused_NotActive()
    {
        var data = await factory.NewDataAsync();
        var closed = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var other = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AddExistingAsync(client, closed.Id, other.Id);

        Assert.Contains(NotActive(closed.Id), page.Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AddExisting_AClosedChild_IsRefused_NotActive()
    {
        var data = await factory.NewDataAsync();
        var parent = await data.UniqueCaseAsync();
        var closed = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AddExistingAsync(client, parent.Id, closed.Id);

        Assert.Contains(NotActive(closed.Id), page.Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Associate_WithAClosedParentOrChild_IsRefused_NotActive()
    {
        var data = await factory.NewDataAsync();
        var closedParent = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var open = await data.UniqueCaseAsync();
        var closedChild = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var asParent = await AssociateAsync(client, closedParent.Id, closedParent.Id, open.Id);
        var asChild = await AssociateAsync(client, open.Id, open.Id, closedChild.Id);

        Assert.Contains(NotActive(closedParent.Id), asParent.Text("#associate-errors"), StringComparison.Ordinal);
        Assert.Contains(NotActive(closedChild.Id), asChild.Text("#associate-errors"), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task CreateChild_OfAClosedCase_IsRefused_NotActive()
    {
        var data = await factory.NewDataAsync();
        var closed = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var opened = await client.GetAsync(new Uri($"/Cases/{closed.Id}/Children/Create", UriKind.Relative));
        Assert.Contains(NotActive(closed.Id), (await client.FollowAsync(opened)).Alerts(), StringComparison.Ordinal);
        using var posted = await client.PostWithTokenAsync($"/Cases/{closed.Id}/Children/Create",
            Fields(("Title", "Hijo"), ("CategoryId", data.Category.Id), ("Description", "x"), ("Status", "New")), $"/Cases/{closed.Id}");

        Assert.Contains(NotActive(closed.Id), (await posted.PageAsync()).ValidationErrors());
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Rule 6: at most N children

    [Fact]
    public async Task AddExisting_BeyondMaxChildren_IsRefused()
    {
        await factory.SettingsAsync(s => s.MaxChildren = 2);
        var data = await factory.NewDataAsync();
        var (parent, _) = await data.FamilyAsync(2);
        var third = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AddExistingAsync(client, parent.Id, third.Id);

        Assert.Contains($"Un caso principal no puede tener más de 2 casos secundarios: {Number(parent.Id)} tiene 2 y se agregarían 1.",
            page.Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Associate_MoreChildrenThanTheMaximum_IsRefused()
    {
        await factory.SettingsAsync(s => s.MaxChildren = 2);
        var data = await factory.NewDataAsync();
        var cases = await data.CasesAsync(4);
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var page = await AssociateAsync(client, cases[0].Id, [.. cases.Select(c => c.Id)]);

        Assert.Contains($"Un caso principal no puede tener más de 2 casos secundarios: {Number(cases[0].Id)} tiene 0 y se agregarían 3.",
            page.Text("#associate-errors"), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task CreateChild_BeyondMaxChildren_IsRefused()
    {
        await factory.SettingsAsync(s => s.MaxChildren = 1);
        var data = await factory.NewDataAsync();
        var (parent, _) = await data.FamilyAsync(1);
        var message = $"Un caso principal no puede tener más de 1 casos secundarios: {Number(parent.Id)} tiene 1 y se agregarían 1.";
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var opened = await client.GetAsync(new Uri($"/Cases/{parent.Id}/Children/Create", UriKind.Relative));
        Assert.Contains(message, (await client.FollowAsync(opened)).Alerts(), StringComparison.Ordinal);
        using var posted = await client.PostWithTokenAsync($"/Cases/{parent.Id}/Children/Create",
            Fields(("Title", "Uno más"), ("CategoryId", data.Category.Id), ("Description", "x"), ("Status", "New")), $"/Cases/{parent.Id}");

        Assert.Contains(message, (await posted.PageAsync()).ValidationErrors());
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Rule 7: closing a parent follows the closure setting

    [Fact]
    public async Task Resolve_AParentWithActiveChildren_IsBlockedByDefault_NamingThem()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(2);
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{parent.Id}/Resolve", "#close-form");
        var preview = form.Element.Owner!.QuerySelector("#closure-children")!.Squashed();
        Assert.Contains("Este caso principal tiene 2 casos secundarios activos. No se puede cerrar hasta que se cierren:", preview, StringComparison.Ordinal);
        Assert.Contains(Number(children[0].Id), preview, StringComparison.Ordinal);
        // Blocked: the page offers no "Resolver" button; a POST sent anyway (a stale page) is refused by the rule.
        Assert.Null(form.Element.QuerySelector("button[type=submit]"));
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync($"/Cases/{parent.Id}/Resolve", [KeyValuePair.Create("Resolution", "Todo instalado.")], tokenPage: $"/Cases/{parent.Id}");

        var page = await response.PageAsync();
        Assert.Contains(
            $"No puede cerrar el caso principal porque tiene 2 casos secundarios activos: {Number(children[0].Id)}, {Number(children[1].Id)}.",
            page.ValidationErrors());
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Cancel_AParentWithActiveChildren_IsBlockedByDefault()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        var client = await factory.ClientAsync(Roles.Supervisor);
        var form = await client.GetFormAsync($"/Cases/{parent.Id}/Cancel", "#close-form");
        Assert.Null(form.Element.QuerySelector("button[type=submit]"));
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync($"/Cases/{parent.Id}/Cancel", tokenPage: $"/Cases/{parent.Id}");

        Assert.Contains($"No puede cerrar el caso principal porque tiene 1 casos secundarios activos: {Number(children[0].Id)}.",
            (await response.PageAsync()).ValidationErrors());
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Resolve_AParentWhoseChildrenAreClosed_IsAllowedByDefault()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(1);
        await factory.ResolveAsync(children[0].Id, data.User.Id);
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{parent.Id}/Resolve", "#close-form");
        Assert.Null(form.Element.Owner!.QuerySelector("#closure-children"));

        using var response = await form.Set("Resolution", "Hecho.").PostAsync();

        Assert.Equal($"/Cases/{parent.Id}", response.RedirectTarget());
        Assert.Equal(CaseStatus.Resolved, (await factory.CaseAsync(parent.Id)).Status);
    }

    [Fact]
    public async Task Resolve_WithCascade_ShowsWhichChildrenWillClose_ThenClosesThemWithTheParent()
    {
        await factory.SettingsAsync(s => s.ClosurePreference = ClosurePreference.CloseChildren);
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(3);
        await factory.Database.NewCaseService().CancelAsync(children[2].Id, data.User.Id);
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{parent.Id}/Resolve", "#close-form");

        var preview = form.Element.Owner!.QuerySelector("#closure-children")!;
        Assert.Contains("también se cerrarán sus 2 casos secundarios activos, con el mismo estado y resolución:", preview.Squashed(), StringComparison.Ordinal);
        Assert.Equal([$"/Cases/{children[0].Id}", $"/Cases/{children[1].Id}"], preview.QuerySelectorAll("li a").Select(a => a.GetAttribute("href")));

        using var response = await form.Set("Resolution", "Instalación completa.").PostAsync();

        Assert.Equal($"/Cases/{parent.Id}", response.RedirectTarget());
        foreach (var id in new[] { parent.Id, children[0].Id, children[1].Id })
        {
            var stored = await factory.CaseAsync(id);
            Assert.Equal((CaseStatus.Resolved, "Instalación completa."), (stored.Status, stored.Resolution));
        }

        Assert.Equal(CaseStatus.Cancelled, (await factory.CaseAsync(children[2].Id)).Status);
        Assert.Equal($"Se resolvió el caso {Number(parent.Id)} junto con sus casos secundarios {Number(children[0].Id)}, {Number(children[1].Id)}.",
            (await client.FollowAsync(response)).Flash());
    }

    [Fact]
    public async Task Cancel_WithCascade_CancelsTheActiveChildrenToo()
    {
        await factory.SettingsAsync(s => s.ClosurePreference = ClosurePreference.CloseChildren);
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(2);
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{parent.Id}/Cancel", "#close-form");

        using var response = await form.PostAsync();

        Assert.Equal($"/Cases/{parent.Id}", response.RedirectTarget());
        foreach (var id in new[] { parent.Id, children[0].Id, children[1].Id })
        {
            Assert.Equal(CaseStatus.Cancelled, (await factory.CaseAsync(id)).Status);
        }
    }

    [Fact]
    public async Task Resolve_SinRestriccion_ClosesOnlyTheParent()
    {
        await factory.SettingsAsync(s => s.ClosurePreference = ClosurePreference.Independent);
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(2);
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{parent.Id}/Resolve", "#close-form");
        Assert.Contains("Este caso principal tiene 2 casos secundarios activos; seguirán abiertos:",
            form.Element.Owner!.QuerySelector("#closure-children")!.Squashed(), StringComparison.Ordinal);

        using var response = await form.Set("Resolution", "Solo el principal.").PostAsync();

        Assert.Equal($"/Cases/{parent.Id}", response.RedirectTarget());
        Assert.Equal(CaseStatus.Resolved, (await factory.CaseAsync(parent.Id)).Status);
        foreach (var child in children)
        {
            Assert.Equal(CaseStatus.New, (await factory.CaseAsync(child.Id)).Status);
        }

        Assert.Equal($"Se resolvió el caso {Number(parent.Id)}.", (await client.FollowAsync(response)).Flash());
    }

    // ---- Removing a child

    [Fact]
    public async Task RemoveChild_OfACaseThatIsNotItsChild_IsRefused()
    {
        var data = await factory.NewDataAsync();
        var (parent, _) = await data.FamilyAsync(1);
        var stranger = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync($"/Cases/{parent.Id}/Children/{stranger.Id}/Remove", tokenPage: $"/Cases/{parent.Id}");

        Assert.Equal($"/Cases/{parent.Id}?tab=relations", response.RedirectTarget());
        Assert.Contains($"El caso {Number(stranger.Id)} no es secundario de {Number(parent.Id)}.", (await client.FollowAsync(response)).Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Helpers

    private static string NotActive(int id) =>
        $"El caso {Number(id)} no está activo: solo los casos activos pueden asociarse o recibir casos secundarios.";

    public sealed class Sqlite(SqliteWebFactory factory) : FamilyRuleTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : FamilyRuleTests(factory), IClassFixture<PostgresWebFactory>;
}
