using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using CaseCrm.Data.Notifications;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data.Cases;

/// <summary>
/// One case operation as one transaction: run it, capture the history of what it changed, save, commit — or, when a
/// concurrent operation changed one of its cases first (a failed version check, a deadlock, a busy database), roll back
/// and run it again from a fresh read, up to <see cref="MaxAttempts"/> times. See docs/decisions/0003.
/// </summary>
public sealed class CaseUnitOfWork(CrmDbContext db, TimeProvider clock, ILogger logger)
{
    public const int MaxAttempts = 6;

    // History of cases written with set-based statements, which the change tracker does not see.
    private readonly List<CaseHistoryEntry> _setBasedHistory = [];

    // Steps that need the ids the save gives (a new case's number), run after it in the same transaction.
    private readonly List<Func<Task>> _afterSave = [];

    // The running operation writes its modified cases with one statement (ManyCasesWrite).
    private bool _manyCases;

    /// <summary>How many times an operation was retried after a concurrent change.</summary>
    public int Retries { get; private set; }

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Records history for a change made with a set-based statement in the running operation.</summary>
    public void AddHistory(IEnumerable<CaseHistoryEntry> entries) => _setBasedHistory.AddRange(entries);

    /// <summary>
    /// The running operation's modified cases, and the notifications it adds, are written with one statement each
    /// (<see cref="ManyCasesWrite"/>, docs/decisions/0025), not one per row: for operations on a selection of cases.
    /// </summary>
    public void WriteManyCases() => _manyCases = true;

    /// <summary>Runs <paramref name="step"/> after the operation's save, in its transaction; what it adds is saved then.</summary>
    public void AfterSave(Func<Task> step) => _afterSave.Add(step);

    public async Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            _setBasedHistory.Clear();
            _afterSave.Clear();
            _manyCases = false;
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var result = await operation();
                await ServiceLevelClock.FollowAsync(db, Now, ct);
                var history = CaptureHistory(db, Now);
                Notify.CaptureAssignments(db, Now);
                if (_manyCases)
                {
                    await ManyCasesWrite.WriteAsync(db, ct);
                }

                await db.SaveChangesAsync(ct);
                if (_afterSave.Count > 0)
                {
                    foreach (var step in _afterSave)
                    {
                        await step();
                    }

                    await db.SaveChangesAsync(ct);
                }

