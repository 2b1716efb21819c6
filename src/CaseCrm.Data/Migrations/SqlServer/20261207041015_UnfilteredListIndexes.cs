using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class UnfilteredListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cases_DueSort_Id",
                table: "Cases",
                columns: new[] { "DueSort", "Id" },
                filter: "\"Id\" <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "UpdatedAt", "Id" },
                filter: "\"Id\" <> 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_DueSort_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_UpdatedAt_Id",
                table: "Cases");
        }
    }
}
