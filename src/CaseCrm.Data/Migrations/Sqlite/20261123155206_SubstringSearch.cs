using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.Sqlite
{
    /// <summary>
    /// SQLite's substring index (ADR 0008): an FTS5 table with the trigram tokenizer over <c>Contacts.SearchText</c>
    /// and one over <c>Cases.SearchTitle</c>. Both are "external content" tables (they store only the index, reading
    /// the text from the table itself), filled once here and kept in step by triggers on insert, update and delete.
    /// The model does not know these objects, so they are written as SQL; an EF table rebuild of Contacts or Cases
    /// in a later migration would drop the triggers and must recreate them. The contacts' index was replaced by the
    /// search terms of ADR 0009 (migration <c>ContactSearchTerms</c>).
    /// </summary>
    public partial class SubstringSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            CreateIndex(migrationBuilder, "ContactSearch", "Contacts", "SearchText");
            CreateIndex(migrationBuilder, "CaseSearch", "Cases", "SearchTitle");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            DropIndex(migrationBuilder, "ContactSearch", "Contacts");
            DropIndex(migrationBuilder, "CaseSearch", "Cases");
        }

        internal static void CreateIndex(MigrationBuilder migrationBuilder, string index, string table, string column)
        {
            migrationBuilder.Sql($"""
                CREATE VIRTUAL TABLE "{index}" USING fts5("{column}", content='{table}', content_rowid='Id', tokenize='trigram');
                """);
            migrationBuilder.Sql($"""INSERT INTO "{index}"("{index}") VALUES ('rebuild');""");
            migrationBuilder.Sql($"""
                CREATE TRIGGER "{table}_{index}_Insert" AFTER INSERT ON "{table}" BEGIN
                    INSERT INTO "{index}"(rowid, "{column}") VALUES (new."Id", new."{column}");
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "{table}_{index}_Delete" AFTER DELETE ON "{table}" BEGIN
                    INSERT INTO "{index}"("{index}", rowid, "{column}") VALUES ('delete', old."Id", old."{column}");
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "{table}_{index}_Update" AFTER UPDATE OF "{column}" ON "{table}" BEGIN
                    INSERT INTO "{index}"("{index}", rowid, "{column}") VALUES ('delete', old."Id", old."{column}");
                    INSERT INTO "{index}"(rowid, "{column}") VALUES (new."Id", new."{column}");
                END;
                """);
        }

        internal static void DropIndex(MigrationBuilder migrationBuilder, string index, string table)
        {
            foreach (var trigger in new[] { "Insert", "Delete", "Update" })
            {
                migrationBuilder.Sql($"""DROP TRIGGER "{table}_{index}_{trigger}";""");
            }

            migrationBuilder.Sql($"""DROP TABLE "{index}";""");
        }
    }
}
