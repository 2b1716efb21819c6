using System.Globalization;
using System.Text;
using CaseCrm.Data.Reports;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CaseCrm.Data.Cases;

/// <summary>
/// Writes what an operation changed on many cases with a fixed number of statements (docs/decisions/0025): the modified
/// cases with one UPDATE whose values are <c>CASE "Id" WHEN … THEN … END</c> and whose WHERE checks every case's
/// concurrency tokens as it was read, the notifications it adds with one INSERT. Through EF, SQLite would take one
/// statement per row. Column names, types and value converters come from the EF model. The written entries leave the
/// change tracker, so the save that follows does not write them again.
/// </summary>
internal static class ManyCasesWrite
{
    public static async Task WriteAsync(CrmDbContext db, CancellationToken ct)
    {
        await UpdateCasesAsync(db, ct);
        await InsertAddedAsync<Notification>(db, ct);
    }

    /// <summary>
    /// One UPDATE for every modified case; a case whose tokens changed since it was read matches no row, and a count that
    /// falls short is the same conflict as EF's (<see cref="DbUpdateConcurrencyException"/>), which the unit of work retries.
    /// </summary>
    private static async Task UpdateCasesAsync(CrmDbContext db, CancellationToken ct)
    {
        var entries = db.ChangeTracker.Entries<Case>().Where(e => e.State == EntityState.Modified).OrderBy(e => e.Entity.Id).ToList();
        if (entries.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(Case))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var values = new SqlValues(db);
        string Column(IProperty property) => SqlValues.Quote(property.GetColumnName(table)!);
        string Id(EntityEntry<Case> entry) => values.Of(key, entry.Property(key.Name).CurrentValue);

        string Choose(IProperty property, IEnumerable<EntityEntry<Case>> rows, Func<EntityEntry<Case>, object?> value, bool keep) =>
            $"CASE {Column(key)}" + string.Concat(rows.Select(e => $" WHEN {Id(e)} THEN {values.Of(property, value(e))}"))
            + (keep ? $" ELSE {Column(property)}" : "") + " END";

        var sets = entity.GetProperties()
            .Select(p => (Property: p, Rows: entries.Where(e => e.Property(p.Name).IsModified).ToList()))
            .Where(c => c.Rows.Count > 0)
            .Select(c => $"{Column(c.Property)} = {Choose(c.Property, c.Rows, e => e.Property(c.Property.Name).CurrentValue, keep: true)}")
            .ToList();
        var checks = entity.GetProperties()
            .Where(p => p.IsConcurrencyToken)
            .Select(p => $" AND {Column(p)} = {Choose(p, entries, e => e.Property(p.Name).OriginalValue ?? throw new NotSupportedException($"A null {p.Name} cannot be checked."), keep: false)}");
        var sql = $"UPDATE {SqlValues.Table(table)} SET {string.Join(", ", sets)} WHERE {Column(key)} IN ({string.Join(", ", entries.Select(Id))})"
            + string.Concat(checks);

        // The entries leave the tracker below, so the save's own summary step (CrmDbContext.SaveChangesAsync) will not see them.
        var counts = ReportSummary.Capture(entries);
        var written = await db.Database.ExecuteSqlRawAsync(sql, values.Parameters, ct);
        if (written != entries.Count)
        {
            throw new DbUpdateConcurrencyException($"{entries.Count - written} of {entries.Count} cases changed since they were read.");
        }

        await ReportSummary.WriteAsync(db, counts, ct);

        foreach (var entry in entries)
        {
            entry.State = EntityState.Detached;
        }
    }

    /// <summary>The added rows of <typeparamref name="T"/> as one multi-row INSERT; their generated ids are not read back.</summary>
    private static async Task InsertAddedAsync<T>(CrmDbContext db, CancellationToken ct)
        where T : class
    {
        var entries = db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Added).ToList();
        if (entries.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.OnAdd).ToList();
        var values = new SqlValues(db);
        var sql = new StringBuilder($"INSERT INTO {SqlValues.Table(table)} ({string.Join(", ", columns.Select(p => SqlValues.Quote(p.GetColumnName(table)!)))}) VALUES ");
        sql.AppendJoin(", ", entries.Select(e => "(" + string.Join(", ", columns.Select(p => values.Of(p, e.Property(p.Name).CurrentValue))) + ")"));
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), values.Parameters, ct);
        foreach (var entry in entries)
        {
            entry.State = EntityState.Detached;
        }
    }
}

/// <summary>
/// The values of a raw statement built from the EF model: integers (and enums stored as integers) as literals, anything
/// else as a parameter of the property's own type mapping (its converter and database type, as EF would send it), one
/// parameter per distinct value and type.
/// </summary>
internal sealed class SqlValues(CrmDbContext db)
{
    private readonly Dictionary<(string?, object), string> _reused = [];

    public List<object> Parameters { get; } = [];

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Table(StoreObjectIdentifier table) => (table.Schema is null ? "" : Quote(table.Schema) + ".") + Quote(table.Name);

    /// <summary>A value of <paramref name="property"/> as SQL: NULL, a literal or a parameter placeholder.</summary>
    public string Of(IProperty property, object? value)
    {
        if (value is null)
        {
            return "NULL";
        }

        var mapping = (RelationalTypeMapping)property.GetTypeMapping();
        var stored = mapping.Converter?.ConvertToProvider(value) ?? value;
        if (stored is int or long or short or byte)
        {
            return Convert.ToString(stored, CultureInfo.InvariantCulture)!;
        }

        return Parameter(mapping, value, property.IsNullable);
    }

    /// <summary>A value that no property describes (text, times): a parameter typed from its CLR type, as EF types raw SQL's.</summary>
    public string Of(object? value)
    {
        if (value is null)
        {
            return "NULL";
        }

        if (!_reused.TryGetValue((null, value), out var marker))
        {
            marker = Next();
            Parameters.Add(value);
            _reused[(null, value)] = marker;
        }

        return marker;
    }

    private string Parameter(RelationalTypeMapping mapping, object value, bool nullable)
    {
        if (!_reused.TryGetValue((mapping.StoreType, value), out var marker))
        {
            marker = Next();
            using var command = db.Database.GetDbConnection().CreateCommand();
            Parameters.Add(mapping.CreateParameter(command, "v" + Parameters.Count.ToString(CultureInfo.InvariantCulture), value, nullable));
            _reused[(mapping.StoreType, value)] = marker;
        }

        return marker;
    }

    private string Next() => "{" + Parameters.Count.ToString(CultureInfo.InvariantCulture) + "}";
}
