using CaseCrm.Data;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Activities;

/// <summary>
/// Every operation of the activity service on a real database, SQLite and PostgreSQL: the rules hold, the regarding
/// case's history records each change, and closing a case deals with its open activities in the same transaction.
/// </summary>
public abstract class ActivityServiceTests(DatabaseProvider provider) : DatabaseTest(provider)
{
    private string UserId => Data.User.Id;

    private ActivityFields Fields(Regarding? regarding, string? owner = null) =>
        new("Llamar al cliente", "Confirmar la visita", ActivityPriority.High, owner ?? UserId, regarding);

    [Fact]
    public async Task ACallRegardingACase_IsStored_WithAHistoryEntryOnTheCase()
    {
        var item = await Data.CaseAsync();

        var call = await Database.NewActivityService().CreateAsync(
            ActivityType.Call, Fields(new Regarding(RegardingType.Case, item.Id)) with { Direction = CallDirection.Outgoing, Phone = "600111222", DurationMinutes = 4 },
            UserId);

        var stored = await Database.InDbAsync(db => db.Activities.AsNoTracking().SingleAsync(a => a.Id == call.Id));
        Assert.Equal((ActivityType.Call, ActivityStatus.Open, item.Id, CallDirection.Outgoing, "600111222"), (stored.Type, stored.Status, stored.CaseId!.Value, stored.Direction!.Value, stored.Phone));
        Assert.Equal(
            [(HistoryField.ActivityAdded, "Llamar al cliente")],
            await Database.InDbAsync(db => db.CaseHistory.Where(h => h.CaseId == item.Id && h.Field == HistoryField.ActivityAdded).Select(h => new { h.Field, h.NewValue }).ToListAsync())
                .ContinueWith(t => t.Result.Select(h => (h.Field, h.NewValue)).ToList(), TaskScheduler.Default));
    }

    [Fact]
    public async Task AnAppointment_KeepsItsAttendees_AndAnEditReplacesThem()
    {
        var ana = await Data.UserAsync();
        var luis = await Data.UserAsync();
        var service = Database.NewActivityService();
        var meeting = await service.CreateAsync(
            ActivityType.Appointment,
            Fields(new Regarding(RegardingType.Contact, Data.Contact.Id)) with { StartAt = DateTime.UtcNow.AddDays(1), EndAt = DateTime.UtcNow.AddDays(1).AddHours(1), AttendeeIds = [ana.Id, luis.Id] },
            UserId);

        await Database.NewActivityService().UpdateAsync(
            meeting.Id, meeting.Version, Fields(new Regarding(RegardingType.Contact, Data.Contact.Id)) with { StartAt = meeting.StartAt, EndAt = meeting.EndAt, AttendeeIds = [luis.Id] },
            UserId, isSupervisor: false);

        var attendees = await Database.InDbAsync(db => db.Activities.Where(a => a.Id == meeting.Id).SelectMany(a => a.Attendees.Select(x => x.UserId)).ToListAsync());
        Assert.Equal([luis.Id], attendees);
    }

    [Fact]
    public async Task RefusedActivities_WriteNothing_AndNameEachReason()
    {
        var disabled = await Data.UserAsync();
        await Database.InDbAsync(async db =>
        {
            await db.Users.Where(u => u.Id == disabled.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false));
            return 0;
        });
        var counts = await Database.RowCountsAsync();

        var ex = await Assert.ThrowsAsync<CaseRuleException>(() => Database.NewActivityService().CreateAsync(
            ActivityType.Task, Fields(new Regarding(RegardingType.Account, 999_999), owner: disabled.Id), UserId));

