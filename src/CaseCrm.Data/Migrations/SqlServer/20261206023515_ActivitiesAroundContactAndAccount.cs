using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ActivitiesAroundContactAndAccount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AroundAccountId",
                table: "Activities",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AroundContactId",
                table: "Activities",
                type: "int",
                nullable: true);

            // The existing activities: under the contact and account they regard, or their case's contact and account, or
            // their contact's account (Activity.AroundContactId, AroundAccountId). Before the indexes, which are then built once.
            migrationBuilder.Sql("""
                UPDATE "Activities" SET
                    "AroundContactId" = COALESCE("ContactId", (SELECT c."ContactId" FROM "Cases" c WHERE c."Id" = "Activities"."CaseId")),
                    "AroundAccountId" = COALESCE("AccountId",
                        (SELECT c."AccountId" FROM "Cases" c WHERE c."Id" = "Activities"."CaseId"),
                        (SELECT p."AccountId" FROM "Contacts" p WHERE p."Id" = "Activities"."ContactId"));
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Activities_AroundAccountId_CreatedAt",
                table: "Activities",
                columns: new[] { "AroundAccountId", "CreatedAt" },
                filter: "\"AroundAccountId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_AroundContactId_CreatedAt",
                table: "Activities",
                columns: new[] { "AroundContactId", "CreatedAt" },
                filter: "\"AroundContactId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_AroundAccountId_CreatedAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_AroundContactId_CreatedAt",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "AroundAccountId",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "AroundContactId",
                table: "Activities");
        }
    }
}
