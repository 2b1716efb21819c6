using System.Globalization;
using System.Text;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CaseCrm.Data.Reports;

/// <summary>
/// Keeps the reports' summary (<see cref="ReportCount"/>, ADRs 0040 and 0041) in the transaction of each change of a case: what a
/// save is about to change on cases is read from the change tracker (the case as it was, counted −1, and as it will be,
/// +1, in each dimension and unit), and the differences are added to the summary with one upsert statement after the save.
/// A save that changes nothing a report counts writes nothing. <see cref="RebuildAsync"/> makes the whole summary again
/// from the cases, for data written around EF (the data generator's bulk copy).
/// </summary>
public static partial class ReportSummary
{
    private static readonly ReportDimension[] Dimensions = [ReportDimension.None, ReportDimension.Agent, ReportDimension.Category];
    private static readonly ReportUnit[] Units = [ReportUnit.Week, ReportUnit.Month];

    /// <summary>A cell of the summary.</summary>
    internal readonly record struct Key(ReportMeasure Measure, ReportDimension Dimension, bool Fine, ReportUnit Unit, DateTime Start, string GroupKey, int Step, bool Met);

    /// <summary>The changes that saving the tracked cases will make to the summary.</summary>
    internal static Dictionary<Key, int> Capture(IEnumerable<EntityEntry<Case>> entries)
    {
        var changes = new Dictionary<Key, int>();
        foreach (var entry in entries)
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                Count(entry.OriginalValues, -1);
            }

