using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ActivityIndexesForListsAndTabs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_AccountId_CreatedAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_ContactId_CreatedAt",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_AccountId_CreatedAt",
                table: "Activities",
                columns: new[] { "AccountId", "CreatedAt" },
                filter: "\"AccountId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_ContactId_CreatedAt",
                table: "Activities",
                columns: new[] { "ContactId", "CreatedAt" },
                filter: "\"ContactId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OwnerId_CreatedAt",
                table: "Activities",
                columns: new[] { "OwnerId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_AccountId_CreatedAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_ContactId_CreatedAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_OwnerId_CreatedAt",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_AccountId_CreatedAt",
                table: "Activities",
                columns: new[] { "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_ContactId_CreatedAt",
                table: "Activities",
                columns: new[] { "ContactId", "CreatedAt" });
        }
    }
}
