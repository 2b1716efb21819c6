using System.Net;
using System.Net.Http.Json;
using System.Text;
using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.Api.FamilyApiKit;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Api;

/// <summary>
/// POST /api/v1/cases/merge and its preview, on SQLite and PostgreSQL: a supervisor's token merges as "Combinar casos"
/// does and gets the case that stays; each merge rule answers 422 with its CASE-RULE code and the messages the page shows
/// for the same selection, in Spanish or English, with the database unchanged; an agent's token gets 403 and nothing is
/// written. Each test starts from the default settings.
/// </summary>
public abstract class CaseMergeApiTests(CrmWebFactory factory) : IAsyncLifetime
{
    public Task InitializeAsync() => factory.SettingsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record PreviewCase(int Id, bool Stays, int Comments, int Attachments, int Children);

    private sealed record Violation(string Code, int? CaseId, string Message);

    private sealed record Preview(int KeepId, List<PreviewCase> Cases, List<Violation> Violations, bool CanMerge);

    [Fact]
    public async Task ASupervisor_MergesDuplicatesAndAParent_EverythingMoves_AndGetsTheCaseThatStays()
    {
        var data = await factory.NewDataAsync();
        var survivor = await data.UniqueCaseAsync("Sin luz");
        var duplicate = await data.UniqueCaseAsync("Sin luz duplicado");
        var (parent, children) = await data.FamilyAsync(2);
        var service = factory.Database.NewCaseService();
        await service.AddCommentAsync(duplicate.Id, "El cliente volvió a llamar.", data.User.Id);
        await service.AddAttachmentsAsync(duplicate.Id, [UploadedFile.Of("foto.txt", Encoding.UTF8.GetBytes("foto"))], data.User.Id);
        using var api = await factory.TokenClientAsync(Roles.Supervisor);

        var preview = await api.GetFromJsonAsync<Preview>($"/api/v1/cases/merge/preview?keep={survivor.Id}&ids={duplicate.Id}&ids={parent.Id}");
        Assert.True(preview!.CanMerge);
        Assert.Equal([(survivor.Id, true), (duplicate.Id, false), (parent.Id, false)], preview.Cases.Select(c => (c.Id, c.Stays)).Order());
        Assert.Equal((1, 1), preview.Cases.Where(c => c.Id == duplicate.Id).Select(c => (c.Comments, c.Attachments)).Single());
        Assert.Equal(2, preview.Cases.Single(c => c.Id == parent.Id).Children);

        using var response = await api.PostAsJsonAsync("/api/v1/cases/merge", new { keepId = survivor.Id, caseIds = new[] { duplicate.Id, parent.Id } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var kept = await response.CaseAnswerAsync(api);
        Assert.Equal((survivor.Id, "New", null), (kept.Id, kept.Status, kept.MergedIntoId));
        Assert.Equal(children.Select(c => c.Id).Order(), kept.Children.Select(c => c.Id));
        foreach (var gone in new[] { duplicate.Id, parent.Id })
        {
            var merged = await factory.CaseAsync(gone);
            Assert.Equal((CaseStatus.Cancelled, survivor.Id), (merged.Status, merged.MergedIntoId!.Value));
        }

        Assert.All(children, c => Assert.Equal(survivor.Id, factory.CaseAsync(c.Id).Result.ParentId));
        Assert.Equal(1, await factory.InDbAsync(db => db.CaseComments.CountAsync(c => c.CaseId == survivor.Id)));
        Assert.Equal(1, await factory.InDbAsync(db => db.CaseAttachments.CountAsync(a => a.CaseId == survivor.Id)));
    }

    // ---- Each merge rule: its code, the page's messages, nothing changed

    [Fact]
    public async Task TooFewOrTooManyCases_AreRefused_CaseRule67_AsOnThePage()
    {
        var data = await factory.NewDataAsync();
        var cases = await data.CasesAsync(11);
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var none = await api.RefusedAsync("/api/v1/cases/merge", new { keepId = cases[0].Id, caseIds = Array.Empty<int>() }, "CASE-RULE-67");
        await api.RefusedAsync("/api/v1/cases/merge", new { keepId = cases[0].Id, caseIds = new[] { cases[0].Id } }, "CASE-RULE-67");
        var eleven = await api.RefusedAsync("/api/v1/cases/merge", new { keepId = cases[0].Id, caseIds = cases.Skip(1).Select(c => c.Id) }, "CASE-RULE-67");

        Assert.Equal(none.Detail, eleven.Detail);
        await factory.AssertUnchangedAsync(before);
        AssertPageShows(await MergeOnThePageAsync(cases[0].Id, cases[0].Id), none);
        AssertPageShows(await MergeOnThePageAsync(cases[0].Id, [.. cases.Select(c => c.Id)]), eleven);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AClosedCase_IsRefused_CaseRule68_AsOnThePage()
    {
        var data = await factory.NewDataAsync();
        var survivor = await data.UniqueCaseAsync();
        var closed = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        await AssertRefusedAsOnThePageAsync(survivor.Id, [closed.Id], "CASE-RULE-68", $"El caso {Number(closed.Id)} no está activo: solo se combinan casos activos.");
    }

    [Fact]
    public async Task AChildOutsideItsFamily_IsRefused_CaseRule69_AsOnThePage()
    {
        var data = await factory.NewDataAsync();
        var survivor = await data.UniqueCaseAsync();
        var (otherParent, otherChildren) = await data.FamilyAsync(1);
        await AssertRefusedAsOnThePageAsync(survivor.Id, [otherChildren[0].Id], "CASE-RULE-69",
            $"El caso {Number(otherChildren[0].Id)} es secundario de {Number(otherParent.Id)}: solo puede combinarse en su caso principal o en otro secundario de {Number(otherParent.Id)}.");
    }

    [Fact]
    public async Task AChildThatStays_CannotTakeTheChildrenOfAMergedParent_CaseRule70_AsOnThePage()
    {
        var data = await factory.NewDataAsync();
        var (_, survivors) = await data.FamilyAsync(1);
        var (otherParent, _) = await data.FamilyAsync(1);
        await AssertRefusedAsOnThePageAsync(survivors[0].Id, [otherParent.Id], "CASE-RULE-70", null);
    }

    [Fact]
    public async Task MoreChildrenThanTheMaximum_IsRefused_CaseRule6_AsOnThePage()
    {
        await factory.SettingsAsync(s => s.MaxChildren = 2);
        var data = await factory.NewDataAsync();
        var (survivor, _) = await data.FamilyAsync(1);
        var (parent, _) = await data.FamilyAsync(2);
        await AssertRefusedAsOnThePageAsync(survivor.Id, [parent.Id], "CASE-RULE-6",
            $"Un caso principal no puede tener más de 2 casos secundarios: {Number(survivor.Id)} tiene 1 y se agregarían 2.");
    }

    [Fact]
    public async Task TheRefusal_IsInEnglish_WhenAskedFor_AndThePreviewSaysItBeforehand()
    {
        var data = await factory.NewDataAsync();
        var survivor = await data.UniqueCaseAsync();
        var closed = await data.UniqueCaseAsync(status: CaseStatus.Resolved);
        using var api = await factory.TokenClientAsync(Roles.Supervisor, "en");
        var before = await factory.SnapshotAsync();

        var preview = await api.GetFromJsonAsync<Preview>($"/api/v1/cases/merge/preview?keep={survivor.Id}&ids={closed.Id}");
        var problem = await api.RefusedAsync("/api/v1/cases/merge", new { keepId = survivor.Id, caseIds = new[] { closed.Id } }, "CASE-RULE-68");

        var message = $"Case {Number(closed.Id)} is not active: only active cases are merged.";
        Assert.Equal(message, problem.Detail);
        Assert.False(preview!.CanMerge);
        Assert.Equal([new Violation("CASE-RULE-68", closed.Id, message)], preview.Violations);
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Who, and odd input

    [Fact]
    public async Task AnAgent_GetsA403_ForTheMergeAndThePreview_WithNothingWritten()
    {
        var data = await factory.NewDataAsync();
        var cases = await data.CasesAsync(2);
        using var api = await factory.TokenClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var merged = await api.PostAsJsonAsync("/api/v1/cases/merge", new { keepId = cases[0].Id, caseIds = new[] { cases[1].Id } });
        using var previewed = await api.GetAsync($"/api/v1/cases/merge/preview?keep={cases[0].Id}&ids={cases[1].Id}");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (merged.StatusCode, previewed.StatusCode));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AMissingCase_Is404_AndAMissingKeepId_AFieldError_WithNothingWritten()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync();
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        using var missingMerged = await api.PostAsJsonAsync("/api/v1/cases/merge", new { keepId = item.Id, caseIds = new[] { 2147483000 } });
        using var missingKept = await api.PostAsJsonAsync("/api/v1/cases/merge", new { keepId = 0, caseIds = new[] { item.Id } });
        using var missingPreview = await api.GetAsync($"/api/v1/cases/merge/preview?keep={item.Id}&ids=2147483000");
        using var noKeep = await api.PostAsJsonAsync("/api/v1/cases/merge", new { caseIds = new[] { item.Id } });
        using var noKeepPreview = await api.GetAsync($"/api/v1/cases/merge/preview?ids={item.Id}");
        using var malformed = await api.PostAsync("/api/v1/cases/merge", new StringContent("{\"keepId\":\"uno\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, (await missingMerged.ProblemAsync()).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await missingKept.ProblemAsync()).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await missingPreview.ProblemAsync()).Status);
        var keepError = await noKeep.ProblemAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, keepError.Status);
        Assert.Equal(["Indique el caso que se queda."], keepError.Errors["keepId"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await noKeepPreview.ProblemAsync()).Status);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Helpers

    /// <summary>
    /// Merging <paramref name="mergedIds"/> into <paramref name="keepId"/> through the API answers 422 with
    /// <paramref name="code"/> (and <paramref name="message"/> when given); the preview names the same violations; the page
    /// shows the same messages; nothing changes.
    /// </summary>
    private async Task AssertRefusedAsOnThePageAsync(int keepId, int[] mergedIds, string code, string? message)
    {
        using var api = await factory.TokenClientAsync(Roles.Supervisor);
        var before = await factory.SnapshotAsync();

        var problem = await api.RefusedAsync("/api/v1/cases/merge", new { keepId, caseIds = mergedIds }, code);

        if (message is not null)
        {
            Assert.Equal(message, problem.Detail);
        }

        var preview = await api.GetFromJsonAsync<Preview>($"/api/v1/cases/merge/preview?keep={keepId}&" + string.Join("&", mergedIds.Select(id => $"ids={id}")));
        Assert.Equal(problem.Messages, preview!.Violations.Select(v => v.Message));
        Assert.Equal(code, preview.Violations[0].Code);
        await factory.AssertUnchangedAsync(before);
        AssertPageShows(await MergeOnThePageAsync(keepId, [keepId, .. mergedIds]), problem);
        await factory.AssertUnchangedAsync(before);
    }

    /// <summary>"Confirmar" of "Combinar casos" for this selection, as a supervisor (a forged or stale form); returns the errors shown.</summary>
    private async Task<string> MergeOnThePageAsync(int keepId, params int[] ids)
    {
        var client = await factory.ClientAsync(Roles.Supervisor);
        using var response = await client.PostWithTokenAsync("/Cases/Merge",
            [.. ids.Select(id => KeyValuePair.Create("ids", Invariant(id))), KeyValuePair.Create("keep", Invariant(keepId))], "/Cases");
        return (await response.PageAsync()).Text("#merge-errors");
    }

    public sealed class Sqlite(SqliteWebFactory factory) : CaseMergeApiTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : CaseMergeApiTests(factory), IClassFixture<PostgresWebFactory>;
}
