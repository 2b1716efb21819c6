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
        var all = await work.TimelineAsync(item.Id, null, default);
        Assert.Equal(["Al final otro comentario", "Luego una llamada", "Primero un comentario"], all.Select(e => e.Text));
        Assert.Equal([TimelineKind.Comment, TimelineKind.Activity, TimelineKind.Comment], all.Select(e => e.Kind));
        Assert.Equal(ActivityType.Call, all[1].ActivityType);
        Assert.Equal(["Luego una llamada"], (await work.TimelineAsync(item.Id, TimelineKind.Activity, default)).Select(e => e.Text));
        Assert.Equal(2, (await work.TimelineAsync(item.Id, TimelineKind.Comment, default)).Count);
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

    public sealed class Sqlite(SqliteWebFactory factory) : ActivityReadTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ActivityReadTests(factory), IClassFixture<PostgresWebFactory>;
}
