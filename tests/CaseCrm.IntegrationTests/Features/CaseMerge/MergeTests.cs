using System.Net;
using System.Text;
using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.CaseMerge;

/// <summary>
/// "Combinar casos" through its pages, on SQLite and PostgreSQL: the preview counts what moves; "Confirmar" moves the
/// comments, activities, emails, files and children to the case that stays, cancels the others linked both ways, with
/// history on every case; a refusal names each case and reason and leaves the database as it was; a merged case is
/// read-only and its email thread goes on in the case that stayed. Each test starts from the default settings.
/// </summary>
public abstract class MergeTests(CrmWebFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.SettingsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ASupervisor_MergesThreeDuplicates_EverythingMoves_AndEachCaseKeepsItsHistory()
    {
        var data = await factory.NewDataAsync();
        var survivor = await data.UniqueCaseAsync("Sin luz");
        var duplicate = await data.UniqueCaseAsync("Sin luz duplicado");
        var (parent, children) = await data.FamilyAsync(2);
        var cases = factory.Database.NewCaseService();
        await cases.AddCommentAsync(duplicate.Id, "El cliente volvió a llamar.", data.User.Id);
        await cases.AddCommentAsync(parent.Id, "Mismo corte en el barrio.", data.User.Id);
        await cases.AddAttachmentsAsync(duplicate.Id, [UploadedFile.Of("foto.txt", Encoding.UTF8.GetBytes("foto"))], data.User.Id);
        var call = await factory.Database.NewActivityService().CreateAsync(ActivityType.Call,
            new ActivityFields("Llamada del cliente", null, ActivityPriority.Normal, data.User.Id, new Regarding(RegardingType.Case, duplicate.Id),
                StartAt: DateTime.UtcNow, Direction: CallDirection.Incoming), data.User.Id);
        await factory.ReceiveRepliesAsync(parent.Id, 1);
        var client = await factory.ClientAsync(Roles.Supervisor);

        var preview = await client.GetDocumentAsync($"/Cases/Merge?ids={survivor.Id}&ids={duplicate.Id}&ids={parent.Id}&keep={survivor.Id}");

        Assert.Equal("1", preview.Text($"#merge-cases tr[data-case-id='{duplicate.Id}'] [data-count='comments']"));
        Assert.Equal("1", preview.Text($"#merge-cases tr[data-case-id='{duplicate.Id}'] [data-count='activities']"));
        Assert.Equal("1", preview.Text($"#merge-cases tr[data-case-id='{duplicate.Id}'] [data-count='attachments']"));
        Assert.Equal("1", preview.Text($"#merge-cases tr[data-case-id='{parent.Id}'] [data-count='emails']"));
        Assert.Equal("2", preview.Text($"#merge-cases tr[data-case-id='{parent.Id}'] [data-count='children']"));
        Assert.Equal($"Cancelado: Combinado en {Number(survivor.Id)}", preview.Text($"#merge-cases tr[data-case-id='{parent.Id}'] .merge-outcome"));
        var summary = preview.Text("#merge-preview");
        Assert.Contains("2 comentarios", summary, StringComparison.Ordinal);
        Assert.Contains("2 casos secundarios", summary, StringComparison.Ordinal);

        using (var response = await preview.GetForm(client, "#merge-form").PostAsync())
        {
            Assert.Equal($"/Cases/{survivor.Id}", response.RedirectTarget());
        }

        var kept = await factory.CaseAsync(survivor.Id);
        Assert.Equal((CaseStatus.New, 2, (int?)null), (kept.Status, kept.ChildCount, kept.MergedIntoId));
        foreach (var gone in new[] { duplicate.Id, parent.Id })
        {
            var merged = await factory.CaseAsync(gone);
            Assert.Equal((CaseStatus.Cancelled, survivor.Id, 0), (merged.Status, merged.MergedIntoId!.Value, merged.ChildCount));
            var history = await factory.HistoryAsync(gone);
            Assert.Contains(history, h => h.Field == HistoryField.MergedInto && h.NewValue == Invariant(survivor.Id));
            Assert.Contains(history, h => h.Field == HistoryField.Status && h.NewValue == nameof(CaseStatus.Cancelled));
        }

        Assert.All(children, c => Assert.Equal(survivor.Id, factory.CaseAsync(c.Id).Result.ParentId));
        Assert.Equal(2, (await factory.HistoryAsync(survivor.Id)).Count(h => h.Field == HistoryField.MergedFrom));
        Assert.Equal(2, await factory.InDbAsync(db => db.CaseComments.CountAsync(c => c.CaseId == survivor.Id)));
        Assert.Equal(1, await factory.InDbAsync(db => db.CaseAttachments.CountAsync(a => a.CaseId == survivor.Id)));
        Assert.Equal(1, await factory.InDbAsync(db => db.EmailMessages.CountAsync(e => e.CaseId == survivor.Id)));
        var movedCall = await factory.InDbAsync(db => db.Activities.SingleAsync(a => a.Id == call.Id));
        Assert.Equal((survivor.Id, data.Contact.Id), (movedCall.CaseId!.Value, movedCall.AroundContactId!.Value));

        var keptPage = await client.GetDocumentAsync($"/Cases/{survivor.Id}");
        Assert.Equal([duplicate.Id, parent.Id], keptPage.QuerySelectorAll("#merged-from a").Select(a => int.Parse(a.GetAttribute("href")!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture)));
        var mergedPage = await client.GetDocumentAsync($"/Cases/{duplicate.Id}");
        Assert.Equal($"Este caso se combinó en {Number(survivor.Id)} y es de solo lectura.", mergedPage.Text("#merged-into"));
        Assert.Null(mergedPage.QuerySelector("[role=toolbar]"));
        Assert.All(new[] { "#comment-form", "#upload-form", "#case-reply" }, form => Assert.Null(mergedPage.QuerySelector(form)));
    }

    [Fact]
    public async Task AMergedCase_IsReadOnly_AndItsEmailThreadGoesOnInTheCaseThatStayed()
    {
        var data = await factory.NewDataAsync();
        var survivor = await data.UniqueCaseAsync();
        var duplicate = await data.UniqueCaseAsync();
        await factory.Database.NewCaseService().MergeAsync(survivor.Id, [survivor.Id, duplicate.Id], data.User.Id);

        await factory.ReceiveRepliesAsync(duplicate.Id, 1);

        Assert.Equal(0, await factory.InDbAsync(db => db.EmailMessages.CountAsync(e => e.CaseId == duplicate.Id)));
        Assert.Equal(1, await factory.InDbAsync(db => db.EmailMessages.CountAsync(e => e.CaseId == survivor.Id)));
        var refusal = await Assert.ThrowsAsync<CaseRuleException>(() => factory.Database.NewCaseService().AddCommentAsync(duplicate.Id, "Tarde.", data.User.Id));
        Assert.Equal(CaseRuleCode.MergedReadOnly, refusal.Code);
        var reopen = await Assert.ThrowsAsync<CaseRuleException>(() => factory.Database.NewCaseService().ReopenAsync(duplicate.Id, data.User.Id));
        Assert.Equal(CaseRuleCode.MergedReadOnly, reopen.Code);
        Assert.Equal(CaseStatus.Cancelled, (await factory.CaseAsync(duplicate.Id)).Status);
    }

    [Fact]
    public async Task ARefusedMerge_NamesEachCaseAndReason_AndChangesNothing()
    {
        var data = await factory.NewDataAsync();
        await factory.SettingsAsync(s => s.MaxChildren = 2);
        var (otherParent, otherChildren) = await data.FamilyAsync(1);
        var (parent, _) = await data.FamilyAsync(2);
        var (survivor, _) = await data.FamilyAsync(1);
        var plain = await data.UniqueCaseAsync();
        var client = await factory.ClientAsync(Roles.Supervisor);
        var refusedPreview = await client.GetDocumentAsync($"/Cases/Merge?ids={survivor.Id}&ids={parent.Id}&ids={otherChildren[0].Id}&keep={survivor.Id}");
        Assert.Null(refusedPreview.QuerySelector("#merge-form"));
        Assert.Contains($"El caso {Number(otherChildren[0].Id)} es secundario de {Number(otherParent.Id)}", refusedPreview.Text("#merge-errors"), StringComparison.Ordinal);
        // The same selection posted from a preview that allowed it (the cases changed since, or a forged form).
        var form = (await client.GetFormAsync($"/Cases/Merge?ids={survivor.Id}&ids={plain.Id}&keep={survivor.Id}", "#merge-form"))
            .SetAll("ids", [survivor.Id, parent.Id, otherChildren[0].Id]);
        var before = await factory.SnapshotAsync();

        using var response = await form.PostAsync();

        var page = await response.PageAsync();
        var errors = page.Text("#merge-errors");
        Assert.Contains("No se combinó ningún caso:", errors, StringComparison.Ordinal);
        Assert.Contains($"El caso {Number(otherChildren[0].Id)} es secundario de {Number(otherParent.Id)}: solo puede combinarse en su caso principal o en otro secundario de {Number(otherParent.Id)}.", errors, StringComparison.Ordinal);
        Assert.Contains($"Un caso principal no puede tener más de 2 casos secundarios: {Number(survivor.Id)} tiene 1 y se agregarían 2.", errors, StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task MergingAParentIntoItsChild_TheChildLeavesIt_AndTakesItsSibling()
    {
        var data = await factory.NewDataAsync();
        var (parent, children) = await data.FamilyAsync(2);
        var client = await factory.ClientAsync(Roles.Supervisor);

        var preview = await client.GetDocumentAsync($"/Cases/Merge?ids={children[0].Id}&ids={parent.Id}");

        Assert.Contains("1 casos secundarios", preview.Text("#merge-preview"), StringComparison.Ordinal);
        using (var response = await preview.GetForm(client, "#merge-form").PostAsync())
        {
            Assert.Equal($"/Cases/{children[0].Id}", response.RedirectTarget());
        }

        var kept = await factory.CaseAsync(children[0].Id);
        Assert.Equal(((int?)null, 1), (kept.ParentId, kept.ChildCount));
        Assert.Equal(children[0].Id, (await factory.CaseAsync(children[1].Id)).ParentId);
        Assert.Equal((CaseStatus.Cancelled, 0), ((await factory.CaseAsync(parent.Id)).Status, (await factory.CaseAsync(parent.Id)).ChildCount));
    }

    [Fact]
    public async Task AnAgent_CannotMerge_AndNothingChanges()
    {
        var data = await factory.NewDataAsync();
        var cases = await data.CasesAsync(2);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        var form = await supervisor.GetDocumentAsync($"/Cases/Merge?ids={cases[0].Id}&ids={cases[1].Id}");
        var agent = await factory.ClientAsync(Roles.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, await agent.StatusOfGetAsync($"/Cases/Merge?ids={cases[0].Id}&ids={cases[1].Id}"));
        Assert.Null((await agent.GetDocumentAsync("/Cases")).QuerySelector("#merge-button"));
        Assert.Null((await agent.GetDocumentAsync($"/Cases/{cases[0].Id}")).QuerySelector("#case-merge"));
        Assert.NotNull(form.QuerySelector("#merge-form"));
        Assert.All(cases, c => Assert.Equal(CaseStatus.New, factory.CaseAsync(c.Id).Result.Status));
    }

    [Fact]
    public async Task FromACasePage_TheSupervisorFindsTheDuplicate_AndTheFirstCaseStays()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Factura duplicada");
        var duplicate = await data.UniqueCaseAsync("Factura duplicada");
        var client = await factory.ClientAsync(Roles.Supervisor);
        var casePage = await client.GetDocumentAsync($"/Cases/{item.Id}");
        var start = casePage.QuerySelector("#case-merge")!.GetAttribute("href")!;

        var page = await client.GetDocumentAsync(start + "&find=" + Number(duplicate.Id));
        Assert.Equal("Busque y agregue al menos otro caso para combinar.", page.Text("#merge-need-more"));
        var add = page.QuerySelector($"#merge-found li[data-case-id='{duplicate.Id}'] a")!.GetAttribute("href")!;
        var preview = await client.GetDocumentAsync(add);

        Assert.Equal(Invariant(item.Id), preview.QuerySelector("#merge-form input[name=keep]")!.GetAttribute("value"));
        Assert.Equal([item.Id, duplicate.Id], preview.RowIds("#merge-cases tbody tr", "data-case-id"));
    }

    public sealed class Sqlite(SqliteWebFactory factory) : MergeTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : MergeTests(factory), IClassFixture<PostgresWebFactory>;
}
