using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.Postgres
{
    /// <summary>
    /// The contact search index of ADR 0009 replaces <c>Contacts.SearchText</c> (and, on PostgreSQL, its trigram
    /// index). The terms of existing contacts are computed by the app (<c>DbInitializer</c>), not in SQL. Down restores
    /// the column empty: contacts are found again once edited.
    /// </summary>
    public partial class ContactSearchTerms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_SearchText_Trigram",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "Contacts");

            migrationBuilder.CreateTable(
                name: "ContactSearchTerms",
                columns: table => new
                {
                    ContactId = table.Column<int>(type: "integer", nullable: false),
                    Term = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    SortName = table.Column<string>(type: "character varying(201)", maxLength: 201, nullable: false)
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
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_SearchText_Trigram",
                table: "Contacts",
                column: "SearchText")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }
    }
}
