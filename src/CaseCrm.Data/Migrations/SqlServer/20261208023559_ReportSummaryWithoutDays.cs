using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ReportSummaryWithoutDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The summary keeps weeks and months only (ADR 0041): a report reads its leftover days from the cases.
            migrationBuilder.Sql("DELETE FROM \"ReportCounts\" WHERE \"Unit\" = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The day cells are not made again here: the code before ADR 0041 rebuilds them with its own
            // ReportSummary.RebuildAsync.
        }
    }
}
