using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using Xunit;

namespace CaseCrm.UnitTests.Activities;

/// <summary>Every rule and transition of <see cref="Activity"/> (design.md, "Activities").</summary>
public class ActivityTests
{
    private const string Owner = "ana";
    private const string Other = "luis";
    private static readonly DateTime Now = new(2026, 12, 5, 10, 0, 0, DateTimeKind.Utc);
    private static readonly ActivityReferences Found = new(OwnerIsAvailable: true, RegardingExists: true);

    private static ActivityFields Fields(Regarding? regarding = null) =>
        new("Llamar para confirmar", null, ActivityPriority.Normal, Owner, regarding ?? new Regarding(RegardingType.Case, 7));

    private static Activity NewTask() =>
        new(ActivityType.Task, Fields() with { DueAt = Now.AddDays(1) }, Found, Owner, Now);

    [Fact]
    public void ANewActivity_IsOpen_WithItsFields_AndVersionOne()
    {
        var task = NewTask();

        Assert.Equal(ActivityStatus.Open, task.Status);
        Assert.Equal(ActivityType.Task, task.Type);
        Assert.Equal(7, task.CaseId);
        Assert.Null(task.ContactId);
        Assert.Equal(new Regarding(RegardingType.Case, 7), task.Regarding);
        Assert.Equal(Now.AddDays(1), task.ScheduledAt);
        Assert.Equal(1, task.Version);
        Assert.Equal(Owner, task.CreatedById);
    }

    [Fact]
    public void OnlyTheFieldsOfItsType_AreKept()
    {
        var all = Fields() with
        {
            DueAt = Now.AddDays(1), StartAt = Now, EndAt = Now.AddHours(1), Location = "Oficina", AttendeeIds = [Other, Other],
            Direction = CallDirection.Outgoing, Phone = " 600 111 222 ", DurationMinutes = 5,
        };

        var call = new Activity(ActivityType.Call, all, Found, Owner, Now);
        var task = new Activity(ActivityType.Task, all, Found, Owner, Now);
        var meeting = new Activity(ActivityType.Appointment, all, Found, Owner, Now);

        Assert.Equal((CallDirection.Outgoing, "600 111 222", 5, Now, (DateTime?)null, (DateTime?)null), (call.Direction!.Value, call.Phone, call.DurationMinutes!.Value, call.StartAt!.Value, call.EndAt, call.DueAt));
        Assert.Equal((Now.AddDays(1), (DateTime?)null, (CallDirection?)null, (string?)null), (task.DueAt!.Value, task.StartAt, task.Direction, task.Location));
        Assert.Equal(("Oficina", Now, Now.AddHours(1), (DateTime?)null, (string?)null), (meeting.Location, meeting.StartAt!.Value, meeting.EndAt!.Value, meeting.DueAt, meeting.Phone));
        Assert.Equal([Other], meeting.Attendees.Select(a => a.UserId));
        Assert.Equal(Now, meeting.ScheduledAt);
    }

    [Theory]
    [InlineData(RegardingType.Contact)]
    [InlineData(RegardingType.Account)]
    public void RegardingAContactOrAnAccount_IsKeptInItsOwnColumn(RegardingType type)
    {
        var task = new Activity(ActivityType.Task, Fields(new Regarding(type, 3)), Found, Owner, Now);

        Assert.Equal(new Regarding(type, 3), task.Regarding);
        Assert.Null(task.CaseId);
        Assert.Equal(type == RegardingType.Contact ? 3 : null, task.ContactId);
        Assert.Equal(type == RegardingType.Account ? 3 : null, task.AccountId);
    }

    [Fact]
    public void TheTabsItIsListedIn_AreThoseOfWhatItRegards_OrOfItsCasesContactAndAccount()
    {
        var onCase = new Activity(ActivityType.Task, Fields(new Regarding(RegardingType.Case, 5)), Found with { RegardingContactId = 7, RegardingAccountId = 9 }, Owner, Now);
        Assert.Equal((7, 9), (onCase.AroundContactId, onCase.AroundAccountId));

        onCase.Update(Fields(new Regarding(RegardingType.Contact, 8)), Found with { RegardingAccountId = 4 }, Owner, false, Now);
        Assert.Equal((8, 4), (onCase.AroundContactId, onCase.AroundAccountId));

        onCase.Update(Fields(new Regarding(RegardingType.Account, 6)), Found, Owner, false, Now);
        Assert.Equal((null, 6), (onCase.AroundContactId, onCase.AroundAccountId));

        onCase.Update(Fields() with { Regarding = null }, Found with { RegardingContactId = 7, RegardingAccountId = 9 }, Owner, false, Now);
        Assert.Equal((null, null), (onCase.AroundContactId, onCase.AroundAccountId));
    }

