using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Cases;

/// <summary>A case's page, its edit form (including a stale edit), "Resolver", "Cancelar" and "Reabrir".</summary>
public sealed class CaseDetailsAndEditTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    [Fact]
    public async Task Details_ShowsTheCasesFields()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync(fields: data.Fields(title: "Medidor dañado", priority: CasePriority.Urgent, origin: CaseOrigin.Chat,
            description: "No muestra <lecturas>."));
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");

        Assert.Equal($"{Number(item.Id)} Medidor dañado", page.Text("h1"));
        var details = page.Text("dl.details");
        foreach (var expected in new[] { data.Contact.FullName, data.Account.Name, data.Category.Name, "Urgente", "Nuevo", "Chat", "No muestra <lecturas>.", Agent.DisplayName })
        {
            Assert.Contains(expected, details, StringComparison.Ordinal);
        }

        Assert.Equal("Nuevo", page.Text("[data-testid='case-status']"));
    }

    [Theory]
    [InlineData("/Cases/999999")]
    [InlineData("/Cases/999999?tab=relations")]
    [InlineData("/Cases/999999?tab=history")]
    [InlineData("/Cases/999999/Edit")]
    [InlineData("/Cases/999999/Resolve")]
    [InlineData("/Cases/999999/Cancel")]
    [InlineData("/Cases/0")]
    public async Task UnknownCase_Answers404WithAReadablePage(string url)
    {
        var client = await factory.ClientAsync(Roles.Agent);

        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Página no encontrada", (await response.ReadHtmlAsync()).Text("h1"));
    }

    [Theory]
    [InlineData("/Cases/999999/Edit")]
    [InlineData("/Cases/999999/Resolve")]
    [InlineData("/Cases/999999/Cancel")]
    public async Task PostsToAnUnknownCase_Answer404AndWriteNothing(string url)
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync(url,
            Fields(("Title", "x"), ("CategoryId", 1), ("Description", "x"), ("Status", "New"), ("Version", 1), ("Resolution", "x")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Edit_ShowsTheStoredValues_AndSavesTheChanges()
    {
        var data = await factory.NewDataAsync();
        var other = await data.CategoryAsync();
        var item = await data.CaseAsync(fields: data.Fields(title: "Antes", priority: CasePriority.Low, description: "Descripción vieja"));
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form");
        Assert.Equal(("Antes", Invariant(data.Category.Id), nameof(CasePriority.Low), "Descripción vieja", Invariant(item.Version), nameof(CaseStatus.New)),
            (form.Get("Title"), form.Get("CategoryId"), form.Get("Priority"), form.Get("Description"), form.Get("Version"), form.Get("Status")));

        using var response = await form
            .Set("Title", "Después")
            .Set("CategoryId", other.Id)
            .Set("Priority", CasePriority.Urgent)
            .Set("Status", CaseStatus.InProgress)
            .Set("Origin", CaseOrigin.Web)
            .Set("Description", "Descripción nueva")
            .PostAsync();

        Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        var stored = await factory.CaseAsync(item.Id);
        Assert.Equal(("Después", other.Id, (CasePriority?)CasePriority.Urgent, CaseStatus.InProgress, (CaseOrigin?)CaseOrigin.Web, "Descripción nueva", item.Version + 1),
            (stored.Title, stored.CategoryId, stored.Priority, stored.Status, stored.Origin, stored.Description, stored.Version));
        Assert.Equal((data.Contact.Id, (int?)data.Account.Id), (stored.ContactId, stored.AccountId));
        Assert.Equal($"Se guardó el caso {Number(item.Id)}.", (await client.FollowAsync(response)).Flash());
    }

    [Fact]
    public async Task Edit_OffersOnlyActiveStatuses_ForAnActiveCase()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Cases/{item.Id}/Edit");

        Assert.Equal(["New", "InProgress", "OnHold"], page.QuerySelectorAll("#Status option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public async Task Edit_WithErrors_KeepsTheTypedValues_AndChangesNothing()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("Title", new string('x', 201)).Set("Description", "").Set("Priority", CasePriority.High).PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("Escriba como máximo 200 caracteres.", page.FieldError("Title"));
        Assert.Equal("Describa la consulta, el problema o la solicitud.", page.FieldError("Description"));
        var again = page.GetForm(client, "#case-form");
        Assert.Equal((new string('x', 201), nameof(CasePriority.High)), (again.Get("Title"), again.Get("Priority")));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Edit_KeepsACategoryDeactivatedSinceFiling_ButRefusesChoosingAnotherInactiveOne()
    {
        var data = await factory.NewDataAsync();
        var retired = await data.CategoryAsync("Retirada " + Token(), isActive: false);
        var item = await data.UniqueCaseAsync();
        await factory.InDbAsync(async db =>
        {
            var category = await db.Categories.SingleAsync(c => c.Id == data.Category.Id);
            category.IsActive = false;
            return await db.SaveChangesAsync();
        });
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form");
        Assert.Equal(Invariant(data.Category.Id), form.Get("CategoryId"));

        using (var kept = await form.Set("Title", "Sigue en su categoría").PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}", kept.RedirectTarget());
        }

        var before = await factory.SnapshotAsync();
        using var refused = await (await client.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form")).Set("CategoryId", retired.Id).PostAsync();

        Assert.Equal("La categoría elegida no existe o ya no está activa.", (await refused.PageAsync()).FieldError("CategoryId"));
        await factory.AssertUnchangedAsync(before);
        Assert.Equal(("Sigue en su categoría", data.Category.Id), ((await factory.CaseAsync(item.Id)).Title, (await factory.CaseAsync(item.Id)).CategoryId));
    }

    [Fact]
    public async Task Edit_OfAStaleVersion_ShowsTheMessageAndBothVersions_AndKeepsTheFirstSave()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync(fields: data.Fields(title: "Factura duplicada", description: "Dos facturas."));
        var agent = await factory.ClientAsync(Roles.Agent);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        var agentForm = await agent.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form");
        var supervisorForm = await supervisor.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form");

        using (var first = await supervisorForm.Set("Title", "Factura duplicada de octubre").Set("Priority", CasePriority.High).PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}", first.RedirectTarget());
        }

        var saved = await factory.SnapshotAsync();
        using var second = await agentForm.Set("Title", "Cobro repetido").Set("Description", "Le cobraron dos veces.").PostAsync();

        var page = await second.PageAsync();
        Assert.Contains($"Otro usuario guardó el caso {Number(item.Id)} mientras usted lo editaba. Revise los cambios y vuelva a guardar.",
            page.ValidationErrors());
        var theirs = page.Text("#saved-version");
        Assert.Contains(Supervisor.DisplayName, theirs, StringComparison.Ordinal);
        Assert.Contains("Factura duplicada de octubre", theirs, StringComparison.Ordinal);
        Assert.Contains("Alta", theirs, StringComparison.Ordinal);
        var mine = page.GetForm(agent, "#case-form");
        Assert.Equal(("Cobro repetido", "Le cobraron dos veces."), (mine.Get("Title"), mine.Get("Description")));
        Assert.Equal(Invariant(item.Version + 1), mine.Get("Version"));
        await factory.AssertUnchangedAsync(saved);
        Assert.Equal("Factura duplicada de octubre", (await factory.CaseAsync(item.Id)).Title);

        // Having seen the other version, saving again is deliberate and wins.
        using var third = await mine.PostAsync();
        Assert.Equal($"/Cases/{item.Id}", third.RedirectTarget());
        Assert.Equal("Cobro repetido", (await factory.CaseAsync(item.Id)).Title);
    }

    [Fact]
    public async Task Resolve_RequiresTheResolution_ThenResolvesTheCase()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}/Resolve", "#close-form");
        var before = await factory.SnapshotAsync();

        using var refused = await form.Set("Resolution", "  ").PostAsync();

        var page = await refused.PageAsync();
        Assert.Equal("Escriba la resolución para resolver el caso.", page.FieldError("Resolution"));
        await factory.AssertUnchangedAsync(before);

        using var resolved = await page.GetForm(client, "#close-form").Set("Resolution", "Se cambió el contador.").PostAsync();

        Assert.Equal($"/Cases/{item.Id}", resolved.RedirectTarget());
        var stored = await factory.CaseAsync(item.Id);
        Assert.Equal((CaseStatus.Resolved, "Se cambió el contador."), (stored.Status, stored.Resolution));
        var detail = await client.FollowAsync(resolved);
        Assert.Equal($"Se resolvió el caso {Number(item.Id)}.", detail.Flash());
        Assert.Equal("Resuelto", detail.Text("[data-testid='case-status']"));
    }

    [Fact]
    public async Task Cancel_CancelsTheCase()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}/Cancel", "#close-form");

        using var response = await form.PostAsync();

        Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        Assert.Equal(CaseStatus.Cancelled, (await factory.CaseAsync(item.Id)).Status);
        Assert.Equal($"Se canceló el caso {Number(item.Id)}.", (await client.FollowAsync(response)).Flash());
    }

    [Fact]
    public async Task Resolve_OfAClosedCase_IsRefused_AndChangesNothing()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var client = await factory.ClientAsync(Roles.Agent);
        // The page is not offered for a closed case: it goes back to the case.
        using var get = await client.GetAsync(new Uri($"/Cases/{item.Id}/Resolve", UriKind.Relative));
        Assert.Equal($"/Cases/{item.Id}", get.RedirectTarget());
        var before = await factory.SnapshotAsync();

        // A POST from a page opened before the case was closed is refused.
        using var response = await client.PostWithTokenAsync($"/Cases/{item.Id}/Resolve", [KeyValuePair.Create("Resolution", "Otra vez")], tokenPage: $"/Cases/{item.Id}");

        var page = await response.PageAsync();
        Assert.Contains($"El caso {Number(item.Id)} no admite ese cambio de estado desde su estado actual.", page.ValidationErrors());
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Reopen_ByAnAgent_Answers403_AndChangesNothing()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var client = await factory.ClientAsync(Roles.Agent);
        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.Null(page.QuerySelector($"form[action='/Cases/{item.Id}/Reopen']"));
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync($"/Cases/{item.Id}/Reopen", tokenPage: $"/Cases/{item.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Acceso denegado", (await response.ReadHtmlAsync()).Text("h1"));
        await factory.AssertUnchangedAsync(before);
    }

    [Theory]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.Administrator)]
    public async Task Reopen_BySupervisorOrAdministrator_PutsTheCaseBackToEnCurso(string role)
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        var client = await factory.ClientAsync(role);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Reopen']");

        using var response = await form.PostAsync();

        Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        Assert.Equal(CaseStatus.InProgress, (await factory.CaseAsync(item.Id)).Status);
        var page = await client.FollowAsync(response);
        Assert.Equal($"Se reabrió el caso {Number(item.Id)}.", page.Flash());
        Assert.Equal("En curso", page.Text("[data-testid='case-status']"));
    }

    [Fact]
    public async Task Reopen_OfAnActiveCase_IsRefusedWithAMessage()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync($"/Cases/{item.Id}/Reopen", tokenPage: $"/Cases/{item.Id}");

        var page = await client.FollowAsync(response);
        Assert.Contains($"El caso {Number(item.Id)} no admite ese cambio de estado", page.Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Details_ShowsTheDefaultAttachmentLimitOfTenMegabytes()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);

        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");

        Assert.Equal(
            "Hasta 10 MB por archivo y 10 archivos a la vez; 100 MB por caso en total y 200 MB por persona y hora. Tipos admitidos: "
            + "pdf, doc, docx, xls, xlsx, ppt, pptx, odt, ods, odp, rtf, txt, csv, png, jpg, jpeg, gif, webp, bmp, tiff, tif, heic, zip, 7z, gz, tar, eml, msg.",
            page.Text("#attachments p.hint"));
    }
}
