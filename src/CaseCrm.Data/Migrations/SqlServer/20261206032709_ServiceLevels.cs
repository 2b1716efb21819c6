using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ServiceLevels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ServiceCalendars",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    TimeZoneId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceCalendars", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CalendarHoliday",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CalendarId = table.Column<int>(type: "int", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarHoliday", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CalendarHoliday_ServiceCalendars_CalendarId",
                        column: x => x.CalendarId,
                        principalTable: "ServiceCalendars",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CalendarHours",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CalendarId = table.Column<int>(type: "int", nullable: false),
                    Day = table.Column<int>(type: "int", nullable: false),
                    Start = table.Column<TimeOnly>(type: "time", nullable: false),
                    End = table.Column<TimeOnly>(type: "time", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarHours", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CalendarHours_ServiceCalendars_CalendarId",
                        column: x => x.CalendarId,
                        principalTable: "ServiceCalendars",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServicePolicies",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Priority = table.Column<int>(type: "int", nullable: false),
                    CategoryId = table.Column<int>(type: "int", nullable: true),
                    CalendarId = table.Column<int>(type: "int", nullable: false),
                    FirstResponseMinutes = table.Column<int>(type: "int", nullable: false),
                    ResolutionMinutes = table.Column<int>(type: "int", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServicePolicies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServicePolicies_Categories_CategoryId",
                        column: x => x.CategoryId,
                        principalTable: "Categories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServicePolicies_ServiceCalendars_CalendarId",
                        column: x => x.CalendarId,
                        principalTable: "ServiceCalendars",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CalendarHoliday_CalendarId_Date",
                table: "CalendarHoliday",
                columns: new[] { "CalendarId", "Date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CalendarHours_CalendarId",
                table: "CalendarHours",
                column: "CalendarId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceCalendars_Name",
                table: "ServiceCalendars",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ServicePolicies_CalendarId",
                table: "ServicePolicies",
                column: "CalendarId");

            migrationBuilder.CreateIndex(
                name: "IX_ServicePolicies_CategoryId",
                table: "ServicePolicies",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_ServicePolicies_Priority_AnyCategory",
                table: "ServicePolicies",
                column: "Priority",
                unique: true,
                filter: "\"CategoryId\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ServicePolicies_Priority_CategoryId",
                table: "ServicePolicies",
                columns: new[] { "Priority", "CategoryId" },
                unique: true,
                filter: "\"CategoryId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalendarHoliday");

            migrationBuilder.DropTable(
                name: "CalendarHours");

            migrationBuilder.DropTable(
                name: "ServicePolicies");

            migrationBuilder.DropTable(
                name: "ServiceCalendars");
        }
    }
}