    [Fact]
    public void AnAppointment_NeedsAStartAndAnEnd_AndEndsAfterItStarts()
    {
        Assert.Equal(
            CaseRuleCode.AppointmentNeedsTimes,
            Assert.Throws<CaseRuleException>(() => new Activity(ActivityType.Appointment, Fields() with { StartAt = Now }, Found, Owner, Now)).Code);
        Assert.Equal(
            CaseRuleCode.AppointmentEndsBeforeStart,
            Assert.Throws<CaseRuleException>(() => new Activity(ActivityType.Appointment, Fields() with { StartAt = Now, EndAt = Now }, Found, Owner, Now)).Code);
        Assert.Equal(
            CaseRuleCode.AttendeeNotAvailable,
            Assert.Throws<CaseRuleException>(() => new Activity(
                ActivityType.Appointment, Fields() with { StartAt = Now, EndAt = Now.AddMinutes(30) }, Found with { AttendeesAreAvailable = false }, Owner, Now)).Code);
    }

    [Fact]
    public void ACall_IsIncomingOrOutgoing()
    {
        Assert.Equal(CaseRuleCode.CallNeedsDirection, Assert.Throws<CaseRuleException>(() => new Activity(ActivityType.Call, Fields(), Found, Owner, Now)).Code);
    }

    [Fact]
    public void AMissingOwnerOrRegarding_IsRefused_NamingEach()
    {
        var ex = Assert.Throws<CaseRuleException>(() => new Activity(ActivityType.Task, Fields(), new ActivityReferences(false, false), Owner, Now));

        Assert.Equal([CaseRuleCode.ActivityOwnerNotAvailable, CaseRuleCode.RegardingNotFound], ex.Violations.Select(v => v.Code));
        Assert.All(ex.Violations, v => Assert.Equal(7, v.CaseId));
    }

    [Fact]
    public void AnEditThatKeepsTheOwner_DoesNotAskWhetherTheOwnerIsAvailable()
    {
        var task = NewTask();

        task.Update(Fields() with { Subject = "Otra cosa" }, new ActivityReferences(OwnerIsAvailable: false, RegardingExists: true), Owner, false, Now.AddHours(1));

        Assert.Equal("Otra cosa", task.Subject);
        Assert.Equal(2, task.Version);
        Assert.Equal(Now.AddHours(1), task.UpdatedAt);
    }

    [Fact]
    public void CompleteCancelAndReopen_MoveBetweenOpenAndClosed()
    {
        var task = NewTask();

        task.Complete(Owner, false, Now.AddHours(2));
        Assert.Equal((ActivityStatus.Completed, Now.AddHours(2)), (task.Status, task.ClosedAt!.Value));

        task.Reopen(Owner, false, Now.AddHours(3));
        Assert.Equal(ActivityStatus.Open, task.Status);
        Assert.Null(task.ClosedAt);

        task.Cancel(Owner, false, Now.AddHours(4));
        Assert.Equal(ActivityStatus.Cancelled, task.Status);
        Assert.Equal(4, task.Version);
    }

    [Fact]
    public void AClosedActivity_IsReadOnly_UntilReopened()
    {
        var task = NewTask();
        task.Complete(Owner, false, Now);

        Assert.Equal(CaseRuleCode.ActivityClosed, Assert.Throws<CaseRuleException>(() => task.Update(Fields(), Found, Owner, true, Now)).Code);
        Assert.Equal(CaseRuleCode.ActivityClosed, Assert.Throws<CaseRuleException>(() => task.Complete(Owner, false, Now)).Code);
        Assert.Equal(CaseRuleCode.ActivityClosed, Assert.Throws<CaseRuleException>(() => task.Cancel(Owner, true, Now)).Code);
        Assert.Equal(CaseRuleCode.ActivityAlreadyOpen, Assert.Throws<CaseRuleException>(() => NewTask().Reopen(Owner, false, Now)).Code);
    }

    [Fact]
    public void AnotherUsersActivity_NeedsASupervisor()
    {
        var task = NewTask();

        Assert.Equal(CaseRuleCode.ActivityNotYours, Assert.Throws<CaseRuleException>(() => task.Update(Fields(), Found, Other, false, Now)).Code);
        Assert.Equal(CaseRuleCode.ActivityNotYours, Assert.Throws<CaseRuleException>(() => task.Complete(Other, false, Now)).Code);
        Assert.Equal(CaseRuleCode.ActivityNotYours, Assert.Throws<CaseRuleException>(() => task.Cancel(Other, false, Now)).Code);

        task.Complete(Other, isSupervisor: true, Now);
        Assert.Equal(CaseRuleCode.ActivityNotYours, Assert.Throws<CaseRuleException>(() => task.Reopen(Other, false, Now)).Code);
        task.Reopen(Other, isSupervisor: true, Now);
        Assert.Equal(Other, task.UpdatedById);
    }

    [Fact]
    public void ACallCompletedWithoutATime_TookPlaceWhenCompleted()
    {
        var call = new Activity(ActivityType.Call, Fields() with { Direction = CallDirection.Incoming }, Found, Owner, Now);

        call.Complete(Owner, false, Now.AddMinutes(4));

        Assert.Equal(Now.AddMinutes(4), call.StartAt);
        Assert.Equal(Now.AddMinutes(4), call.ScheduledAt);
    }
}
