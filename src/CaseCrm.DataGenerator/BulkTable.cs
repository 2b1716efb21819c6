using System.Data.Common;
using System.Globalization;
using System.Text;
using CaseCrm.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace CaseCrm.DataGenerator;

/// <summary>
/// Writes many rows of one table fast, on the context's own connection. PostgreSQL takes them by binary COPY; SQLite
/// and SQL Server by multi-row INSERTs with parameters, one prepared statement reused, in big transactions.
/// Table and column names come from the EF model, so they follow the migrations.
/// </summary>
internal abstract class BulkTable : IAsyncDisposable
{
    protected BulkTable(string table, IReadOnlyList<string> columns)
    {
        Table = table;
        Columns = columns;
    }

    protected string Table { get; }

    protected IReadOnlyList<string> Columns { get; }

    public long Rows { get; private set; }

    /// <summary>Opens a writer for the columns that map <paramref name="properties"/> of <typeparamref name="TEntity"/>, in that order.</summary>
    public static async Task<BulkTable> OpenAsync<TEntity>(CrmDbContext db, params string[] properties)
    {
        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var columns = properties
            .Select(p => (entity.FindProperty(p) ?? throw new InvalidOperationException($"{entity.DisplayName()}.{p} is not mapped.")).GetColumnName(store)!)
            .ToList();
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        BulkTable writer = connection is NpgsqlConnection npgsql
            ? new CopyTable(npgsql, table, columns)
            : new InsertTable(connection, table, columns, db.Database.IsSqlServer());
        await writer.StartAsync();
        return writer;
    }

    public async ValueTask AddAsync(object?[] row)
    {
        await WriteAsync(row);
        Rows++;
    }

    /// <summary>Writes what is pending and commits.</summary>
    public abstract Task CompleteAsync();

    public abstract ValueTask DisposeAsync();

    protected abstract Task StartAsync();

    protected abstract ValueTask WriteAsync(object?[] row);

    protected static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>PostgreSQL: one binary COPY per table.</summary>
    private sealed class CopyTable(NpgsqlConnection connection, string table, IReadOnlyList<string> columns) : BulkTable(table, columns)
    {
        private NpgsqlBinaryImporter? _importer;

        protected override async Task StartAsync()
        {
            _importer = await connection.BeginBinaryImportAsync(
                $"COPY {Quote(Table)} ({string.Join(", ", Columns.Select(Quote))}) FROM STDIN (FORMAT BINARY)");
            // Completing checks every row's foreign keys: far longer than the default 30 s for a million rows.
            _importer.Timeout = TimeSpan.FromHours(1);
        }

        protected override async ValueTask WriteAsync(object?[] row)
        {
            var importer = _importer!;
            await importer.StartRowAsync();
            foreach (var value in row)
            {
                switch (value)
                {
                    case null:
                        await importer.WriteNullAsync();
                        break;
                    case int i:
                        await importer.WriteAsync(i, NpgsqlDbType.Integer);
                        break;
                    case string s:
                        await importer.WriteAsync(s, NpgsqlDbType.Text);
                        break;
                    case DateTime d:
                        await importer.WriteAsync(d, NpgsqlDbType.TimestampTz);
                        break;
                    case bool b:
                        await importer.WriteAsync(b, NpgsqlDbType.Boolean);
                        break;
                    default:
                        throw new InvalidOperationException($"No COPY type for {value.GetType().Name}.");
                }
            }
        }

        public override async Task CompleteAsync()
        {
            if (_importer is not null)
            {
                await _importer.CompleteAsync();
                await _importer.DisposeAsync();
                _importer = null;
            }
        }

        public override async ValueTask DisposeAsync()
        {
            if (_importer is not null)
            {
                await _importer.DisposeAsync();
            }
        }
    }

    /// <summary>SQLite and SQL Server: multi-row INSERTs, committed every <see cref="RowsPerTransaction"/> rows.</summary>
    private sealed class InsertTable : BulkTable
    {
        private const int RowsPerTransaction = 50_000;
        private const int SqliteParameters = 200;

        private readonly DbConnection _connection;
        private readonly bool _sqlServer;
        private readonly int _rowsPerStatement;
        private readonly List<object?[]> _pending = [];
        private DbTransaction? _transaction;
        private DbCommand? _fullCommand;
        private int _uncommitted;

        public InsertTable(DbConnection connection, string table, IReadOnlyList<string> columns, bool sqlServer)
            : base(table, columns)
        {
            _connection = connection;
            _sqlServer = sqlServer;
            // SQL Server takes at most 2,100 parameters and 1,000 rows a statement. SQLite finds each named parameter by a
            // linear search, so its statements stay small.
            _rowsPerStatement = Math.Clamp((sqlServer ? 2_000 : SqliteParameters) / columns.Count, 1, 1_000);
        }

        protected override async Task StartAsync()
        {
            _transaction = await _connection.BeginTransactionAsync();
            if (_sqlServer && Columns.Contains("Id"))
            {
                await ExecuteAsync($"SET IDENTITY_INSERT {Quote(Table)} ON");
            }
        }

        protected override async ValueTask WriteAsync(object?[] row)
        {
            _pending.Add(row);
            if (_pending.Count == _rowsPerStatement)
            {
                await FlushAsync();
            }
        }

        public override async Task CompleteAsync()
        {
            await FlushAsync();
            if (_sqlServer && Columns.Contains("Id"))
            {
                await ExecuteAsync($"SET IDENTITY_INSERT {Quote(Table)} OFF");
            }

            if (_transaction is not null)
            {
                await _transaction.CommitAsync();
                await _transaction.DisposeAsync();
                _transaction = null;
            }
        }

        public override async ValueTask DisposeAsync()
        {
            if (_fullCommand is not null)
            {
                await _fullCommand.DisposeAsync();
            }

            if (_transaction is not null)
            {
                await _transaction.DisposeAsync();
            }
        }

        private async Task FlushAsync()
        {
            if (_pending.Count == 0)
            {
                return;
            }

            // Preparing once lets every full batch skip parsing; the last, shorter batch is other SQL, so it gets its own command.
            var full = _pending.Count == _rowsPerStatement;
            var command = full ? _fullCommand ??= await CreateCommandAsync(_rowsPerStatement) : await CreateCommandAsync(_pending.Count);
            command.Transaction = _transaction;
            var index = 0;
            foreach (var row in _pending)
            {
                foreach (var value in row)
                {
                    command.Parameters[index++].Value = value ?? DBNull.Value;
                }
            }

            await command.ExecuteNonQueryAsync();
            if (!full)
            {
                await command.DisposeAsync();
            }

            _uncommitted += _pending.Count;
            _pending.Clear();
            if (_uncommitted >= RowsPerTransaction)
            {
                await _transaction!.CommitAsync();
                await _transaction.DisposeAsync();
                _transaction = await _connection.BeginTransactionAsync();
                _uncommitted = 0;
            }
        }

        private async Task<DbCommand> CreateCommandAsync(int rows)
        {
            var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            var sql = new StringBuilder($"INSERT INTO {Quote(Table)} ({string.Join(", ", Columns.Select(Quote))}) VALUES ");
            for (var r = 0; r < rows; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < Columns.Count; c++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@p{(r * Columns.Count) + c}");
                    sql.Append(c == 0 ? name : ", " + name);
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    command.Parameters.Add(parameter);
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            return command;
        }

        private async Task ExecuteAsync(string sql)
        {
            await using var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}
