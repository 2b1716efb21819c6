using System.Net;
using System.Text.Json;
using CaseCrm.Data.Identity;
using CaseCrm.Data.Notifications;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Notifications;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Notifications;

/// <summary>
/// The bell, on SQLite and PostgreSQL: a case assigned by someone else notifies the assignee (taking one's own case
/// notifies nobody); a customer's reply notifies the case's assignee; an @handle in a comment notifies that user once, an
/// unknown handle nobody, an edit only the people it adds; the unread count in the top bar; marking one, opening one and
/// marking all read; another user's notification answers 404 and stays unread; the mention suggestions.
/// </summary>
public abstract class NotificationTests(CrmWebFactory factory)
{
    [Fact]
    public async Task ACaseAssignedBySomeoneElse_NotifiesTheAssignee_AndTheBellCountsIt_ButTakingACaseNotifiesNobody()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync();
        var (agent, agentClient) = await factory.NewSignedInUserAsync(Roles.Agent);
        var supervisorId = await factory.UserIdAsync(Supervisor);
        var supervisor = await factory.ClientAsync(Roles.Supervisor);

        var assign = (await supervisor.GetFormAsync($"/Cases/{item.Id}", "form[action$='/Assign']")).Set("assigneeId", agent.Id);
        using (var assigned = await assign.PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        }

        var notification = Assert.Single(await NotificationsOfAsync(agent.Id));
        Assert.Equal((NotificationKind.Assigned, item.Id, supervisorId, (DateTime?)null), (notification.Kind, notification.CaseId, notification.ActorId, notification.ReadAt));

        var other = await data.CaseAsync();
        using (var taken = await (await agentClient.GetFormAsync($"/Cases/{other.Id}", "form[action$='/Take']")).PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        }

