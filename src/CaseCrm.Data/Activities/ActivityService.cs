using CaseCrm.Data.Cases;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Activities;

/// <summary>
/// Every operation that changes activities: one transaction each (<see cref="CaseUnitOfWork"/>, retried on a concurrent
/// change), the rules in <see cref="Activity"/>, and a history entry on the case an activity is about ("Referente a").
/// </summary>
public sealed class ActivityService(CrmDbContext db, TimeProvider clock, ILogger<ActivityService> logger)
{
    private readonly CaseUnitOfWork _work = new(db, clock, logger);

    private DateTime Now => _work.Now;

    /// <summary>Logs a call, plans a task or books an appointment.</summary>
    public Task<Activity> CreateAsync(ActivityType type, ActivityFields fields, string userId, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var activity = new Activity(type, fields, await ReferencesAsync(fields, keptOwnerId: null, userId, ct), userId, Now);
            db.Activities.Add(activity);
            Record(activity, HistoryField.ActivityAdded, userId);
            if (activity is { Type: ActivityType.Call, Direction: CallDirection.Outgoing, CaseId: { } caseId })
            {
                // An outgoing call is a first response to the customer, at the time it was made.
                await ServiceLevelClock.RecordFirstResponseAsync(db, [caseId], activity.StartAt is { } start && start < Now ? start : Now, ct);
            }

            return activity;
        }, ct);

    /// <summary>Saves an edit made on the version <paramref name="expectedVersion"/>; a later save by someone else refuses it.</summary>
    public Task<Activity> UpdateAsync(
        int id, int expectedVersion, ActivityFields fields, string userId, bool isSupervisor, CancellationToken ct = default) =>
        _work.RunAsync(async () =>
        {
            var activity = await FindAsync(id, ct);
            if (activity.Version != expectedVersion)
            {
                throw new CaseRuleException(CaseRuleCode.StaleActivityEdit, activity.CaseId);
            }

            var before = activity.CaseId;
            activity.Update(fields, await ReferencesAsync(fields, activity.OwnerId, userId, ct), userId, isSupervisor, Now);
            Record(activity, HistoryField.ActivityChanged, userId);
            if (before is { } previousCase && previousCase != activity.CaseId)
            {
                _work.AddHistory([CaseHistoryEntry.Of(previousCase, HistoryField.ActivityChanged, activity.Subject, null, userId, Now)]);
            }

            return activity;
        }, ct);

    public Task CompleteAsync(int id, string userId, bool isSupervisor, CancellationToken ct = default) =>
        ChangeAsync(id, a => a.Complete(userId, isSupervisor, Now), HistoryField.ActivityCompleted, userId, ct);

    public Task CancelAsync(int id, string userId, bool isSupervisor, CancellationToken ct = default) =>
        ChangeAsync(id, a => a.Cancel(userId, isSupervisor, Now), HistoryField.ActivityCancelled, userId, ct);

    public Task ReopenAsync(int id, string userId, bool isSupervisor, CancellationToken ct = default) =>
        ChangeAsync(id, a => a.Reopen(userId, isSupervisor, Now), HistoryField.ActivityReopened, userId, ct);

    private Task<bool> ChangeAsync(int id, Action<Activity> change, HistoryField field, string userId, CancellationToken ct) =>
        _work.RunAsync(async () =>
        {
            var activity = await FindAsync(id, ct);
            change(activity);
            Record(activity, field, userId);
            return true;
        }, ct);

    // The history of the case the activity is about: the subject, with the kind of change as the field.
    private void Record(Activity activity, HistoryField field, string userId)
    {
        if (activity.CaseId is { } caseId)
        {
            _work.AddHistory([CaseHistoryEntry.Of(caseId, field, null, activity.Subject, userId, Now)]);
        }
    }

    // One round trip for every reference the fields name, read beside the acting user's row (which exists); a kept owner is
    // not checked again (Activity.Update).
    private async Task<ActivityReferences> ReferencesAsync(ActivityFields fields, string? keptOwnerId, string userId, CancellationToken ct)
    {
        var attendees = (fields.AttendeeIds ?? []).Distinct(StringComparer.Ordinal).ToList();
        var regarding = fields.Regarding;
        var ownerId = fields.OwnerId;
        var checkOwner = ownerId != keptOwnerId;
        var found = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(_ => new
            {
                Owner = !checkOwner || db.Users.Any(o => o.Id == ownerId && o.IsActive),
                Regarding = regarding == null
                    || (regarding.Type == RegardingType.Case && db.Cases.Any(c => c.Id == regarding.Id))
                    || (regarding.Type == RegardingType.Contact && db.Contacts.Any(c => c.Id == regarding.Id))
                    || (regarding.Type == RegardingType.Account && db.Accounts.Any(a => a.Id == regarding.Id)),
                Attendees = db.Users.Count(a => attendees.Contains(a.Id) && a.IsActive) == attendees.Count,
                CaseContactId = regarding != null && regarding.Type == RegardingType.Case
                    ? db.Cases.Where(c => c.Id == regarding.Id).Select(c => (int?)c.ContactId).FirstOrDefault() : null,
                AccountId = regarding == null ? null
                    : regarding.Type == RegardingType.Case ? db.Cases.Where(c => c.Id == regarding.Id).Select(c => c.AccountId).FirstOrDefault()
                    : regarding.Type == RegardingType.Contact ? db.Contacts.Where(c => c.Id == regarding.Id).Select(c => c.AccountId).FirstOrDefault()
                    : null,
            })
            .SingleOrDefaultAsync(ct)
            ?? throw new InvalidOperationException($"The acting user {userId} does not exist.");
        return new ActivityReferences(found.Owner, found.Regarding, found.Attendees, found.CaseContactId, found.AccountId);
    }

    private async Task<Activity> FindAsync(int id, CancellationToken ct) =>
        await db.Activities.Include(a => a.Attendees).SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw new NotFoundException("Activity", id);
}
