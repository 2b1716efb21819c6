using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CaseFilterStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // ADR 0031: the case list's filters leading its indexes are not independent (an agent works some categories,
            // a burst is of one kind). PostgreSQL assumes they are unless told: with the pairs' most common values it sees
            // that an assignee's walk filtered by a rare category reads far more than the category-and-assignee index.
            migrationBuilder.Sql("""
                CREATE STATISTICS "ST_Cases_Filters" (mcv, dependencies) ON "CategoryId", "AssignedToId", "Status", "Priority" FROM "Cases";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP STATISTICS IF EXISTS "ST_Cases_Filters";""");
        }
    }
}
