using System.Net;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Activities;

/// <summary>
/// Where agents meet activities, through real pages on SQLite and PostgreSQL: "Registrar llamada" from the contact list's
/// menu, the contact page and the case page; the case's "Actividad" timeline with its filter; the contact's and the
/// account's "Actividades" tabs; and resolving or cancelling a case with open activities.
/// </summary>
public abstract class ActivityPlacesTests(CrmWebFactory factory)
{
    [Fact]
    public async Task LogACall_FromTheContactListMenu_ComesBackToTheList_AndShowsInTheContactTab()
    {
        var data = await factory.NewDataAsync();
        var client = await factory.ClientAsync(Roles.Agent);
        var list = await client.GetDocumentAsync($"/Contacts?q={Uri.EscapeDataString(data.Contact.LastName!)}");
        var link = list.QuerySelectorAll("a[role=menuitem]")
            .Select(a => a.GetAttribute("href")!)
            .Single(href => href.StartsWith("/Activities/Create?type=Call&regardingType=Contact&regardingId=" + Invariant(data.Contact.Id) + "&", StringComparison.Ordinal));
        var subject = "Pregunta por la factura " + Token();

        var form = await client.GetFormAsync(link, "#activity-form");
        Assert.Equal(nameof(RegardingType.Contact), form.Get("RegardingType"));
        using var response = await form.Set("Subject", subject).PostAsync();

        Assert.StartsWith("/Contacts?q=", response.RedirectTarget(), StringComparison.Ordinal);
        var tab = await client.GetDocumentAsync($"/Contacts/{data.Contact.Id}?tab=activities");
        Assert.Contains(subject, tab.Text("#contact-activity-list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheContactAndCasePages_OfferACallAndATask_RegardingThem()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Páginas");
        var client = await factory.ClientAsync(Roles.Agent);

        var contactPage = await client.GetDocumentAsync($"/Contacts/{data.Contact.Id}");
        Assert.StartsWith($"/Activities/Create?type=Call&regardingType=Contact&regardingId={data.Contact.Id}&", contactPage.QuerySelector("#log-call")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.StartsWith($"/Activities/Create?type=Task&regardingType=Contact&regardingId={data.Contact.Id}&", contactPage.QuerySelector("#new-task")!.GetAttribute("href"), StringComparison.Ordinal);

        var casePage = await client.GetDocumentAsync($"/Cases/{item.Id}");
        var task = await client.GetFormAsync(casePage.QuerySelector("#case-new-task")!.GetAttribute("href")!, "#activity-form");
        Assert.Equal((nameof(RegardingType.Case), Invariant(item.Id), nameof(ActivityType.Task)), (task.Get("RegardingType"), task.Get("RegardingId"), task.Get("Type")));
        using var response = await task.Set("Subject", "Volver a llamar " + Token()).Set("DueAt", "2026-12-20T10:00").PostAsync();
        Assert.Equal($"/Cases/{item.Id}", response.RedirectTarget());
    }

    [Fact]
    public async Task TheCaseTimeline_MergesCommentsAndActivitiesNewestFirst_AndFiltersByKind()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Línea de tiempo");
        var agentId = await factory.UserIdAsync(Agent);
        var cases = factory.Database.NewCaseService();
        await cases.AddCommentAsync(item.Id, "Primer comentario", agentId);
        var call = await factory.Database.NewActivityService().CreateAsync(
            ActivityType.Call, new ActivityFields("Llamada " + Token(), null, ActivityPriority.Normal, agentId, new Regarding(RegardingType.Case, item.Id), StartAt: DateTime.UtcNow, Direction: CallDirection.Outgoing), agentId);
        await cases.AddCommentAsync(item.Id, "Segundo comentario", agentId);
        var client = await factory.ClientAsync(Roles.Agent);

        var all = await client.GetDocumentAsync($"/Cases/{item.Id}");
        Assert.Equal(["Segundo comentario", call.Subject, "Primer comentario"], all.QuerySelectorAll("#timeline .comment-body").Select(e => e.TextContent.Trim()));
        Assert.Equal($"/Activities/{call.Id}?returnUrl=%2FCases%2F{item.Id}", all.QuerySelector($"#timeline li[data-activity-id='{call.Id}'] a")!.GetAttribute("href"));

        var activities = await client.GetDocumentAsync($"/Cases/{item.Id}?show=Activity");
        Assert.Equal([call.Subject], activities.QuerySelectorAll("#timeline .comment-body").Select(e => e.TextContent.Trim()));
        Assert.Equal("page", activities.QuerySelector("#timeline-filter a[href*='show=Activity']")!.GetAttribute("aria-current"));
        var comments = await client.GetDocumentAsync($"/Cases/{item.Id}?show=Comment");
        Assert.Equal(["Segundo comentario", "Primer comentario"], comments.QuerySelectorAll("#timeline .comment-body").Select(e => e.TextContent.Trim()));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfGetAsync($"/Cases/{item.Id}?show=nada"));
    }

