using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SubstringSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_SearchText_Trigram",
                table: "Contacts",
                column: "SearchText")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_SearchTitle_Trigram",
                table: "Cases",
                column: "SearchTitle")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_SearchText_Trigram",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Cases_SearchTitle_Trigram",
                table: "Cases");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
