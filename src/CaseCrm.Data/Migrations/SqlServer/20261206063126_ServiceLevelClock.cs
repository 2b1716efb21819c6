using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ServiceLevelClock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AtRiskPercent",
                table: "ServicePolicies",
                type: "int",
                nullable: false,
                defaultValue: 20);

            migrationBuilder.AddColumn<DateTime>(
                name: "AtRiskAt",
                table: "Cases",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AtRiskPercent",
                table: "Cases",
                type: "int",
                nullable: false,
                defaultValue: 20);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClockRunningSince",
                table: "Cases",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ClockSpentSeconds",
                table: "Cases",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "DueAt",
                table: "Cases",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DueSort",
                table: "Cases",
                type: "datetime2",
                nullable: false,
                defaultValue: new DateTime(9999, 12, 31, 0, 0, 0, 0, DateTimeKind.Utc));

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstRespondedAt",
                table: "Cases",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstResponseAtRiskAt",
                table: "Cases",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstResponseDueAt",
                table: "Cases",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FirstResponseSeconds",
                table: "Cases",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FirstResponseTargetMinutes",
                table: "Cases",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextNoticeAt",
                table: "Cases",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "NoticesGiven",
                table: "Cases",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolutionAtRiskAt",
                table: "Cases",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolutionDueAt",
                table: "Cases",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ResolutionSeconds",
                table: "Cases",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ResolutionTargetMinutes",
                table: "Cases",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolvedAt",
                table: "Cases",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ServiceCalendarId",
                table: "Cases",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ServicePolicyId",
                table: "Cases",
                type: "int",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "JobLeases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Holder = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Until = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobLeases", x => x.Name);
                });

            // Cases resolved before the clock existed: resolved when their history last says so (the reports and the start
            // page's resolved-per-day read this column). Status 4 = Resolved; history field 6 = Status.
            migrationBuilder.Sql(
                "UPDATE \"Cases\" SET \"ResolvedAt\" = (SELECT MAX(h.\"At\") FROM \"CaseHistory\" h " +
                "WHERE h.\"CaseId\" = \"Cases\".\"Id\" AND h.\"Field\" = 6 AND h.\"NewValue\" = 'Resolved') " +
                "WHERE \"Status\" = 4;");

            migrationBuilder.InsertData(
                table: "JobLeases",
                columns: new[] { "Name", "Holder", "Until" },
                values: new object[] { "ServiceLevelNotices", null, null });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedToId_DueAt_Id",
                table: "Cases",
                columns: new[] { "AssignedToId", "DueAt", "Id" },
                filter: "\"DueAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedToId_DueSort_Id",
                table: "Cases",
                columns: new[] { "AssignedToId", "DueSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_DueAt_Id",
                table: "Cases",
                columns: new[] { "DueAt", "Id" },
                filter: "\"DueAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_DueSort_Id",
                table: "Cases",
                columns: new[] { "DueSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_FirstRespondedAt_AssignedToId_CategoryId_FirstResponseSeconds_FirstResponseTargetMinutes",
                table: "Cases",
                columns: new[] { "FirstRespondedAt", "AssignedToId", "CategoryId", "FirstResponseSeconds", "FirstResponseTargetMinutes" },
                filter: "\"FirstRespondedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_NextNoticeAt",
                table: "Cases",
                column: "NextNoticeAt",
                filter: "\"NextNoticeAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ResolvedAt_AssignedToId_CategoryId_ResolutionSeconds_ResolutionTargetMinutes",
                table: "Cases",
                columns: new[] { "ResolvedAt", "AssignedToId", "CategoryId", "ResolutionSeconds", "ResolutionTargetMinutes" },
                filter: "\"ResolvedAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "JobLeases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_AssignedToId_DueAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_AssignedToId_DueSort_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_DueAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_DueSort_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_FirstRespondedAt_AssignedToId_CategoryId_FirstResponseSeconds_FirstResponseTargetMinutes",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_NextNoticeAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_ResolvedAt_AssignedToId_CategoryId_ResolutionSeconds_ResolutionTargetMinutes",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "AtRiskPercent",
                table: "ServicePolicies");

            migrationBuilder.DropColumn(
                name: "AtRiskAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "AtRiskPercent",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ClockRunningSince",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ClockSpentSeconds",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "DueAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "DueSort",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FirstRespondedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FirstResponseAtRiskAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FirstResponseDueAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FirstResponseSeconds",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FirstResponseTargetMinutes",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "NextNoticeAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "NoticesGiven",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ResolutionAtRiskAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ResolutionDueAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ResolutionSeconds",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ResolutionTargetMinutes",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ResolvedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ServiceCalendarId",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ServicePolicyId",
                table: "Cases");
        }
    }
}
