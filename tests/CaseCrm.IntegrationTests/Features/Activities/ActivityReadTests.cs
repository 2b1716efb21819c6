using CaseCrm.Domain.Activities;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.Activities;
using CaseCrm.Web.Features.CaseWork;
using Microsoft.Extensions.DependencyInjection;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Activities;

/// <summary>
/// The reads that merge: a case's timeline (its comments and activities, newest first, filtered by kind) and the
/// "Actividades" of a contact (its own and its cases') and of an account (its own, its contacts' and its cases'), on
/// SQLite and PostgreSQL.
/// </summary>
public abstract class ActivityReadTests(CrmWebFactory factory)
{
    [Fact]
    public async Task TheTimeline_MergesCommentsAndActivities_NewestFirst_AndFiltersByKind()
    {
        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Cronología");
        var cases = factory.Database.NewCaseService();
        await cases.AddCommentAsync(item.Id, "Primero un comentario", data.User.Id);
        await Task.Delay(20);
        await factory.Database.NewActivityService().CreateAsync(
            ActivityType.Call, new ActivityFields("Luego una llamada", null, ActivityPriority.Normal, data.User.Id, new Regarding(RegardingType.Case, item.Id), Direction: CallDirection.Incoming),
            data.User.Id);
        await Task.Delay(20);
        await factory.Database.NewCaseService().AddCommentAsync(item.Id, "Al final otro comentario", data.User.Id);

        await using var scope = factory.Services.CreateAsyncScope();
        var work = scope.ServiceProvider.GetRequiredService<CaseWorkQueries>();
        var all = (await work.TimelineAsync(item.Id, null, default)).Entries;
        Assert.Equal(["Al final otro comentario", "Luego una llamada", "Primero un comentario"], all.Select(e => e.Text));
        Assert.Equal([TimelineKind.Comment, TimelineKind.Activity, TimelineKind.Comment], all.Select(e => e.Kind));
        Assert.Equal(ActivityType.Call, all[1].ActivityType);
        Assert.Equal(["Luego una llamada"], (await work.TimelineAsync(item.Id, TimelineKind.Activity, default)).Entries.Select(e => e.Text));
        Assert.Equal(2, (await work.TimelineAsync(item.Id, TimelineKind.Comment, default)).Entries.Count);
    }

    [Fact]
    public async Task AContactsAndAnAccountsActivities_IncludeThoseOfTheirCasesAndContacts()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync();
        async Task<Activity> NewAsync(string subject, Regarding regarding) =>
            await factory.Database.NewActivityService().CreateAsync(ActivityType.Task, new ActivityFields(subject, null, ActivityPriority.Normal, data.User.Id, regarding), data.User.Id);
        var onContact = await NewAsync("De contacto " + Token(), new Regarding(RegardingType.Contact, data.Contact.Id));
        var onCase = await NewAsync("De caso " + Token(), new Regarding(RegardingType.Case, item.Id));
        var onAccount = await NewAsync("De cuenta " + Token(), new Regarding(RegardingType.Account, data.Account.Id));
        var elsewhere = await NewAsync("De otro " + Token(), new Regarding(RegardingType.Contact, (await data.ContactAsync()).Id));

        await using var scope = factory.Services.CreateAsyncScope();
        var queries = scope.ServiceProvider.GetRequiredService<ActivityQueries>();
        var contactTab = await queries.AroundAsync(RegardingType.Contact, data.Contact.Id, 1, default);
        Assert.Equal([onCase.Id, onContact.Id], contactTab.Items.Select(r => r.Id));
        var accountTab = await queries.AroundAsync(RegardingType.Account, data.Account.Id, 1, default);
        Assert.Equal([onAccount.Id, onCase.Id, onContact.Id], accountTab.Items.Select(r => r.Id));
        Assert.DoesNotContain(elsewhere.Id, accountTab.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task TheTabs_FollowAChangedRegarding_AndTheAccountOfTheCaseOrContactWhenItChanges()
    {
        var data = await factory.NewDataAsync();
        var item = await data.CaseAsync();
        var activities = factory.Database.NewActivityService();
        ActivityFields Task(string subject, Regarding regarding) => new(subject, null, ActivityPriority.Normal, data.User.Id, regarding);
        var onCase = await activities.CreateAsync(ActivityType.Task, Task("Del caso " + Token(), new(RegardingType.Case, item.Id)), data.User.Id);
        var moved = await activities.CreateAsync(ActivityType.Task, Task("Se mueve " + Token(), new(RegardingType.Case, item.Id)), data.User.Id);
        var onContact = await activities.CreateAsync(ActivityType.Task, Task("Del contacto " + Token(), new(RegardingType.Contact, data.Contact.Id)), data.User.Id);
        var otherContact = await data.ContactAsync();
        var otherAccount = await data.AccountAsync();

        async Task<List<int>> TabAsync(RegardingType type, int id)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return [.. (await scope.ServiceProvider.GetRequiredService<ActivityQueries>().AroundAsync(type, id, 1, default)).Items.Select(r => r.Id)];
        }

        Assert.Equal([onContact.Id, moved.Id, onCase.Id], await TabAsync(RegardingType.Contact, data.Contact.Id));
        Assert.Equal([onContact.Id, moved.Id, onCase.Id], await TabAsync(RegardingType.Account, data.Account.Id));

        // "Referente a" changes to a contact without an account: the activity leaves the first contact's and account's tabs.
        await activities.UpdateAsync(moved.Id, moved.Version, Task(moved.Subject, new(RegardingType.Contact, otherContact.Id)), data.User.Id, isSupervisor: false);
        Assert.Equal([onContact.Id, onCase.Id], await TabAsync(RegardingType.Contact, data.Contact.Id));
        Assert.Equal([moved.Id], await TabAsync(RegardingType.Contact, otherContact.Id));
        Assert.Equal([onContact.Id, onCase.Id], await TabAsync(RegardingType.Account, data.Account.Id));

        // The case moves to another account: its activities follow; the contact's stay.
        var stored = await factory.Database.FindCaseAsync(item.Id);
        await factory.Database.NewCaseService().UpdateAsync(
            item.Id, stored.Version, data.Fields(title: stored.Title, accountId: otherAccount.Id), stored.Status, data.User.Id);
        Assert.Equal([onCase.Id], await TabAsync(RegardingType.Account, otherAccount.Id));
        Assert.Equal([onContact.Id], await TabAsync(RegardingType.Account, data.Account.Id));
        Assert.Equal([onContact.Id, onCase.Id], await TabAsync(RegardingType.Contact, data.Contact.Id));

        // The contact moves to that account too, through its edit form: the activities regarding it follow.
        var client = await factory.ClientAsync(CaseCrm.Data.Identity.Roles.Agent);
        var form = await client.GetFormAsync($"/Contacts/{data.Contact.Id}/Edit");
        using var response = await form.Set("AccountId", otherAccount.Id).PostAsync();
        Assert.Equal($"/Contacts/{data.Contact.Id}", response.RedirectTarget());
        Assert.Equal([onContact.Id, onCase.Id], await TabAsync(RegardingType.Account, otherAccount.Id));
        Assert.Empty(await TabAsync(RegardingType.Account, data.Account.Id));
    }

    public sealed class Sqlite(SqliteWebFactory factory) : ActivityReadTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ActivityReadTests(factory), IClassFixture<PostgresWebFactory>;
}