    [Fact]
    public async Task TheCaseTimeline_ShowsTheNewestPage_AndOlderPagesKeepTheFilter()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Páginas de la línea de tiempo");
        var agentId = await factory.UserIdAsync(Agent);
        await factory.Database.NewCaseService().AddCommentAsync(item.Id, "El comentario más antiguo", agentId);
        var service = factory.Database.NewActivityService();
        var created = new List<int>();
        for (var i = 0; i < CaseCrm.Web.Features.CaseWork.CaseWorkQueries.TimelinePageSize + 5; i++)
        {
            created.Add((await service.CreateAsync(
                ActivityType.Task, new ActivityFields($"Tarea {i}", null, ActivityPriority.Normal, agentId, new Regarding(RegardingType.Case, item.Id)), agentId)).Id);
        }

        var client = await factory.ClientAsync(Roles.Agent);
        static List<int> Shown(AngleSharp.Html.Dom.IHtmlDocument page) =>
            [.. page.QuerySelectorAll("#timeline li[data-activity-id]").Select(li => int.Parse(li.GetAttribute("data-activity-id")!, System.Globalization.CultureInfo.InvariantCulture))];

        var first = await client.GetDocumentAsync($"/Cases/{item.Id}?show=Activity");
        Assert.Equal(Enumerable.Reverse(created).Take(50), Shown(first));
        Assert.Null(first.QuerySelector("#timeline-newest"));
        var older = first.QuerySelector("#timeline-older")!.GetAttribute("href")!;
        Assert.StartsWith($"/Cases/{item.Id}?show=Activity&before=", older, StringComparison.Ordinal);

        var second = await client.GetDocumentAsync(older);
        Assert.Equal(Enumerable.Reverse(created).Skip(50), Shown(second));
        Assert.Empty(second.QuerySelectorAll("#timeline li[data-comment-id]"));
        Assert.Null(second.QuerySelector("#timeline-older"));
        Assert.Equal($"/Cases/{item.Id}?show=Activity#comments", second.QuerySelector("#timeline-newest")!.GetAttribute("href"));
        Assert.Equal("page", second.QuerySelector("#timeline-filter a[href*='show=Activity']")!.GetAttribute("aria-current"));