        Assert.Equal([CaseRuleCode.ActivityOwnerNotAvailable, CaseRuleCode.RegardingNotFound], ex.Violations.Select(v => v.Code));
        Assert.Equal(counts, await Database.RowCountsAsync());
    }

    [Fact]
    public async Task CompleteCancelReopen_AreRecorded_AndAnotherAgentIsRefused()
    {
        var item = await Data.CaseAsync();
        var other = await Data.UserAsync();
        var task = await Database.NewActivityService().CreateAsync(ActivityType.Task, Fields(new Regarding(RegardingType.Case, item.Id)), UserId);

        var refused = await Assert.ThrowsAsync<CaseRuleException>(() => Database.NewActivityService().CompleteAsync(task.Id, other.Id, isSupervisor: false));
        Assert.Equal(CaseRuleCode.ActivityNotYours, refused.Code);

        await Database.NewActivityService().CompleteAsync(task.Id, UserId, isSupervisor: false);
        await Database.NewActivityService().ReopenAsync(task.Id, other.Id, isSupervisor: true);
        await Database.NewActivityService().CancelAsync(task.Id, UserId, isSupervisor: false);

        var stored = await Database.InDbAsync(db => db.Activities.AsNoTracking().SingleAsync(a => a.Id == task.Id));
        Assert.Equal((ActivityStatus.Cancelled, 4), (stored.Status, stored.Version));
        var fields = await Database.InDbAsync(db => db.CaseHistory.Where(h => h.CaseId == item.Id && h.Field >= HistoryField.ActivityAdded).OrderBy(h => h.Id).Select(h => h.Field).ToListAsync());
        Assert.Equal([HistoryField.ActivityAdded, HistoryField.ActivityCompleted, HistoryField.ActivityReopened, HistoryField.ActivityCancelled], fields);
    }

    [Fact]
    public async Task AnEditOnAnOldVersion_IsRefused()
    {
        var task = await Database.NewActivityService().CreateAsync(ActivityType.Task, Fields(null), UserId);
        await Database.NewActivityService().UpdateAsync(task.Id, task.Version, Fields(null) with { Subject = "Primero" }, UserId, false);

        var ex = await Assert.ThrowsAsync<CaseRuleException>(() =>
            Database.NewActivityService().UpdateAsync(task.Id, task.Version, Fields(null) with { Subject = "Segundo" }, UserId, false));

        Assert.Equal(CaseRuleCode.StaleActivityEdit, ex.Code);
        Assert.Equal("Primero", await Database.InDbAsync(db => db.Activities.Where(a => a.Id == task.Id).Select(a => a.Subject).SingleAsync()));
    }

    [Fact]
    public async Task ResolvingACaseWithOpenActivities_SaysHowMany_OrCancelsThemInTheSameTransaction()
    {
        var item = await Data.CaseAsync();
        var service = Database.NewActivityService();
        await service.CreateAsync(ActivityType.Task, Fields(new Regarding(RegardingType.Case, item.Id)), UserId);
        var done = await service.CreateAsync(ActivityType.Task, Fields(new Regarding(RegardingType.Case, item.Id)), UserId);
        await Database.NewActivityService().CompleteAsync(done.Id, UserId, false);
        await Database.NewActivityService().CreateAsync(ActivityType.Task, Fields(new Regarding(RegardingType.Case, item.Id)), UserId);
        var counts = await Database.RowCountsAsync();

        var ex = await Assert.ThrowsAsync<CaseRuleException>(() => Database.NewCaseService().ResolveAsync(item.Id, "Hecho", UserId));
        Assert.Equal(CaseRuleCode.CaseHasOpenActivities, ex.Code);
        Assert.Contains("2", ex.Violations[0].Args);
        Assert.Equal(counts, await Database.RowCountsAsync());
        Assert.Equal(CaseStatus.New, (await Database.FindCaseAsync(item.Id)).Status);

        await Database.NewCaseService().ResolveAsync(item.Id, "Hecho", UserId, cancelOpenActivities: true);

        Assert.Equal(CaseStatus.Resolved, (await Database.FindCaseAsync(item.Id)).Status);
        var statuses = await Database.InDbAsync(db => db.Activities.Where(a => a.CaseId == item.Id).OrderBy(a => a.Id).Select(a => a.Status).ToListAsync());
        Assert.Equal([ActivityStatus.Cancelled, ActivityStatus.Completed, ActivityStatus.Cancelled], statuses);
        Assert.Equal(2, await Database.InDbAsync(db => db.CaseHistory.CountAsync(h => h.CaseId == item.Id && h.Field == HistoryField.ActivityCancelled)));
    }

    [Fact]
    public async Task ACascadeClose_TreatsTheChildrensActivitiesTheSameWay()
    {
        await Data.SettingsAsync(s => s.ClosurePreference = ClosurePreference.CloseChildren);
        var (parent, children) = await Data.FamilyAsync(2);
        await Database.NewActivityService().CreateAsync(ActivityType.Task, Fields(new Regarding(RegardingType.Case, children[1].Id)), UserId);

        var ex = await Assert.ThrowsAsync<CaseRuleException>(() => Database.NewCaseService().CancelAsync(parent.Id, UserId));
        Assert.Equal(CaseRuleCode.CaseHasOpenActivities, ex.Code);
        Assert.Equal(CaseStatus.New, (await Database.FindCaseAsync(children[1].Id)).Status);

        await Database.NewCaseService().CancelAsync(parent.Id, UserId, cancelOpenActivities: true);

        Assert.Equal(CaseStatus.Cancelled, (await Database.FindCaseAsync(children[1].Id)).Status);
        Assert.Equal(ActivityStatus.Cancelled, await Database.InDbAsync(db => db.Activities.Where(a => a.CaseId == children[1].Id).Select(a => a.Status).SingleAsync()));
    }

    public sealed class Sqlite() : ActivityServiceTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : ActivityServiceTests(DatabaseProvider.Postgres);
}
