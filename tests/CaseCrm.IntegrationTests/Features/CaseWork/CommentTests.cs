using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.CaseWork;

/// <summary>
/// The comment timeline of a case: plain text, always encoded, line breaks kept; authors edit or delete their own for a
/// while, supervisors any; a deleted comment's text stays in the history.
/// </summary>
public sealed class CommentTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    [Fact]
    public async Task AddComment_StoresThePlainText_AndShowsItEncodedWithItsLineBreaks()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#comment-form");
        const string Body = "<script>alert('xss')</script>\nSegunda línea & <b>negrita</b>";

        using var response = await form.Set("Body", "  " + Body + "\n").PostAsync();

        Assert.Equal($"/Cases/{item.Id}#comments", response.RedirectTarget());
        var stored = Assert.Single(await CommentsAsync(item.Id));
        Assert.Equal((Body, await factory.UserIdAsync(Agent), (DateTime?)null), (stored.Body, stored.AuthorId, stored.EditedAt));
        using var page = await client.FollowRedirectAsync(response);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>negrita</b>", html, StringComparison.Ordinal);
        var doc = await page.ReadHtmlAsync();
        Assert.Equal("Se agregó el comentario.", doc.Flash());
        var shown = doc.QuerySelector($"#timeline li[data-comment-id='{stored.Id}'] .comment-body")!;
        Assert.Equal(Body, shown.TextContent);
        Assert.Empty(shown.Children);
        Assert.Contains(Agent.DisplayName, doc.Text($"#timeline li[data-comment-id='{stored.Id}'] .timeline-meta"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeline_ShowsTheNewestCommentFirst()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        foreach (var body in new[] { "Primero", "Segundo", "Tercero" })
        {
            using var response = await (await client.GetFormAsync($"/Cases/{item.Id}", "#comment-form")).Set("Body", body).PostAsync();
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");

        Assert.Equal(["Tercero", "Segundo", "Primero"], page.QuerySelectorAll("#timeline .comment-body").Select(e => e.TextContent));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n  ")]
    public async Task AddComment_Empty_ShowsTheErrorBesideTheField_AndWritesNothing(string body)
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#comment-form");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("Body", body).PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("Escriba el comentario.", page.FieldError("Body"));
        Assert.Equal($"{Number(item.Id)} {item.Title}", page.Text("h1"));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AddComment_TooLong_KeepsTheDraft_AndWritesNothing()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var form = await client.GetFormAsync($"/Cases/{item.Id}", "#comment-form");
        var draft = new string('a', 4001);
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("Body", draft).PostAsync();

        var page = await response.PageAsync();
        Assert.Equal("Escriba como máximo 4000 caracteres.", page.FieldError("Body"));
        Assert.Equal(draft, page.GetForm(client, "#comment-form").Get("Body"));
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task AddComment_ToAnUnknownCase_Answers404()
    {
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        using var response = await client.PostWithTokenAsync("/Cases/999999/Comments", Fields(("Body", "Hola")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task EditComment_Own_WithinTheWindow_SavesAndRecordsTheOldText()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var comment = await AddCommentAsync(client, item.Id, "Llamé al cliente.");
        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");
        var editLink = page.QuerySelector($"#timeline li[data-comment-id='{comment.Id}'] a")?.GetAttribute("href");
        Assert.Equal($"/Cases/{item.Id}/Comments/{comment.Id}/Edit", editLink);
        var form = await client.GetFormAsync(editLink!);
        Assert.Equal("Llamé al cliente.", form.Get("Body"));

        using var response = await form.Set("Body", "Llamé al cliente <dos> veces.").PostAsync();

        Assert.Equal($"/Cases/{item.Id}#comments", response.RedirectTarget());
        var stored = Assert.Single(await CommentsAsync(item.Id));
        Assert.Equal("Llamé al cliente <dos> veces.", stored.Body);
        Assert.NotNull(stored.EditedAt);
        var entry = Assert.Single(await factory.HistoryAsync(item.Id), h => h.Field == HistoryField.CommentEdited);
        Assert.Equal(("Llamé al cliente.", "Llamé al cliente <dos> veces."), (entry.OldValue, entry.NewValue));
        var after = await client.FollowAsync(response);
        Assert.Equal("Se guardó el comentario.", after.Flash());
        Assert.Contains("editado", after.Text($"#timeline li[data-comment-id='{comment.Id}'] .timeline-meta"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditComment_Empty_IsRefusedBesideTheField_AndChangesNothing()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var comment = await AddCommentAsync(client, item.Id, "Texto original");
        var form = await client.GetFormAsync($"/Cases/{item.Id}/Comments/{comment.Id}/Edit");
        var before = await factory.SnapshotAsync();

        using var response = await form.Set("Body", " ").PostAsync();

        Assert.Equal("Escriba el comentario.", (await response.PageAsync()).FieldError("Body"));
        await factory.AssertUnchangedAsync(before);
        Assert.Equal("Texto original", Assert.Single(await CommentsAsync(item.Id)).Body);
    }

    [Fact]
    public async Task DeleteComment_Own_RemovesIt_AndLeavesItsTextInTheHistory()
    {
        var item = await NewCaseAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var comment = await AddCommentAsync(client, item.Id, "Comentario por error <i>");
        var form = await client.GetFormAsync($"/Cases/{item.Id}", $"#timeline li[data-comment-id='{comment.Id}'] form");

        using var response = await form.PostAsync();

        Assert.Equal($"/Cases/{item.Id}#comments", response.RedirectTarget());
        Assert.Empty(await CommentsAsync(item.Id));
        var entry = Assert.Single(await factory.HistoryAsync(item.Id), h => h.Field == HistoryField.CommentDeleted);
        Assert.Equal(("Comentario por error <i>", (string?)null, await factory.UserIdAsync(Agent)), (entry.OldValue, entry.NewValue, entry.UserId));
        Assert.Equal("Se eliminó el comentario; su texto queda en el historial.", (await client.FollowAsync(response)).Flash());
        var history = await client.GetDocumentAsync($"/Cases/{item.Id}?tab=history");
        var row = history.QuerySelector("#history-list tr[data-field='CommentDeleted']")!;
        Assert.Contains("Comentario eliminado", row.Squashed(), StringComparison.Ordinal);
        Assert.Contains("Comentario por error <i>", row.Squashed(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherAgentsComment_OffersNoCommands_AndForgedEditOrDeleteIsRefusedWithNothingChanged()
    {
        var item = await NewCaseAsync();
        var other = await factory.NewUserAsync(Roles.Agent);
        var comment = await InsertCommentAsync(item.Id, other.Id, "Escrito por otra agente", DateTime.UtcNow);
        var client = await factory.ClientAsync(Roles.Agent);
        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.Empty(page.QuerySelectorAll($"#timeline li[data-comment-id='{comment.Id}'] .toolbar"));
        Assert.Contains(other.DisplayName, page.Text($"#timeline li[data-comment-id='{comment.Id}']"), StringComparison.Ordinal);
        var before = await factory.SnapshotAsync();

        var edit = await client.GetFormAsync($"/Cases/{item.Id}/Comments/{comment.Id}/Edit");
        using var edited = await edit.Set("Body", "Reescrito").PostAsync();
        using var deleted = await client.PostWithTokenAsync($"/Cases/{item.Id}/Comments/{comment.Id}/Delete", tokenPage: $"/Cases/{item.Id}");

        const string Refusal = "Solo el autor, durante los primeros 15 minutos, o un supervisor pueden cambiar o eliminar este comentario.";
        Assert.Contains(Refusal, (await edited.PageAsync()).ValidationErrors());
        Assert.Contains(Refusal, (await client.FollowAsync(deleted)).Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
        Assert.Equal("Escrito por otra agente", Assert.Single(await CommentsAsync(item.Id)).Body);
    }

    [Fact]
    public async Task OwnComment_AfterTheWindow_CanNoLongerBeChanged()
    {
        var item = await NewCaseAsync();
        var comment = await InsertCommentAsync(item.Id, await factory.UserIdAsync(Agent), "Antiguo", DateTime.UtcNow - CaseComment.AuthorEditWindow - TimeSpan.FromMinutes(1));
        var client = await factory.ClientAsync(Roles.Agent);
        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.Empty(page.QuerySelectorAll($"#timeline li[data-comment-id='{comment.Id}'] .toolbar"));
        var before = await factory.SnapshotAsync();

        using var deleted = await client.PostWithTokenAsync($"/Cases/{item.Id}/Comments/{comment.Id}/Delete", tokenPage: $"/Cases/{item.Id}");

        Assert.Contains("Solo el autor, durante los primeros 15 minutos", (await client.FollowAsync(deleted)).Alerts(), StringComparison.Ordinal);
        await factory.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Supervisor_MayEditAndDeleteAnAgentsComment()
    {
        var item = await NewCaseAsync();
        var comment = await InsertCommentAsync(item.Id, await factory.UserIdAsync(Agent), "Del agente", DateTime.UtcNow.AddDays(-2));
        var supervisor = await factory.ClientAsync(Roles.Supervisor);
        var page = await supervisor.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.NotEmpty(page.QuerySelectorAll($"#timeline li[data-comment-id='{comment.Id}'] .toolbar form"));

        using (var edited = await (await supervisor.GetFormAsync($"/Cases/{item.Id}/Comments/{comment.Id}/Edit")).Set("Body", "Corregido por supervisión").PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}#comments", edited.RedirectTarget());
        }

        Assert.Equal("Corregido por supervisión", Assert.Single(await CommentsAsync(item.Id)).Body);
        using (var deleted = await (await supervisor.GetFormAsync($"/Cases/{item.Id}", $"#timeline li[data-comment-id='{comment.Id}'] form")).PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}#comments", deleted.RedirectTarget());
        }

        Assert.Empty(await CommentsAsync(item.Id));
        var supervisorId = await factory.UserIdAsync(Supervisor);
        var history = await factory.HistoryAsync(item.Id);
        Assert.Contains(history, h => h.Field == HistoryField.CommentEdited && h.OldValue == "Del agente" && h.UserId == supervisorId);
        Assert.Contains(history, h => h.Field == HistoryField.CommentDeleted && h.OldValue == "Corregido por supervisión" && h.UserId == supervisorId);
    }

    [Fact]
    public async Task EditComment_OfAnUnknownCommentOrAnotherCasesComment_Answers404()
    {
        var item = await NewCaseAsync();
        var other = await NewCaseAsync();
        var comment = await InsertCommentAsync(other.Id, await factory.UserIdAsync(Agent), "En otro caso", DateTime.UtcNow);
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.SnapshotAsync();

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfGetAsync($"/Cases/{item.Id}/Comments/999999/Edit"));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfGetAsync($"/Cases/{item.Id}/Comments/{comment.Id}/Edit"));
        using var edit = await client.PostWithTokenAsync($"/Cases/{item.Id}/Comments/{comment.Id}/Edit", Fields(("Body", "x")));
        using var delete = await client.PostWithTokenAsync($"/Cases/{item.Id}/Comments/{comment.Id}/Delete");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (edit.StatusCode, delete.StatusCode));
        await factory.AssertUnchangedAsync(before);
    }

    // ---- Helpers

    private async Task<Case> NewCaseAsync() => await (await factory.NewDataAsync()).UniqueCaseAsync("Con comentarios");

    private Task<List<CaseComment>> CommentsAsync(int caseId) =>
        factory.InDbAsync(db => db.CaseComments.AsNoTracking().Where(c => c.CaseId == caseId).OrderBy(c => c.Id).ToListAsync());

    private async Task<CaseComment> AddCommentAsync(HttpClient client, int caseId, string body)
    {
        var form = await client.GetFormAsync($"/Cases/{caseId}", "#comment-form");
        using var response = await form.Set("Body", body).PostAsync();
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (await CommentsAsync(caseId)).Last();
    }

    private Task<CaseComment> InsertCommentAsync(int caseId, string authorId, string body, DateTime createdAt) =>
        factory.InDbAsync(async db =>
        {
            var comment = new CaseComment(caseId, authorId, body, createdAt);
            db.CaseComments.Add(comment);
            await db.SaveChangesAsync();
            return comment;
        });
}