        // Unfiltered, the oldest entry, the comment, comes on the second page after the activities.
        var all = await client.GetDocumentAsync($"/Cases/{item.Id}");
        var rest = await client.GetDocumentAsync(all.QuerySelector("#timeline-older")!.GetAttribute("href")!);
        Assert.Equal(Enumerable.Reverse(created).Skip(50), Shown(rest));
        Assert.Equal(["El comentario más antiguo"], rest.QuerySelectorAll("#timeline li[data-comment-id] .comment-body").Select(e => e.TextContent.Trim()));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfGetAsync($"/Cases/{item.Id}?before=no-es-un-cursor"));
    }

    [Fact]
    public async Task TheContactAndAccountTabs_ShowTheirOwnActivities_AndTheirCases()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Pestañas");
        var agentId = await factory.UserIdAsync(Agent);
        var service = factory.Database.NewActivityService();
        ActivityFields Task(string subject, Regarding regarding) => new(subject, null, ActivityPriority.Normal, agentId, regarding, DueAt: DateTime.UtcNow.AddDays(1));
        var onCase = await service.CreateAsync(ActivityType.Task, Task("Del caso " + Token(), new(RegardingType.Case, item.Id)), agentId);
        var onContact = await service.CreateAsync(ActivityType.Task, Task("Del contacto " + Token(), new(RegardingType.Contact, data.Contact.Id)), agentId);
        var onAccount = await service.CreateAsync(ActivityType.Task, Task("De la cuenta " + Token(), new(RegardingType.Account, data.Account.Id)), agentId);
        var otherContact = await data.ContactAsync(data.Account);
        var onOther = await service.CreateAsync(ActivityType.Task, Task("De otro contacto " + Token(), new(RegardingType.Contact, otherContact.Id)), agentId);
        var client = await factory.ClientAsync(Roles.Agent);

        var contactTab = (await client.GetDocumentAsync($"/Contacts/{data.Contact.Id}?tab=activities")).Text("#contact-activity-list");
        Assert.Contains(onCase.Subject, contactTab, StringComparison.Ordinal);
        Assert.Contains(onContact.Subject, contactTab, StringComparison.Ordinal);
        Assert.DoesNotContain(onAccount.Subject, contactTab, StringComparison.Ordinal);
        Assert.DoesNotContain(onOther.Subject, contactTab, StringComparison.Ordinal);

        var accountTab = (await client.GetDocumentAsync($"/Accounts/{data.Account.Id}?tab=activities")).Text("#account-activity-list");
        foreach (var subject in new[] { onCase.Subject, onContact.Subject, onAccount.Subject, onOther.Subject })
        {
            Assert.Contains(subject, accountTab, StringComparison.Ordinal);
        }

        var empty = await client.GetDocumentAsync($"/Contacts/{(await data.ContactAsync()).Id}?tab=activities");
        Assert.Equal("No hay actividades de este registro ni de sus casos.", empty.Text("#contact-activities .empty"));
    }

    [Theory]
    [InlineData("Resolve")]
    [InlineData("Cancel")]
    public async Task ClosingACaseWithOpenActivities_SaysHowMany_RefusesWithoutConsent_AndCancelsThemWithIt(string action)
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Cierre");
        var agentId = await factory.UserIdAsync(Agent);
        var service = factory.Database.NewActivityService();
        foreach (var n in new[] { 1, 2 })
        {
            await service.CreateAsync(ActivityType.Task, new ActivityFields($"Pendiente {n} {Token()}", null, ActivityPriority.Normal, agentId, new Regarding(RegardingType.Case, item.Id), DueAt: DateTime.UtcNow.AddDays(n)), agentId);
        }

        var client = await factory.ClientAsync(Roles.Agent);
        var page = await client.GetDocumentAsync($"/Cases/{item.Id}/{action}");
        Assert.Contains("2 actividades abiertas", page.Text("#closure-activities"), StringComparison.Ordinal);
        var form = page.GetForm(client, "#close-form");
        if (action == "Resolve")
        {
            form.Set("Resolution", "Resuelto por teléfono");
        }

        using (var refused = await form.PostAsync())
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("actividades abiertas", (await refused.PageAsync()).Alerts(), StringComparison.Ordinal);
        }

        Assert.True((await factory.CaseAsync(item.Id)).IsActive);
        using (var closed = await form.Set("CancelOpenActivities", true).PostAsync())
        {
            Assert.Equal($"/Cases/{item.Id}", closed.RedirectTarget());
        }

        Assert.False((await factory.CaseAsync(item.Id)).IsActive);
        var statuses = await factory.InDbAsync(db => db.Activities.Where(a => a.CaseId == item.Id).Select(a => a.Status).ToListAsync());
        Assert.Equal([ActivityStatus.Cancelled, ActivityStatus.Cancelled], statuses);
        Assert.Equal(2, (await factory.HistoryAsync(item.Id)).Count(h => h.Field == HistoryField.ActivityCancelled));
    }

    public sealed class Sqlite(SqliteWebFactory factory) : ActivityPlacesTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ActivityPlacesTests(factory), IClassFixture<PostgresWebFactory>;
}