                // Same transaction, after the save: new cases have their ids now.
                await InsertHistoryAsync([.. history.SelectMany(entries => entries()), .. _setBasedHistory], ct);
                await transaction.CommitAsync(ct);
                return result;
            }
            catch (Exception ex) when (IsConflict(ex))
            {
                db.ChangeTracker.Clear();
                if (attempt >= MaxAttempts)
                {
                    logger.LogWarning(ex, "Operation gave up after {Attempts} concurrent conflicts", attempt);
                    throw new CaseRuleException(CaseRuleCode.ConcurrentChange);
                }

                Retries++;
                logger.LogInformation("Operation retried after a concurrent change ({Attempt} of {MaxAttempts} attempts made)", attempt, MaxAttempts);
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
        }
    }

    // The case fields whose changes the history records, with the property that holds each.
    private static readonly (HistoryField Field, string Property)[] TrackedFields =
    [
        (HistoryField.Title, nameof(Case.Title)),
        (HistoryField.Account, nameof(Case.AccountId)),
        (HistoryField.Category, nameof(Case.CategoryId)),
        (HistoryField.Priority, nameof(Case.Priority)),
        (HistoryField.Status, nameof(Case.Status)),
        (HistoryField.Description, nameof(Case.Description)),
        (HistoryField.Resolution, nameof(Case.Resolution)),
        (HistoryField.Origin, nameof(Case.Origin)),
        (HistoryField.AssignedTo, nameof(Case.AssignedToId)),
        (HistoryField.MergedInto, nameof(Case.MergedIntoId)),
    ];

    /// <summary>
    /// Reads what is about to be saved on cases in <paramref name="db"/>, and returns the history entries to write
    /// once the new cases have ids. A parent change is recorded on the child and on both parents. Also used by the
    /// demo seed, so that its cases have the history the app would have written.
    /// </summary>
    internal static List<Func<IEnumerable<CaseHistoryEntry>>> CaptureHistory(CrmDbContext db, DateTime now)
    {
        var pending = new List<Func<IEnumerable<CaseHistoryEntry>>>();
        foreach (var entry in db.ChangeTracker.Entries<Case>().ToList())
        {
            var item = entry.Entity;
            if (entry.State == EntityState.Added)
            {
                pending.Add(() => ParentChange(item, null, item.ParentId, item.CreatedById, now)
                    .Prepend(CaseHistoryEntry.Of(item.Id, HistoryField.Created, null, item.Number, item.CreatedById, now)));
                continue;
            }

            if (entry.State != EntityState.Modified)
            {
                continue;
            }

            var changes = TrackedFields
                .Select(t => (t.Field, Old: Raw(entry.Property(t.Property).OriginalValue), New: Raw(entry.Property(t.Property).CurrentValue)))
                .Where(c => c.Old != c.New)
                .ToList();
            var oldParent = (int?)entry.Property(nameof(Case.ParentId)).OriginalValue;
            pending.Add(() => changes
                .Select(c => CaseHistoryEntry.Of(item.Id, c.Field, c.Old, c.New, item.UpdatedById, now))
                .Concat(ParentChange(item, oldParent, item.ParentId, item.UpdatedById, now)));
        }

        return pending;
    }

    /// <summary>The history of <paramref name="child"/> moving from one parent to another: on the child and on both parents.</summary>
    public static IEnumerable<CaseHistoryEntry> ParentChange(Case child, int? oldParent, int? newParent, string userId, DateTime now)
    {
        if (oldParent == newParent)
        {
            yield break;
        }

        yield return CaseHistoryEntry.Of(child.Id, HistoryField.Parent, Raw(oldParent), Raw(newParent), userId, now);
        if (oldParent is { } removedFrom)
        {
            yield return CaseHistoryEntry.Of(removedFrom, HistoryField.ChildRemoved, Raw(child.Id), null, userId, now);
        }

        if (newParent is { } addedTo)
        {
            yield return CaseHistoryEntry.Of(addedTo, HistoryField.ChildAdded, null, Raw(child.Id), userId, now);
        }
    }

    private static string? Raw(object? value) => value switch
    {
        null => null,
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>
    /// Writes the history entries with one multi-row INSERT: one statement however many rows, on every provider (through
    /// EF, SQLite would take one statement per row). Ids and enum values are integers written as literals; text and
    /// times are parameters. Table and column names come from the EF model.
    /// </summary>
    // The start of the history's INSERT, per model (each provider names its table and columns): made once.
    private static readonly ConcurrentDictionary<IModel, string> HistoryInserts = new();

    private async Task InsertHistoryAsync(IReadOnlyList<CaseHistoryEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var insert = HistoryInserts.GetOrAdd(db.Model, static model =>
        {
            var entity = model.FindEntityType(typeof(CaseHistoryEntry))!;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            string Column(string property) => SqlValues.Quote(entity.FindProperty(property)!.GetColumnName(table)!);
            return $"INSERT INTO {SqlValues.Table(table)} ("
                + string.Join(", ", new[]
                {
                    nameof(CaseHistoryEntry.CaseId), nameof(CaseHistoryEntry.UserId), nameof(CaseHistoryEntry.At),
                    nameof(CaseHistoryEntry.Field), nameof(CaseHistoryEntry.OldValue), nameof(CaseHistoryEntry.NewValue),
                }.Select(Column)) + ") VALUES ";
        });

        var values = new SqlValues(db);
        var sql = new StringBuilder();
        // SQL Server takes at most 1,000 rows in one VALUES list: longer lists become more statements of the same command.
        foreach (var chunk in entries.Chunk(500))
        {
            sql.Append(insert);
            sql.AppendJoin(", ", chunk.Select(e => string.Create(CultureInfo.InvariantCulture,
                $"({e.CaseId}, {values.Of(e.UserId)}, {values.Of(e.At)}, {(int)e.Field}, {values.Of(e.OldValue)}, {values.Of(e.NewValue)})")));
            sql.Append(";\n");
        }

        await db.Database.ExecuteSqlRawAsync(sql.ToString(), values.Parameters, ct);
    }

    private static bool IsConflict(Exception ex) => ex switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: DbException { IsTransient: true } } => true,
        DbException { IsTransient: true } => true,
        InvalidOperationException { InnerException: DbException { IsTransient: true } } => true,
        // EF wraps a deadlock met while saving (two associations locking the same two cases in opposite orders).
        InvalidOperationException { InnerException: DbUpdateException { InnerException: DbException { IsTransient: true } } } => true,
        _ => false,
    };
}
