using System.Data.Common;
using CaseCrm.Data;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>Asks the database how it runs the last query of a context: to check that a search uses its index.</summary>
internal static class QueryPlan
{
    /// <summary>A context of the test database's provider that keeps its last query in <paramref name="capture"/>.</summary>
    public static CrmDbContext Context(TestDatabase database, LastCommand capture) => database.Provider == DatabaseProvider.Sqlite
        ? new SqliteCrmDbContext(new DbContextOptionsBuilder<SqliteCrmDbContext>().UseSqlite(database.ConnectionString).AddInterceptors(capture).Options)
        : new PostgresCrmDbContext(new DbContextOptionsBuilder<PostgresCrmDbContext>().UseNpgsql(database.ConnectionString).AddInterceptors(capture).Options);

    /// <summary>
    /// PostgreSQL: the test tables are tiny, so the planner would rather scan them; forbidding scans on the open
    /// connection shows whether an index can serve the query. SQLite plans without statistics anyway.
    /// </summary>
    public static async Task ForbidScansAsync(CrmDbContext db)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        }
    }

    /// <summary>Keeps the text and parameters of the last query a context ran, to ask the database for its plan.</summary>
    public sealed class LastCommand : DbCommandInterceptor
    {
        private string _text = "";
        private List<(string Name, object? Value)> _parameters = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            _text = command.CommandText;
            _parameters = [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))];
            return ValueTask.FromResult(result);
        }

        /// <summary>The SQL of the last query.</summary>
        public string Text => _text;

        /// <summary>The parameters of the last query.</summary>
        public IReadOnlyList<(string Name, object? Value)> Parameters => _parameters;

        /// <summary>
        /// The plan of the last query: one line per node; with <paramref name="tree"/>, PostgreSQL's EXPLAIN ANALYZE as JSON or
        /// SQLite's "id|parent|detail" lines. With <paramref name="statement"/>, the plan of that statement instead (an EXECUTE
        /// of the query prepared, its values written in it: EXPLAIN takes no parameters).
        /// </summary>
        public async Task<string> PlanAsync(CrmDbContext db, bool tree = false, string? statement = null)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = (db.Database.IsSqlite() ? "EXPLAIN QUERY PLAN " : tree ? "EXPLAIN (ANALYZE, FORMAT JSON) " : "EXPLAIN ") + (statement ?? _text);
            foreach (var (name, value) in statement is null ? _parameters : [])
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            var plan = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                // SQLite with tree: "id|parent|detail" (the plan's tree), otherwise the detail alone.
                var detail = reader.GetValue(reader.FieldCount - 1).ToString() ?? "";
                plan.Add(tree && db.Database.IsSqlite() ? $"{reader.GetValue(0)}|{reader.GetValue(1)}|{detail}" : detail);
            }

            return string.Join('\n', plan);
        }
    }
}
