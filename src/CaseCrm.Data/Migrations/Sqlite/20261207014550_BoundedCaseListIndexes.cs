using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BoundedCaseListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssignedToId_DueSort_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_AssignedToId_UpdatedAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_CategoryId_UpdatedAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_DueSort_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Priority_UpdatedAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Status_UpdatedAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_UpdatedAt_Id",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedToId_Status_Priority_DueSort_Id",
                table: "Cases",
                columns: new[] { "AssignedToId", "Status", "Priority", "DueSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedToId_Status_Priority_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "AssignedToId", "Status", "Priority", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CategoryId_AssignedToId_Status_Priority_DueSort_Id",
                table: "Cases",
                columns: new[] { "CategoryId", "AssignedToId", "Status", "Priority", "DueSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CategoryId_AssignedToId_Status_Priority_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "CategoryId", "AssignedToId", "Status", "Priority", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CategoryId_Status_Priority_DueSort_Id",
                table: "Cases",
                columns: new[] { "CategoryId", "Status", "Priority", "DueSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CategoryId_Status_Priority_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "CategoryId", "Status", "Priority", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_Priority_DueSort_Id",
                table: "Cases",
                columns: new[] { "Status", "Priority", "DueSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_Priority_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "Status", "Priority", "UpdatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssignedToId_Status_Priority_DueSort_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_AssignedToId_Status_Priority_UpdatedAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_CategoryId_AssignedToId_Status_Priority_DueSort_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_CategoryId_AssignedToId_Status_Priority_UpdatedAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_CategoryId_Status_Priority_DueSort_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_CategoryId_Status_Priority_UpdatedAt_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Status_Priority_DueSort_Id",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Status_Priority_UpdatedAt_Id",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedToId_DueSort_Id",
                table: "Cases",
                columns: new[] { "AssignedToId", "DueSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedToId_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "AssignedToId", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CategoryId_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "CategoryId", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_DueSort_Id",
                table: "Cases",
                columns: new[] { "DueSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Priority_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "Priority", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "Status", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_UpdatedAt_Id",
                table: "Cases",
                columns: new[] { "UpdatedAt", "Id" });
        }
    }
}
