using System.Globalization;
using System.Security.Cryptography;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// Every row of every table of the model (Identity's and the data-protection keys included), as text: take one
/// before and one after a request that must change nothing, and compare.
/// </summary>
public sealed class DbSnapshot
{
    private readonly SortedDictionary<string, List<string>> _tables;

    private DbSnapshot(SortedDictionary<string, List<string>> tables) => _tables = tables;

    public IReadOnlyDictionary<string, int> RowCounts => _tables.ToDictionary(t => t.Key, t => t.Value.Count);

    public IReadOnlyCollection<string> TableNames => _tables.Keys;

    // The start page records when its user last saw it (a GET that writes only that), and a token when it was last used
    // (at most once a minute, also on a request its role refuses): bookkeeping, not a change to guard.
    private static readonly HashSet<string> VisitColumns = ["LastSeenAt", "PreviousVisitAt", "LastUsedAt"];

    public static async Task<DbSnapshot> TakeAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var tables = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var names = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        foreach (var table in names)
        {
            await using var command = connection.CreateCommand();
            // Table names come from the EF model, not from input.
#pragma warning disable CA2100
            command.CommandText = $"SELECT * FROM \"{table}\"";
#pragma warning restore CA2100
            var rows = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    var values = new List<string>(reader.FieldCount);
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        if (!VisitColumns.Contains(reader.GetName(i)))
                        {
                            values.Add(reader.GetName(i) + "=" + Format(reader.IsDBNull(i) ? null : reader.GetValue(i)));
                        }
                    }

                    rows.Add(string.Join("|", values));
                }
            }

            rows.Sort(StringComparer.Ordinal);
            tables[table] = rows;
        }

        return new DbSnapshot(tables);
    }

    /// <summary>What differs from <paramref name="after"/>, table by table (empty when nothing changed).</summary>
    public IReadOnlyList<string> DifferencesFrom(DbSnapshot after)
    {
        var differences = new List<string>();
        foreach (var table in _tables.Keys.Union(after._tables.Keys).Order(StringComparer.Ordinal))
        {
            var before = _tables.GetValueOrDefault(table) ?? [];
            var now = after._tables.GetValueOrDefault(table) ?? [];
            if (!after._tables.ContainsKey(table))
            {
                differences.Add($"table {table} is gone");
                continue;
            }

            var removed = before.Except(now).ToList();
            var added = now.Except(before).ToList();
            if (removed.Count + added.Count > 0)
            {
                differences.Add($"{table}: {before.Count} → {now.Count} rows; removed/old [{string.Join("; ", removed.Take(2))}]; added/new [{string.Join("; ", added.Take(2))}]");
            }
        }

        return differences;
    }

    private static string Format(object? value) => value switch
    {
        null => "∅",
        byte[] bytes => $"bytes:{bytes.Length}:{Convert.ToHexString(SHA256.HashData(bytes))[..16]}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
