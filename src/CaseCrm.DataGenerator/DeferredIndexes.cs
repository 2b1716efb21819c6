using System.Data.Common;
using CaseCrm.Data;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.DataGenerator;

/// <summary>
/// Drops a table's secondary indexes before a bulk load and recreates them after, from the database's own definitions
/// (sqlite_master, pg_indexes): building an index once over sorted data is much faster than keeping it up to date row
/// by row. On PostgreSQL the table's foreign keys are dropped and added back the same way. SQL Server keeps its
/// indexes (a no-op there). On SQLite the triggers that keep the FTS5 substring indexes
/// (ADR 0008) are dropped too, and those indexes rebuilt in one pass at the end.
/// </summary>
internal sealed class DeferredIndexes
{
    private readonly CrmDbContext _db;
    private readonly string _table;
    private readonly List<string> _definitions;

    private DeferredIndexes(CrmDbContext db, string table, List<string> definitions)
    {
        _db = db;
        _table = table;
        _definitions = definitions;
    }

    /// <param name="primaryKey">On PostgreSQL, the primary key too: for a table filled by one statement, whose rows are
    /// all new and unique by construction (the reports' summary).</param>
    public static async Task<DeferredIndexes> DropAsync(CrmDbContext db, string table, bool primaryKey = false)
    {
        var definitions = new List<(string Type, string Name, string Sql)>();
        string? query = db.Database.IsSqlite()
            ? "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = @table AND sql IS NOT NULL ORDER BY type"
            : db.Database.IsNpgsql()
                // The table's own foreign keys too: checking each copied row against its parents, a trigger call per row
                // and key, costs more than the copy itself; added back afterwards, each is checked in one pass (a join).
                ? "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE tablename = @table AND indexname NOT IN (SELECT conname FROM pg_constraint) " +
                  "UNION ALL SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype IN ('f', @key) AND conrelid = quote_ident(@table)::regclass"
                : null;
        if (query is not null)
        {
            var connection = db.Database.GetDbConnection();
            await using var command = connection.CreateCommand();
            command.CommandText = query;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@table";
            parameter.Value = table;
            command.Parameters.Add(parameter);
            if (db.Database.IsNpgsql())
            {
                var key = command.CreateParameter();
                key.ParameterName = "@key";
                key.Value = primaryKey ? "p" : "f";
                command.Parameters.Add(key);
            }
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    definitions.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
                }
            }

            foreach (var (type, name, _) in definitions)
            {
                await Execute(connection, type == "constraint"
                    ? $"ALTER TABLE {Quote(table)} DROP CONSTRAINT {Quote(name)}"
                    : $"DROP {type.ToUpperInvariant()} {Quote(name)}");
            }
        }

        // Indexes first, then the foreign keys (checked against the loaded rows when added): the schema ends as it began.
        return new DeferredIndexes(db, table, [.. definitions.Where(d => d.Type != "constraint").Select(d => d.Sql),
            .. definitions.Where(d => d.Type == "constraint").Select(d => $"ALTER TABLE {Quote(table)} ADD CONSTRAINT {Quote(d.Name)} {d.Sql}")]);
    }

    /// <summary>
    /// Recreates what <see cref="DropAsync"/> dropped: on PostgreSQL in the background when <paramref name="background"/>
    /// is given (it also vacuums the table), here and now otherwise.
    /// </summary>
    public async Task RestoreAsync(BackgroundIndexes? background)
    {
        if (background is not null && _db.Database.IsNpgsql())
        {
            background.Enqueue(_table, _definitions);
            return;
        }

        await RestoreAsync(new Progress("indexes", _definitions.Count));
    }

    private async Task RestoreAsync(Progress progress)
    {
        var connection = _db.Database.GetDbConnection();
        foreach (var sql in _definitions)
        {
            await Execute(connection, sql);
            progress.Advance();
        }

        if (_db.Database.IsSqlite())
        {
            // The FTS5 tables whose content is this table: their triggers did not run during the load.
            var searchTables = await _db.Database
                .SqlQuery<string>($"SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' AND sql LIKE {"%content='" + _table + "'%"}")
                .ToListAsync();
            foreach (var searchTable in searchTables)
            {
                await Execute(connection, $"INSERT INTO {Quote(searchTable)}({Quote(searchTable)}) VALUES ('rebuild')");
            }
        }

        progress.Finish();
    }

    public int Count => _definitions.Count;

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task Execute(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 3600;
        await command.ExecuteNonQueryAsync();
    }
}
