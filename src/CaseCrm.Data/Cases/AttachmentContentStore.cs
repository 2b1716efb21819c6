using System.Data;
using System.Data.Common;
using CaseCrm.Domain.Cases;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CaseCrm.Data.Cases;

/// <summary>
/// The bytes of attachments, streamed into and out of the database in pieces so that neither an upload nor a download
/// holds a file in memory (docs/security.md, "Outside scan, round two", 1). SQLite: the row is inserted with
/// <c>zeroblob(n)</c> and written through <see cref="SqliteBlob"/>; read through the blob too (the row id is selected).
/// PostgreSQL and SQL Server: the parameter's value is the stream, which Npgsql and SqlClient send as they read it; read
/// with <see cref="CommandBehavior.SequentialAccess"/>. Always in the caller's transaction.
/// </summary>
public static class AttachmentContentStore
{
    private const int Piece = 81920;

    /// <summary>Writes the content of attachment <paramref name="attachmentId"/> (its row saved already) from <paramref name="content"/>.</summary>
    public static async Task WriteAsync(CrmDbContext db, int attachmentId, long length, Stream content, CancellationToken ct)
    {
        var (table, id, data) = Names(db);
        await using var command = Command(db);
        Parameter(command, "id", attachmentId);
        if (command.Connection is SqliteConnection sqlite)
        {
            command.CommandText = $"INSERT INTO {table} ({id}, {data}) VALUES (@id, zeroblob(@length))";
            Parameter(command, "length", length);
            await command.ExecuteNonQueryAsync(ct);
            await using var blob = new SqliteBlob(sqlite, Unquoted(db).Table, Unquoted(db).Data, attachmentId);
            await content.CopyToAsync(blob, Piece, ct);
            return;
        }

        command.CommandText = $"INSERT INTO {table} ({id}, {data}) VALUES (@id, @data)";
        var dataParameter = Parameter(command, "data", content);
        dataParameter.DbType = DbType.Binary;
        dataParameter.Size = -1;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Copies the content of attachment <paramref name="attachmentId"/> to <paramref name="destination"/>; false when it has none.</summary>
    public static async Task<bool> CopyToAsync(CrmDbContext db, int attachmentId, Stream destination, CancellationToken ct)
    {
        var (table, id, data) = Names(db);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = Command(db);
            // The id first: SQLite reads the blob through its row id, and sequential access reads columns in order.
            command.CommandText = $"SELECT {id}, {data} FROM {table} WHERE {id} = @id";
            Parameter(command, "id", attachmentId);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
            if (!await reader.ReadAsync(ct))
            {
                return false;
            }

            await using var stream = reader.GetStream(1);
            await stream.CopyToAsync(destination, Piece, ct);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DbCommand Command(CrmDbContext db)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static (string Table, string Id, string Data) Unquoted(CrmDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(AttachmentContent))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return (table.Name,
            entity.FindProperty(nameof(AttachmentContent.AttachmentId))!.GetColumnName(table)!,
            entity.FindProperty(nameof(AttachmentContent.Data))!.GetColumnName(table)!);
    }

    private static (string Table, string Id, string Data) Names(CrmDbContext db)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var entity = db.Model.FindEntityType(typeof(AttachmentContent))!;
        var (table, id, data) = Unquoted(db);
        return (sql.DelimitIdentifier(table, entity.GetSchema()), sql.DelimitIdentifier(id), sql.DelimitIdentifier(data));
    }
}
