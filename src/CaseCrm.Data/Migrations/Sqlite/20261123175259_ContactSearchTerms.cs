using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.Sqlite
{
    /// <summary>
    /// The contact search index of ADR 0009 replaces the FTS5 trigram index over <c>Contacts.SearchText</c> and the
    /// column itself. The terms of existing contacts are computed by the app (<c>DbInitializer</c>), not in SQL. Down
    /// restores the column and its index empty: contacts are found again once edited.
    /// </summary>
    public partial class ContactSearchTerms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The triggers name the column: they go first.
            SubstringSearch.DropIndex(migrationBuilder, "ContactSearch", "Contacts");
            // SQLite (3.35+) drops a column in place, inside the migration's transaction; EF's DropColumn would rebuild
            // the table with foreign keys switched off outside any transaction.
            migrationBuilder.Sql("""ALTER TABLE "Contacts" DROP COLUMN "SearchText";""");

            migrationBuilder.CreateTable(
                name: "ContactSearchTerms",
                columns: table => new
                {
                    ContactId = table.Column<int>(type: "INTEGER", nullable: false),
                    Term = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SortName = table.Column<string>(type: "TEXT", maxLength: 201, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactSearchTerms", x => new { x.ContactId, x.Term });
                    table.ForeignKey(
                        name: "FK_ContactSearchTerms_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ContactSearchTerms_Term_SortName_ContactId",
                table: "ContactSearchTerms",
                columns: new[] { "Term", "SortName", "ContactId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ContactSearchTerms");

            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "Contacts",
                type: "TEXT",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            SubstringSearch.CreateIndex(migrationBuilder, "ContactSearch", "Contacts", "SearchText");
        }
    }
}
