using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ActivityListIndexesEndWithId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_AroundAccountId_CreatedAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_AroundContactId_CreatedAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_CaseId_CreatedAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_OwnerId_CreatedAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_OwnerId_Status_ScheduledAt",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_AroundAccountId_CreatedAt_Id",
                table: "Activities",
                columns: new[] { "AroundAccountId", "CreatedAt", "Id" },
                filter: "\"AroundAccountId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_AroundContactId_CreatedAt_Id",
                table: "Activities",
                columns: new[] { "AroundContactId", "CreatedAt", "Id" },
                filter: "\"AroundContactId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_CaseId_CreatedAt_Id",
                table: "Activities",
                columns: new[] { "CaseId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OwnerId_CreatedAt_Id",
                table: "Activities",
                columns: new[] { "OwnerId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OwnerId_Status_ScheduledAt_Id",
                table: "Activities",
                columns: new[] { "OwnerId", "Status", "ScheduledAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_AroundAccountId_CreatedAt_Id",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_AroundContactId_CreatedAt_Id",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_CaseId_CreatedAt_Id",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_OwnerId_CreatedAt_Id",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_OwnerId_Status_ScheduledAt_Id",
                table: "Activities");

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

            migrationBuilder.CreateIndex(
                name: "IX_Activities_CaseId_CreatedAt",
                table: "Activities",
                columns: new[] { "CaseId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OwnerId_CreatedAt",
                table: "Activities",
                columns: new[] { "OwnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OwnerId_Status_ScheduledAt",
                table: "Activities",
                columns: new[] { "OwnerId", "Status", "ScheduledAt" });
        }
    }
}
