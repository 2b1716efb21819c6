using System.Data.Common;
using System.Globalization;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.DataGenerator;

/// <summary>
/// <c>--skew N</c> (issue 21, ADR 0031): after the even load, a burst of recent cases "of one kind", so that a walk of
/// one column's index (last change, due time, a category's, an agent's) has a run of rows to skip for some combination of
/// the case list's filters. N cases New + Normal, in the first category, unassigned, and N / 2 more InProgress + Low, in
/// the second category, of the demo agent, interleaved; all on five contacts, with the latest changes of the data set
/// and the soonest due times ("Vence"). Copies of the first generated cases otherwise (titles, creators, policies).
/// Whatever N (0 too), the facts name the burst's category and agent, so the benchmark asks the same pages of both sets.
/// </summary>
internal static class SkewedBurst
{
    private const int Chunk = 500;
    private const int Contacts = 5;

    public static async Task<IReadOnlyList<KeyValuePair<string, string>>> AddAsync(
        CrmDbContext db, int count, int firstCase, int firstContact, int[] categories)
    {
        var agentEmail = DbInitializer.DemoUsers.First(d => d.Role == Roles.Agent).Email;
        var agentId = await db.Users.Where(u => u.Email == agentEmail).Select(u => u.Id).SingleAsync();
        var (first, second) = (categories[0], categories[Math.Min(1, categories.Length - 1)]);
        var inv = CultureInfo.InvariantCulture;
        List<KeyValuePair<string, string>> facts =
        [
            new("skew_cases", count.ToString(inv)),
            new("skew_category_id", first.ToString(inv)),
            new("skew_agent_category_id", second.ToString(inv)),
            new("skew_agent_id", agentId),
        ];
        var total = count + (count / 2);
        if (total == 0)
        {
            return facts;
        }

        var templates = await db.Cases.CountAsync(c => c.Id >= firstCase);
        var firstId = await db.Cases.MaxAsync(c => c.Id) + 1;
        var progress = new Progress("skewed burst", total);
        // Every third row is of the second kind.
        const string Second = "(\"n\".\"i\" % 3 = 2)";
        var contact = $"({firstContact} + (\"n\".\"i\" % {Contacts}))";
        var set = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [nameof(Case.Id)] = $"{firstId} + \"n\".\"i\"",
            [nameof(Case.ContactId)] = contact,
            [nameof(Case.AccountId)] = $"(SELECT \"a\".\"AccountId\" FROM \"Contacts\" AS \"a\" WHERE \"a\".\"Id\" = {contact})",
            [nameof(Case.CategoryId)] = $"CASE WHEN {Second} THEN {second} ELSE {first} END",
            [nameof(Case.Status)] = $"CASE WHEN {Second} THEN {(int)CaseStatus.InProgress} ELSE {(int)CaseStatus.New} END",
            [nameof(Case.Priority)] = $"CASE WHEN {Second} THEN {(int)CasePriority.Low} ELSE {(int)CasePriority.Normal} END",
            [nameof(Case.AssignedToId)] = $"CASE WHEN {Second} THEN '{agentId}' ELSE NULL END",
            [nameof(Case.AssignedAt)] = $"CASE WHEN {Second} THEN \"n\".\"u\" ELSE NULL END",
            [nameof(Case.CreatedAt)] = "\"n\".\"u\"",
            [nameof(Case.UpdatedAt)] = "\"n\".\"u\"",
            [nameof(Case.ClockRunningSince)] = "\"n\".\"u\"",
            [nameof(Case.ClockSpentSeconds)] = "0",
            [nameof(Case.DueAt)] = "\"n\".\"d\"",
            [nameof(Case.DueSort)] = "\"n\".\"d\"",
            [nameof(Case.AtRiskAt)] = "\"n\".\"d\"",
            [nameof(Case.FirstResponseDueAt)] = "\"n\".\"d\"",
            [nameof(Case.FirstResponseAtRiskAt)] = "\"n\".\"d\"",
            [nameof(Case.ResolutionDueAt)] = "\"n\".\"d\"",
            [nameof(Case.ResolutionAtRiskAt)] = "\"n\".\"d\"",
            [nameof(Case.Version)] = "1",
            [nameof(Case.ChildCount)] = "0",
        };
        foreach (var cleared in new[]
                 {
                     nameof(Case.ParentId), nameof(Case.MergedIntoId), nameof(Case.SubmissionKey), nameof(Case.Resolution),
                     nameof(Case.FirstRespondedAt), nameof(Case.FirstResponseSeconds), nameof(Case.ResolvedAt), nameof(Case.ResolutionSeconds),
                     nameof(Case.NextNoticeAt),
                 })
        {
            set[cleared] = "NULL";
        }

        var entity = db.Model.FindEntityType(typeof(Case))!;
        var properties = entity.GetProperties().ToList();
        var columns = string.Join(", ", properties.Select(p => $"\"{p.GetColumnName()}\""));
        var select = string.Join(", ", properties.Select(p => set.TryGetValue(p.Name, out var value) ? value : $"\"t\".\"{p.GetColumnName()}\""));
        // The burst's changes follow the data set's last, a second apart; its due times come before all others.
        var latest = await db.Cases.MaxAsync(c => c.UpdatedAt);
        var earliestDue = await db.Cases.MinAsync(c => c.DueSort);
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var from = 0; from < total; from += Chunk)
        {
            var rows = Math.Min(Chunk, total - from);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var values = string.Join(", ", Enumerable.Range(from, rows).Select(i => $"({i}, @u{i - from}, @d{i - from})"));
            command.CommandText = $"WITH \"n\"(\"i\", \"u\", \"d\") AS (VALUES {values}) INSERT INTO \"Cases\" ({columns}) "
                + $"SELECT {select} FROM \"n\" JOIN \"Cases\" AS \"t\" ON \"t\".\"Id\" = {firstCase} + (\"n\".\"i\" % {templates})";
            for (var i = from; i < from + rows; i++)
            {
                Add(command, $"@u{i - from}", latest.AddSeconds(i + 1));
                Add(command, $"@d{i - from}", earliestDue.AddSeconds(i - total));
            }

            await command.ExecuteNonQueryAsync();
            progress.Advance(rows);
        }

        await transaction.CommitAsync();
        progress.Finish();
        return facts;
    }

    private static void Add(DbCommand command, string name, DateTime value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = DateTime.SpecifyKind(value, DateTimeKind.Utc);
        command.Parameters.Add(parameter);
    }
}
