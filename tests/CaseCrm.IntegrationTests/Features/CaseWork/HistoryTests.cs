using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.CaseWork;

/// <summary>
/// The "Historial" tab: a row for each kind of change made through the pages (who, when, field, old → new), written in the
/// transaction of the change, so that a refused change leaves no row and an accepted one always has its rows.
/// </summary>
public sealed class HistoryTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.SettingsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task DemoCases_HaveTheHistoryTheAppWrites()
    {
        var (parent, resolved) = await factory.InDbAsync(async db => (
            await db.Cases.AsNoTracking().SingleAsync(c => c.Title == "Alta de suministro de gas y electricidad"),
            await db.Cases.AsNoTracking().SingleAsync(c => c.Title == "Consulta sobre la factura de octubre")));
        var children = await factory.InDbAsync(db => db.Cases.AsNoTracking().Where(c => c.ParentId == parent.Id).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());

        Assert.Equal(
            [(HistoryField.Created, (string?)null, (string?)Number(parent.Id)), .. children.Select(id => (HistoryField.ChildAdded, (string?)null, (string?)id.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
            (await factory.HistoryAsync(parent.Id)).Select(e => (e.Field, e.OldValue, e.NewValue)).OrderBy(e => e.Field).ThenBy(e => e.NewValue, StringComparer.Ordinal));
        Assert.Equal(
            [HistoryField.Created, HistoryField.Status, HistoryField.Resolution],
            (await factory.HistoryAsync(resolved.Id)).Select(e => e.Field).Order());
        var child = Assert.Single(await factory.HistoryAsync(children[0]), e => e.Field == HistoryField.Parent);
        Assert.Equal(parent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), child.NewValue);
    }

    [Fact]
    public async Task AddingACase_RecordsItsCreation()
    {
        var data = await factory.NewDataAsync();
        var title = "Historia " + Token();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Contacts/{data.Contact.Id}/Cases/Create", "#case-form");
        using (var created = await form.Set("Title", title).Set("CategoryId", data.Category.Id).Set("Description", "x").PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }

        var item = await factory.InDbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Title == title));
        var entry = Assert.Single(await factory.HistoryAsync(item.Id));
        Assert.Equal((HistoryField.Created, (string?)null, Number(item.Id), await factory.UserIdAsync(Agent)),
            (entry.Field, entry.OldValue, entry.NewValue, entry.UserId));
        AssertSameMoment(item.CreatedAt, entry.At);
    }

    [Fact]
    public async Task Edit_RecordsARowPerChangedField_WithTheNamesShownInTheTab()
    {
        var data = await factory.NewDataAsync();
        var newCategory = await data.CategoryAsync("Facturación " + Token());
        var newAccount = await data.AccountAsync("Cuenta nueva " + Token());
        var item = await data.CaseAsync(fields: data.Fields(title: "Título viejo", priority: CasePriority.Low, origin: CaseOrigin.Phone, description: "Vieja"));
        var created = (await factory.HistoryAsync(item.Id)).Count;
        var client = await factory.ClientAsync(Roles.Supervisor);
        var form = await client.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form");

        using var response = await form
            .Set("Title", "Título nuevo")
            .Set("Status", CaseStatus.OnHold)
            .Set("Priority", CasePriority.Urgent)
            .Set("CategoryId", newCategory.Id)
            .Set("AccountId", newAccount.Id)
            .Set("Origin", CaseOrigin.Email)
            .Set("Description", "Nueva")
            .Set("Resolution", "Pendiente de pieza")
            .PostAsync();

        Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        var stored = await factory.CaseAsync(item.Id);
        var rows = (await factory.HistoryAsync(item.Id)).Skip(created).ToList();
        var supervisorId = await factory.UserIdAsync(Supervisor);
        Assert.All(rows, h => Assert.Equal(supervisorId, h.UserId));
        Assert.All(rows, h => AssertSameMoment(stored.UpdatedAt, h.At));
        Assert.Equal(
            new (HistoryField, string?, string?)[]
            {
                (HistoryField.Title, "Título viejo", "Título nuevo"),
                (HistoryField.Account, Invariant(data.Account.Id), Invariant(newAccount.Id)),
                (HistoryField.Category, Invariant(data.Category.Id), Invariant(newCategory.Id)),
                (HistoryField.Priority, "Low", "Urgent"),
                (HistoryField.Status, "New", "OnHold"),
                (HistoryField.Description, "Vieja", "Nueva"),
                (HistoryField.Resolution, null, "Pendiente de pieza"),
                (HistoryField.Origin, "Phone", "Email"),
            },
            rows.Select(h => (h.Field, h.OldValue, h.NewValue)));

        var tab = await client.GetDocumentAsync($"/Cases/{item.Id}?tab=history");
        Assert.Equal(["Título", "Título viejo", "Título nuevo"], Cells(tab, "Title"));
        Assert.Equal(["Estado", "Nuevo", "En espera"], Cells(tab, "Status"));
        Assert.Equal(["Prioridad", "Baja", "Urgente"], Cells(tab, "Priority"));
        Assert.Equal(["Categoría", data.Category.Name, newCategory.Name], Cells(tab, "Category"));
        Assert.Equal(["Cuenta", data.Account.Name, newAccount.Name], Cells(tab, "Account"));
        Assert.Equal(["Origen", "Teléfono", "Correo electrónico"], Cells(tab, "Origin"));
        Assert.Contains(Supervisor.DisplayName, tab.Text("#history-list tr[data-field='Title']"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavingWithoutChanges_RecordsNothing()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var count = (await factory.HistoryAsync(item.Id)).Count;
        var client = await factory.ClientAsync(Roles.Agent);

        using var response = await (await client.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form")).PostAsync();

        Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
        Assert.Equal(count, (await factory.HistoryAsync(item.Id)).Count);
    }

    [Fact]
    public async Task ResolveAndReopen_RecordStatusAndResolution()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var agent = await factory.ClientAsync(Roles.Agent);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        using (var resolved = await (await agent.GetFormAsync($"/Cases/{item.Id}/Resolve", "#close-form")).Set("Resolution", "Arreglado").PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}", resolved.RedirectTarget());
        }

        using (var reopened = await (await supervisor.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Reopen']")).PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}", reopened.RedirectTarget());
        }

        var rows = (await factory.HistoryAsync(item.Id)).Where(h => h.Field != HistoryField.Created).Select(h => (h.Field, h.OldValue, h.NewValue, h.UserId));
        var agentId = await factory.UserIdAsync(Agent);
        var supervisorId = await factory.UserIdAsync(Supervisor);
        Assert.Equal(
            new (HistoryField, string?, string?, string)[]
            {
                (HistoryField.Status, "New", "Resolved", agentId),
                (HistoryField.Resolution, null, "Arreglado", agentId),
                (HistoryField.Status, "Resolved", "InProgress", supervisorId),
            },
            rows);
    }

    [Fact]
    public async Task Assignment_IsRecorded()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var agentId = await factory.UserIdAsync(Agent);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);

        using var response = await (await supervisor.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Assign']"))
            .Set("assigneeId", agentId).PostAsync();

        var entry = Assert.Single(await factory.HistoryAsync(item.Id), h => h.Field == HistoryField.AssignedTo);
        Assert.Equal(((string?)null, agentId, await factory.UserIdAsync(Supervisor)), (entry.OldValue, entry.NewValue, entry.UserId));
        AssertSameMoment((await factory.CaseAsync(item.Id)).UpdatedAt, entry.At);
    }

    [Fact]
    public async Task AddingAndRemovingAChild_IsRecordedOnBothCases()
    {
        var data = await factory.NewDataAsync();
        var parent = await data.UniqueCaseAsync("Principal");
        var child = await data.UniqueCaseAsync("Secundario");
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        var panel = await supervisor.GetDocumentAsync($"/Cases/{parent.Id}?tab=relations&add=true&find={Number(child.Id)}");
        using (var added = await panel.GetForm(supervisor, $"#lookup-results tr[data-case-id='{child.Id}'] form").PostAsync())
        {
            Assert.Equal($"/Cases/{parent.Id}?tab=relations", added.RedirectTarget());
        }

        using (var removed = await (await supervisor.GetFormAsync($"/Cases/{parent.Id}?tab=relations", $"#children tr[data-case-id='{child.Id}'] form")).PostAsync())
        {
            Assert.Equal($"/Cases/{parent.Id}?tab=relations", removed.RedirectTarget());
        }

        var onChild = (await factory.HistoryAsync(child.Id)).Where(h => h.Field == HistoryField.Parent).Select(h => (h.OldValue, h.NewValue));
        var onParent = (await factory.HistoryAsync(parent.Id)).Where(h => h.Field is HistoryField.ChildAdded or HistoryField.ChildRemoved)
            .Select(h => (h.Field, h.OldValue, h.NewValue));
        Assert.Equal([((string?)null, (string?)Invariant(parent.Id)), (Invariant(parent.Id), null)], onChild);
        Assert.Equal([(HistoryField.ChildAdded, (string?)null, (string?)Invariant(child.Id)), (HistoryField.ChildRemoved, Invariant(child.Id), null)], onParent);

        var parentTab = await supervisor.GetDocumentAsync($"/Cases/{parent.Id}?tab=history");
        Assert.Equal(["Caso secundario agregado", "", Number(child.Id)], Cells(parentTab, "ChildAdded"));
        Assert.Equal(["Caso secundario quitado", Number(child.Id), ""], Cells(parentTab, "ChildRemoved"));
        var childTab = await supervisor.GetDocumentAsync($"/Cases/{child.Id}?tab=history");
        Assert.Contains(Number(parent.Id), childTab.Text("#history-list tr[data-field='Parent']"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatingAChild_IsRecordedOnTheChildAndOnTheParent()
    {
        var data = await factory.NewDataAsync();
        var parent = await data.UniqueCaseAsync("Principal");
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{parent.Id}/Children/Create", "#case-form");
        using (var response = await form.Set("Description", "Hijo").PostAsync())
        {
            Assert.Equal($"/Cases/{parent.Id}?tab=relations", response.RedirectTarget());
        }

        var child = await factory.InDbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.ParentId == parent.Id));
        Assert.Equal(
            [(HistoryField.Created, (string?)null, (string?)Number(child.Id)), (HistoryField.Parent, null, Invariant(parent.Id))],
            (await factory.HistoryAsync(child.Id)).Select(h => (h.Field, h.OldValue, h.NewValue)));
        Assert.Contains(await factory.HistoryAsync(parent.Id), h => h.Field == HistoryField.ChildAdded && h.NewValue == Invariant(child.Id));
    }

    [Fact]
    public async Task AssociatingFromTheList_IsRecordedOnEveryCase()
    {
        var data = await factory.NewDataAsync();
        var cases = await data.CasesAsync(3);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        var form = await supervisor.GetFormAsync($"/Cases/Associate?ids={cases[0].Id}&ids={cases[1].Id}&ids={cases[2].Id}", "#associate-form");

        using var response = await form.Set("parentId", cases[0].Id).PostAsync();

        Assert.Equal($"/Cases/{cases[0].Id}?tab=relations", response.RedirectTarget());
        var added = (await factory.HistoryAsync(cases[0].Id)).Where(h => h.Field == HistoryField.ChildAdded).Select(h => h.NewValue).Order();
        Assert.Equal([Invariant(cases[1].Id), Invariant(cases[2].Id)], added);
        foreach (var child in cases.Skip(1))
        {
            Assert.Contains(await factory.HistoryAsync(child.Id), h => h.Field == HistoryField.Parent && h.NewValue == Invariant(cases[0].Id));
        }
    }

    [Fact]
    public async Task Comments_EditedAndDeleted_AreRecordedWithTheirText()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        using (var added = await (await client.GetFormAsync($"/Cases/{item.Id}", "#comment-form")).Set("Body", "Primera versión").PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        var commentId = await factory.InDbAsync(db => db.CaseComments.Where(c => c.CaseId == item.Id).Select(c => c.Id).SingleAsync());
        using (var edited = await (await client.GetFormAsync($"/Cases/{item.Id}/Comments/{commentId}/Edit")).Set("Body", "Segunda versión").PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        }

        using (var deleted = await (await client.GetFormAsync($"/Cases/{item.Id}", $"#timeline li[data-comment-id='{commentId}'] form")).PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        var rows = (await factory.HistoryAsync(item.Id)).Where(h => h.Field is HistoryField.CommentEdited or HistoryField.CommentDeleted)
            .Select(h => (h.Field, h.OldValue, h.NewValue));
        Assert.Equal(
            [(HistoryField.CommentEdited, (string?)"Primera versión", (string?)"Segunda versión"), (HistoryField.CommentDeleted, "Segunda versión", null)],
            rows);
        var tab = await client.GetDocumentAsync($"/Cases/{item.Id}?tab=history");
        Assert.Equal(["Comentario editado", "Primera versión", "Segunda versión"], Cells(tab, "CommentEdited"));
        Assert.Equal(["Comentario eliminado", "Segunda versión", ""], Cells(tab, "CommentDeleted"));
    }

    [Fact]
    public async Task Attachments_AddedAndDeleted_AreRecordedWithTheirNames()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        using (var uploaded = await (await client.GetFormAsync($"/Cases/{item.Id}", "#upload-form"))
            .AttachFile("files", "uno.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 uno"))
            .AttachFile("files", "dos.txt", Encoding.ASCII.GetBytes("dos"))
            .PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        }

        var first = await factory.InDbAsync(db => db.CaseAttachments.Where(a => a.CaseId == item.Id && a.FileName == "uno.pdf").Select(a => a.Id).SingleAsync());
        using (var deleted = await (await client.GetFormAsync($"/Cases/{item.Id}", $"form[action='/Cases/{item.Id}/Attachments/{first}/Delete']")).PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        var rows = (await factory.HistoryAsync(item.Id)).Where(h => h.Field is HistoryField.AttachmentAdded or HistoryField.AttachmentDeleted)
            .Select(h => (h.Field, h.OldValue, h.NewValue));
        Assert.Equal(
            [
                (HistoryField.AttachmentAdded, (string?)null, (string?)"uno.pdf"),
                (HistoryField.AttachmentAdded, null, "dos.txt"),
                (HistoryField.AttachmentDeleted, "uno.pdf", null),
            ],
            rows);
        var tab = await client.GetDocumentAsync($"/Cases/{item.Id}?tab=history");
        Assert.Equal(["Archivo adjunto eliminado", "uno.pdf", ""], Cells(tab, "AttachmentDeleted"));
    }

    [Fact]
    public async Task RefusedChanges_WriteNoHistory()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        var (parent, _) = await data.FamilyAsync(1);
        var agent = await factory.ClientAsync(Roles.Agent);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        var staleForm = await agent.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form");
        using (var first = await (await supervisor.GetFormAsync($"/Cases/{item.Id}/Edit", "#case-form")).Set("Title", "Primero").PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        var before = await factory.SnapshotAsync();

        using var stale = await staleForm.Set("Title", "Tarde").PostAsync();
        using var blockedUpload = await (await agent.GetFormAsync($"/Cases/{item.Id}", "#upload-form"))
            .AttachFile("files", "malo.exe", Encoding.ASCII.GetBytes("MZ")).PostAsync();
        using var blockedClosure = await agent.PostWithTokenAsync($"/Cases/{parent.Id}/Resolve", Fields(("Resolution", "No")));
        using var refusedAssign = await agent.PostWithTokenAsync($"/Cases/{item.Id}/Assign", Fields(("assigneeId", await factory.UserIdAsync(Supervisor))));
        using var refusedFamily = await supervisor.PostWithTokenAsync($"/Cases/{item.Id}/Children/Add", Fields(("childId", parent.Id)));

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, blockedClosure.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, blockedUpload.StatusCode);
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Helpers

    /// <summary>The change and its history row are written by one operation, within the same instant (give or take its run time).</summary>
    private static void AssertSameMoment(DateTime change, DateTime recorded) =>
        Assert.InRange((recorded - change).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(5));

    /// <summary>The field, old value and new value cells of the history row for <paramref name="field"/>.</summary>
    private static List<string> Cells(IHtmlDocument tab, string field)
    {
        var row = tab.QuerySelector($"#history-list tr[data-field='{field}']") ?? throw new InvalidOperationException($"No history row for {field}.");
        return row.QuerySelectorAll("td").Skip(2).Select(td => td.Squashed()).ToList();
    }
}
