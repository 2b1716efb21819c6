using System.Data.Common;
using System.Globalization;
using System.Text;
using CaseCrm.Domain.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CaseCrm.Data.Contacts;

/// <summary>
/// Writes the search terms of many new contacts at once (the CSV import: about twenty terms a contact), in the context's
/// current transaction: PostgreSQL by binary COPY, SQLite and SQL Server by multi-row INSERTs of one prepared statement.
/// The terms are those the domain built (<see cref="Contact.RefreshSearchText"/>); only their storage skips the change
/// tracker, which would spend most of an import's time on millions of small entities.
/// </summary>
public static class ContactSearchTermWriter
{
    /// <summary>
    /// Adds <paramref name="contact"/> to the context without its terms, which <see cref="InsertAsync"/> writes after the
    /// save. Only the contact's own entry is set Added (not its graph); with automatic change detection on, a later scan
    /// would find the terms and add them too, so it must be off.
    /// </summary>
    public static void AddWithoutTerms(this CrmDbContext db, Contact contact)
    {
        if (db.ChangeTracker.AutoDetectChangesEnabled)
        {
            throw new InvalidOperationException("AddWithoutTerms needs ChangeTracker.AutoDetectChangesEnabled = false.");
        }

        db.Entry(contact).State = EntityState.Added;
    }

    /// <summary>Inserts the terms of contacts saved by <see cref="AddWithoutTerms"/> (they have their ids now).</summary>
    public static async Task InsertAsync(CrmDbContext db, IEnumerable<Contact> contacts, CancellationToken ct)
    {
        var rows = contacts.SelectMany(c => (c.SearchTerms ?? []).Select(t => (c.Id, t.Term, t.SortName))).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(ContactSearchTerm))!;
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        string Column(string property) => Quote(entity.FindProperty(property)!.GetColumnName(store)!);
        var columns = $"{Column(nameof(ContactSearchTerm.ContactId))}, {Column(nameof(ContactSearchTerm.Term))}, {Column(nameof(ContactSearchTerm.SortName))}";
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (connection is NpgsqlConnection npgsql)
        {
            await using var importer = await npgsql.BeginBinaryImportAsync($"COPY {Quote(table)} ({columns}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (contactId, term, sortName) in rows)
            {
                await importer.StartRowAsync(ct);
                await importer.WriteAsync(contactId, NpgsqlDbType.Integer, ct);
                await importer.WriteAsync(term, NpgsqlDbType.Text, ct);
                await importer.WriteAsync(sortName, NpgsqlDbType.Text, ct);
            }

            await importer.CompleteAsync(ct);
            return;
        }

        // SQLite looks each named parameter up by a linear search, so its statements stay small; SQL Server takes 2,100.
        var perStatement = db.Database.IsSqlServer() ? 600 : 64;
        DbCommand? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(perStatement))
            {
                var command = chunk.Length == perStatement ? full ??= Create(connection, transaction, table, columns, perStatement) : Create(connection, transaction, table, columns, chunk.Length);
                var index = 0;
                foreach (var (contactId, term, sortName) in chunk)
                {
                    command.Parameters[index++].Value = contactId;
                    command.Parameters[index++].Value = term;
                    command.Parameters[index++].Value = sortName;
                }

                await command.ExecuteNonQueryAsync(ct);
                if (command != full)
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static DbCommand Create(DbConnection connection, DbTransaction? transaction, string table, string columns, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder($"INSERT INTO {Quote(table)} ({columns}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < 3; c++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"@p{(r * 3) + c}");
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

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
