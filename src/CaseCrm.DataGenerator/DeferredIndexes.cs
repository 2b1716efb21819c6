using System.Data.Common;
using CaseCrm.Data;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.DataGenerator;

/// <summary>
/// Drops a table's secondary indexes before a bulk load and recreates them after, from the database's own definitions
/// (sqlite_master, pg_indexes): building an index once over sorted data is much faster than keeping it up to date row
/// by row. SQL Server keeps its indexes (a no-op there).
/// </summary>
internal sealed class DeferredIndexes
{
    private readonly CrmDbContext _db;
    private readonly List<string> _definitions;

    private DeferredIndexes(CrmDbContext db, List<string> definitions)
    {
        _db = db;
        _definitions = definitions;
    }

    public static async Task<DeferredIndexes> DropAsync(CrmDbContext db, string table)
    {
        var definitions = new List<(string Name, string Sql)>();
        string? query = db.Database.IsSqlite()
            ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = @table AND sql IS NOT NULL"
            : db.Database.IsNpgsql()
                ? "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = @table AND indexname NOT IN (SELECT conname FROM pg_constraint)"
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
                    definitions.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var (name, _) in definitions)
            {
                await Execute(connection, "DROP INDEX \"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
            }
        }

        return new DeferredIndexes(db, [.. definitions.Select(d => d.Sql)]);
    }

    public async Task RestoreAsync(Progress progress)
    {
        var connection = _db.Database.GetDbConnection();
        foreach (var sql in _definitions)
        {
            await Execute(connection, sql);
            progress.Advance();
        }

        progress.Finish();
    }

    public int Count => _definitions.Count;

    private static async Task Execute(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 3600;
        await command.ExecuteNonQueryAsync();
    }
}