        Assert.Equal(agent.Id, (await factory.CaseAsync(other.Id)).AssignedToId);
        Assert.Single(await NotificationsOfAsync(agent.Id));
        var page = await agentClient.GetDocumentAsync("/");
        Assert.Equal("1", page.QuerySelector("#notification-count")?.TextContent.Trim());
        Assert.Equal("1 notificación sin leer", page.QuerySelector("#notification-bell-label")?.TextContent.Trim());
        var list = await agentClient.GetDocumentAsync("/Notifications");
        var row = list.QuerySelector($"#notification-{notification.Id}")!;
        Assert.Contains($"{item.Number} te fue asignado por {Supervisor.DisplayName}", Squash(row.TextContent), StringComparison.Ordinal);
        Assert.Equal("false", row.GetAttribute("data-read"));
    }

    [Fact]
    public async Task ACustomersReply_NotifiesTheAssigneeOfTheCase_AndNobodyWhenTheCaseIsUnassigned()
    {
        var data = await factory.NewDataAsync();
        var assignee = await factory.NewUserAsync(Roles.Agent);
        var assignedCase = await data.CaseAsync();
        var unassignedCase = await data.CaseAsync();
        await factory.Database.NewCaseService().AssignAsync(assignedCase.Id, assignee.Id, await factory.UserIdAsync(Supervisor), isSupervisor: true);
        var before = await factory.InDbAsync(db => db.Notifications.CountAsync());

        await factory.ReceiveRepliesAsync(assignedCase.Id, 1);
        await factory.ReceiveRepliesAsync(unassignedCase.Id, 1);

        var notifications = await NotificationsOfAsync(assignee.Id);
        Assert.Equal(
            [(NotificationKind.Assigned, assignedCase.Id, false), (NotificationKind.CustomerReplied, assignedCase.Id, true)],
            notifications.Select(n => (n.Kind, n.CaseId, n.ActorId is null)));
        Assert.Equal(before + 1, await factory.InDbAsync(db => db.Notifications.CountAsync()));
    }

    [Fact]
    public async Task AMention_NotifiesThatUserOnce_AnUnknownHandleAndTheAuthorNobody_AndAnEditOnlyThePeopleItAdds()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync();
        var ana = await factory.NewUserAsync(Roles.Agent);
        var luis = await factory.NewUserAsync(Roles.Supervisor);
        var agentId = await factory.UserIdAsync(Agent);
        var client = await factory.ClientAsync(Roles.Agent);
        var before = await factory.InDbAsync(db => db.Notifications.CountAsync());

        var comment = (await client.GetFormAsync($"/Cases/{item.Id}", "#comment-form"))
            .Set("Body", $"Hola @{Handle(ana)}, ¿lo miras? (@{Handle(ana).ToUpperInvariant()} otra vez) Copia a @nadie-{Token()} y a @{Handle(Agent.Email)}.");
        using (var posted = await comment.PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }

        var mention = Assert.Single(await NotificationsOfAsync(ana.Id));
        Assert.Equal((NotificationKind.Mentioned, item.Id, agentId), (mention.Kind, mention.CaseId, mention.ActorId));
        Assert.Equal(before + 1, await factory.InDbAsync(db => db.Notifications.CountAsync()));

        var commentId = await factory.InDbAsync(db => db.CaseComments.Where(c => c.CaseId == item.Id).Select(c => c.Id).SingleAsync());
        var edit = (await client.GetFormAsync($"/Cases/{item.Id}/Comments/{commentId}/Edit", "form[action$='/Edit']"))
            .Set("Body", $"Hola @{Handle(ana)} y @{Handle(luis)}.");
        using (var edited = await edit.PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        }

        Assert.Single(await NotificationsOfAsync(ana.Id));
        var added = Assert.Single(await NotificationsOfAsync(luis.Id));
        Assert.Equal((NotificationKind.Mentioned, item.Id, agentId), (added.Kind, added.CaseId, added.ActorId));
        Assert.Equal(before + 2, await factory.InDbAsync(db => db.Notifications.CountAsync()));
    }

    [Fact]
    public async Task NotificationsAreMarkedRead_OneByOne_ByOpeningOne_AndAllAtOnce_AndTheBellFollows()
    {
        var data = await factory.NewDataAsync();
        var (user, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var cases = await data.CasesAsync(3);
        var supervisorId = await factory.UserIdAsync(Supervisor);
        var ids = await AddAsync(user.Id, supervisorId, cases.Select(c => c.Id).ToArray());

        var page = await client.GetDocumentAsync("/Notifications");
        Assert.Equal("3", page.QuerySelector("#notification-count")?.TextContent.Trim());
        Assert.Equal(ids.Reverse(), page.QuerySelectorAll("#notifications > li").Select(li => long.Parse(li.Id!["notification-".Length..], System.Globalization.CultureInfo.InvariantCulture)));

        using (var read = await page.GetForm(client, $"#notification-{ids[0]} form[action$='/Read']").PostAsync())
        {
            Assert.Equal("/Notifications", read.RedirectTarget());
            var after = await client.FollowAsync(read);
            Assert.Equal("Notificación marcada como leída.", after.Flash());
            Assert.Equal("2", after.QuerySelector("#notification-count")?.TextContent.Trim());
            Assert.Equal("true", after.QuerySelector($"#notification-{ids[0]}")?.GetAttribute("data-read"));
        }

        using (var opened = await page.GetForm(client, $"#notification-{ids[1]} form[action$='/Open']").PostAsync())
        {
            Assert.Equal($"/Cases/{cases[1].Id}", opened.RedirectTarget());
        }

        Assert.Equal([true, true, false], (await NotificationsOfAsync(user.Id)).Select(n => n.ReadAt.HasValue));

        using (var all = await (await client.GetFormAsync("/Notifications", "#notifications-read-all")).PostAsync())
        {
            var after = await client.FollowAsync(all);
            Assert.Null(after.QuerySelector("#notification-count"));
            Assert.Equal("Notificaciones, ninguna sin leer", after.QuerySelector("#notification-bell-label")?.TextContent.Trim());
            Assert.Null(after.QuerySelector("#notifications-read-all"));
        }

        Assert.All(await NotificationsOfAsync(user.Id), n => Assert.NotNull(n.ReadAt));
    }

    [Fact]
    public async Task AnotherUsersNotification_AnswersNotFound_AndStaysUnread_AndMarkingAllLeavesItAlone()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync();
        var owner = await factory.NewUserAsync(Roles.Agent);
        var id = (await AddAsync(owner.Id, await factory.UserIdAsync(Supervisor), item.Id))[0];
        var intruder = await factory.ClientAsync(Roles.Supervisor);

        foreach (var action in new[] { "Read", "Open" })
        {
            using var refused = await intruder.PostWithTokenAsync($"/Notifications/{id}/{action}", tokenPage: "/Notifications");
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using (var all = await intruder.PostWithTokenAsync("/Notifications/ReadAll", tokenPage: "/Notifications"))
        {
            Assert.Equal(HttpStatusCode.Redirect, all.StatusCode);
        }

        using (var forged = await intruder.PostAsync(new Uri($"/Notifications/{id}/Read", UriKind.Relative), new FormUrlEncodedContent([])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        Assert.Null(Assert.Single(await NotificationsOfAsync(owner.Id)).ReadAt);
    }

    [Fact]
    public async Task TheMentionSuggestions_OfferActivePeopleByHandleOrName_NeverInactiveOrSystemUsers()
    {
        var active = await factory.NewUserAsync(Roles.Agent);
        var inactive = await factory.NewUserAsync(Roles.Agent, active: false);
        var client = await factory.ClientAsync(Roles.Agent);

        var byHandle = await SuggestionsAsync(client, "@" + Handle(active).ToUpperInvariant());
        Assert.Contains((Handle(active), active.DisplayName), byHandle);
        Assert.DoesNotContain(byHandle, s => s.Handle == Handle(inactive));
        Assert.Contains((Handle(active), active.DisplayName), await SuggestionsAsync(client, active.DisplayName));
        Assert.Empty(await SuggestionsAsync(client, "correo"));
        Assert.True((await SuggestionsAsync(client, "")).Count <= 8);
    }

    private static string Handle(AppUser user) => Mentions.HandleOf(user.UserName!);

    private static string Handle(string email) => Mentions.HandleOf(email);

    private static async Task<List<(string Handle, string Name)>> SuggestionsAsync(HttpClient client, string q)
    {
        using var response = await client.GetAsync(new Uri("/Notifications/Mentions?q=" + Uri.EscapeDataString(q), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.EnumerateArray().Select(e => (e.GetProperty("handle").GetString()!, e.GetProperty("name").GetString()!))];
    }

    private Task<List<Notification>> NotificationsOfAsync(string userId) =>
        factory.InDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.UserId == userId).OrderBy(n => n.Id).ToListAsync());

    /// <summary>Assignment notifications for <paramref name="userId"/>, one per case, oldest first, through the public writer.</summary>
    private Task<long[]> AddAsync(string userId, string actorId, params int[] caseIds) => factory.InDbAsync(async db =>
    {
        foreach (var caseId in caseIds)
        {
            Assert.True(Notify.Add(db, userId, NotificationKind.Assigned, caseId, actorId, DateTime.UtcNow));
        }

        await db.SaveChangesAsync();
        return await db.Notifications.Where(n => n.UserId == userId).OrderBy(n => n.Id).Select(n => n.Id).ToArrayAsync();
    });

    public sealed class Sqlite(SqliteWebFactory factory) : NotificationTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : NotificationTests(factory), IClassFixture<PostgresWebFactory>;
}
