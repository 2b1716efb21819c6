using System.Data.Common;
using CaseCrm.Data;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.DataGenerator;

/// <summary>
/// Drops a table's secondary indexes before a bulk load and recreates them after, from the database's own definitions
/// (sqlite_master, pg_indexes): building an index once over sorted data is much faster than keeping it up to date row
/// by row. SQL Server keeps its indexes (a no-op there). On SQLite the triggers that keep the FTS5 substring indexes
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

    public static async Task<DeferredIndexes> DropAsync(CrmDbContext db, string table)
    {
        var definitions = new List<(string Type, string Name, string Sql)>();
        string? query = db.Database.IsSqlite()
            ? "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = @table AND sql IS NOT NULL ORDER BY type"
            : db.Database.IsNpgsql()
                ? "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE tablename = @table AND indexname NOT IN (SELECT conname FROM pg_constraint)"
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
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    definitions.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
                }
            }

            foreach (var (type, name, _) in definitions)
            {
                await Execute(connection, $"DROP {type.ToUpperInvariant()} {Quote(name)}");
            }
        }

        return new DeferredIndexes(db, table, [.. definitions.Select(d => d.Sql)]);
    }

    public async Task RestoreAsync(Progress progress)
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