            if (entry.State is EntityState.Modified or EntityState.Added)
            {
                Count(entry.CurrentValues, +1);
            }
        }

        foreach (var unchanged in changes.Where(c => c.Value == 0).Select(c => c.Key).ToList())
        {
            changes.Remove(unchanged);
        }

        return changes;

        void Count(PropertyValues values, int sign)
        {
            var agent = values.GetValue<string?>(nameof(Case.AssignedToId)) ?? string.Empty;
            var category = values.GetValue<int>(nameof(Case.CategoryId)).ToString(CultureInfo.InvariantCulture);
            Add(ReportMeasure.FirstResponse, values.GetValue<DateTime?>(nameof(Case.FirstRespondedAt)),
                values.GetValue<int?>(nameof(Case.FirstResponseSeconds)), values.GetValue<int?>(nameof(Case.FirstResponseTargetMinutes)));
            Add(ReportMeasure.Resolution, values.GetValue<DateTime?>(nameof(Case.ResolvedAt)),
                values.GetValue<int?>(nameof(Case.ResolutionSeconds)), values.GetValue<int?>(nameof(Case.ResolutionTargetMinutes)));

            void Change(Key key) => changes[key] = changes.GetValueOrDefault(key) + sign;

            void Add(ReportMeasure measure, DateTime? at, int? seconds, int? target)
            {
                if (at is not { } moment)
                {
                    return;
                }

                var (step, met) = Outcome(seconds, target);
                foreach (var dimension in Dimensions)
                {
                    var group = dimension switch { ReportDimension.Agent => agent, ReportDimension.Category => category, _ => string.Empty };
                    foreach (var unit in Units)
                    {
                        var start = ReportCount.StartOf(unit, moment);
                        Change(new Key(measure, dimension, false, unit, start, group, Band(step), met));
                        if (step != NoTarget)
                        {
                            Change(new Key(measure, dimension, true, unit, start, group, step, false));
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="changes"/> to the summary with one statement, in key order (so that two transactions that touch
    /// the same cells lock them in the same order): an upsert that adds to a cell's count or creates the cell.
    /// </summary>
    internal static async Task WriteAsync(CrmDbContext db, Dictionary<Key, int> changes, CancellationToken ct)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var (sql, parameters) = Upsert(db, changes);
        await db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
    }

    /// <summary><see cref="WriteAsync"/> for a synchronous save.</summary>
    internal static void Write(CrmDbContext db, Dictionary<Key, int> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var (sql, parameters) = Upsert(db, changes);
        db.Database.ExecuteSqlRaw(sql, parameters);
    }

    private static (string Sql, List<object> Parameters) Upsert(CrmDbContext db, Dictionary<Key, int> changes)
    {
        var entity = db.Model.FindEntityType(typeof(ReportCount))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var values = new SqlValues(db);
        IProperty Property(string name) => entity.FindProperty(name)!;
        string Column(string name) => SqlValues.Quote(Property(name).GetColumnName(table)!);
        string[] keyColumns =
        [
            nameof(ReportCount.Measure), nameof(ReportCount.Dimension), nameof(ReportCount.Fine), nameof(ReportCount.Unit),
            nameof(ReportCount.Start), nameof(ReportCount.GroupKey), nameof(ReportCount.Step), nameof(ReportCount.Met),
        ];
        string[] columns = [.. keyColumns, nameof(ReportCount.Count)];
        var rows = changes.Keys.Order(KeyOrder.Instance).Select(k => "(" + string.Join(", ", new object?[]
        {
            k.Measure, k.Dimension, k.Fine, k.Unit, k.Start, k.GroupKey, k.Step, k.Met, changes[k],
        }.Select((v, i) => values.Of(Property(columns[i]), v))) + ")");
        var list = string.Join(", ", columns.Select(Column));
        var count = Column(nameof(ReportCount.Count));
        var sql = new StringBuilder();
        if (db is SqlServerCrmDbContext)
        {
            // SQL Server has no ON CONFLICT; HOLDLOCK keeps the MERGE's check and write one step under concurrency.
            sql.Append(CultureInfo.InvariantCulture, $"MERGE {SqlValues.Table(table)} WITH (HOLDLOCK) AS t USING (VALUES ")
                .AppendJoin(", ", rows)
                .Append(CultureInfo.InvariantCulture, $") AS s ({list}) ON ")
                .AppendJoin(" AND ", keyColumns.Select(k => $"t.{Column(k)} = s.{Column(k)}"))
                .Append(CultureInfo.InvariantCulture, $" WHEN MATCHED THEN UPDATE SET {count} = t.{count} + s.{count}")
                .Append(CultureInfo.InvariantCulture, $" WHEN NOT MATCHED THEN INSERT ({list}) VALUES ({string.Join(", ", columns.Select(c => "s." + Column(c)))});");
        }
        else
        {
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO {SqlValues.Table(table)} ({list}) VALUES ")
                .AppendJoin(", ", rows)
                .Append(CultureInfo.InvariantCulture, $" ON CONFLICT ({string.Join(", ", keyColumns.Select(Column))}) DO UPDATE SET {count} = {SqlValues.Table(table)}.{count} + excluded.{count}");
        }

        return (sql.ToString(), values.Parameters);
    }

    private sealed class KeyOrder : IComparer<Key>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(Key x, Key y)
        {
            var order = x.Measure.CompareTo(y.Measure);
            order = order != 0 ? order : x.Dimension.CompareTo(y.Dimension);
            order = order != 0 ? order : x.Fine.CompareTo(y.Fine);
            order = order != 0 ? order : x.Unit.CompareTo(y.Unit);
            order = order != 0 ? order : x.Start.CompareTo(y.Start);
            order = order != 0 ? order : string.CompareOrdinal(x.GroupKey, y.GroupKey);
            order = order != 0 ? order : x.Step.CompareTo(y.Step);
            return order != 0 ? order : x.Met.CompareTo(y.Met);
        }
    }

    /// <summary>
    /// Makes the whole summary again from the cases, in set-based statements run by the database, in the caller's
    /// transaction if there is one: for cases written around EF, as the data generator's bulk copy does, and for the
    /// migration that creates the summary. Counts exactly what <see cref="Capture"/> counts.
    /// </summary>
    public static async Task RebuildAsync(CrmDbContext db, CancellationToken ct)
    {
        foreach (var sql in RebuildSql(db is SqlServerCrmDbContext ? Dialect.SqlServer : db is PostgresCrmDbContext ? Dialect.Postgres : Dialect.Sqlite))
        {
            await db.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }

    public enum Dialect
    {
        Sqlite,
        Postgres,
        SqlServer,
    }

    /// <summary>
    /// The statements of <see cref="RebuildAsync"/> for one provider (a migration runs them with its own): the cells of every
    /// unit and dimension from one read of the cases, grouped by day first.
    /// </summary>
    public static IEnumerable<string> RebuildSql(Dialect dialect)
    {
        yield return "DELETE FROM \"ReportCounts\"";
        var noTarget = NoTarget.ToString(CultureInfo.InvariantCulture);
        string Bool(string condition) => dialect switch
        {
            Dialect.Postgres => $"({condition})",
            Dialect.SqlServer => $"CAST(CASE WHEN {condition} THEN 1 ELSE 0 END AS bit)",
            _ => $"CASE WHEN {condition} THEN 1 ELSE 0 END",
        };
        var (no, yes) = dialect == Dialect.Postgres ? ("FALSE", "TRUE") : dialect == Dialect.SqlServer ? ("CAST(0 AS bit)", "CAST(1 AS bit)") : ("0", "1");
        string Fact(ReportMeasure measure, string at, string s, string t) =>
            $"SELECT {(int)measure} AS \"Measure\", {at} AS \"At\", "
            + $"CASE WHEN {t} IS NULL OR {s} IS NULL THEN {noTarget} ELSE {StepSql(s)} END AS \"Step\", "
            + $"{Bool(MetSql(s, t))} AS \"Met\", "
            + $"\"AssignedToId\", \"CategoryId\" FROM \"Cases\" WHERE {at} IS NOT NULL";
        var facts = Fact(ReportMeasure.FirstResponse, "\"FirstRespondedAt\"", "\"FirstResponseSeconds\"", "\"FirstResponseTargetMinutes\"")
            + " UNION ALL "
            + Fact(ReportMeasure.Resolution, "\"ResolvedAt\"", "\"ResolutionSeconds\"", "\"ResolutionTargetMinutes\"");
        var band = BandSql("\"Step\"");
        const string columns = "(\"Measure\", \"Dimension\", \"Fine\", \"Unit\", \"Start\", \"GroupKey\", \"Step\", \"Met\", \"Count\")";
        var day = StartSql(dialect, ReportUnit.Day, "\"At\"");

        // One pass over the cases: their counts by day, agent, category, step and outcome, from which every unit's and
        // dimension's coarse and fine cells are summed. SQL Server has no MATERIALIZED and may read the cases once per use
        // (12 reads, against 6 before ADR 0041): a migration's one-off cost there, not run on this project's machines.
        var cells = new List<string>();
        foreach (var unit in Units)
        {
            var start = StartSql(dialect, unit, "\"Day\"");
            foreach (var dimension in Dimensions)
            {
                var group = dimension switch
                {
                    ReportDimension.Agent => "COALESCE(\"AssignedToId\", '')",
                    ReportDimension.Category => dialect == Dialect.SqlServer ? "CAST(\"CategoryId\" AS nvarchar(450))" : "CAST(\"CategoryId\" AS text)",
                    _ => "''",
                };
                var grouped = dimension == ReportDimension.None ? "" : ", " + group;
                cells.Add($"SELECT \"Measure\", {(int)dimension}, {no}, {(int)unit}, {start}, {group}, {band}, \"Met\", SUM(\"Count\") FROM d GROUP BY \"Measure\", {start}{grouped}, {band}, \"Met\"");
                cells.Add($"SELECT \"Measure\", {(int)dimension}, {yes}, {(int)unit}, {start}, {group}, \"Step\", {no}, SUM(\"Count\") "
                    + $"FROM d WHERE \"Step\" <> {noTarget} GROUP BY \"Measure\", {start}{grouped}, \"Step\"");
            }
        }

        yield return $"WITH d AS {(dialect == Dialect.SqlServer ? "" : "MATERIALIZED ")}(SELECT \"Measure\", {day} AS \"Day\", \"AssignedToId\", \"CategoryId\", \"Step\", \"Met\", COUNT(*) AS \"Count\" "
            + $"FROM ({facts}) AS f GROUP BY \"Measure\", {day}, \"AssignedToId\", \"CategoryId\", \"Step\", \"Met\") "
            + $"INSERT INTO \"ReportCounts\" {columns} {string.Join(" UNION ALL ", cells)}";
    }

    /// <summary>
    /// The start of a moment's unit in SQL, as <see cref="ReportCount.StartOf"/> finds it: on SQLite the text EF stores
    /// (<c>yyyy-MM-dd HH:mm:ss</c>, the fraction left out when it is zero), on PostgreSQL in UTC whatever the session's
    /// time zone, on SQL Server from Monday 1 January 1900.
    /// </summary>
    private static string StartSql(Dialect dialect, ReportUnit unit, string at) => (dialect, unit) switch
    {
        (Dialect.Sqlite, ReportUnit.Month) => $"strftime('%Y-%m-01 00:00:00', {at})",
        (Dialect.Sqlite, ReportUnit.Week) => $"strftime('%Y-%m-%d 00:00:00', {at}, 'weekday 0', '-6 days')",
        (Dialect.Sqlite, _) => $"substr({at}, 1, 10) || ' 00:00:00'",
        (Dialect.Postgres, _) => $"date_trunc('{unit.ToString().ToLowerInvariant()}', {at}, 'UTC')",
        (Dialect.SqlServer, ReportUnit.Month) => $"DATEADD(month, DATEDIFF(month, '19000101', {at}), CAST('19000101' AS datetime2))",
        (Dialect.SqlServer, ReportUnit.Week) => $"DATEADD(day, DATEDIFF(day, '19000101', {at}) / 7 * 7, CAST('19000101' AS datetime2))",
        _ => $"DATEADD(day, DATEDIFF(day, '19000101', {at}), CAST('19000101' AS datetime2))",
    };
}
