using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StartPage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AssignedAt",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastSeenAt",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PreviousVisitAt",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedToId_AssignedAt",
                table: "Cases",
                columns: new[] { "AssignedToId", "AssignedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CreatedAt_Status",
                table: "Cases",
                columns: new[] { "CreatedAt", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_CategoryId_AssignedToId",
                table: "Cases",
                columns: new[] { "Status", "CategoryId", "AssignedToId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssignedToId_AssignedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_CreatedAt_Status",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Status_CategoryId_AssignedToId",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "AssignedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "LastSeenAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "PreviousVisitAt",
                table: "AspNetUsers");
        }
    }
}
