using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SubmissionKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_CreatedById",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_CaseAttachments_UploadedById",
                table: "CaseAttachments");

            migrationBuilder.AddColumn<Guid>(
                name: "SubmissionKey",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CreatedById_SubmissionKey",
                table: "Cases",
                columns: new[] { "CreatedById", "SubmissionKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CaseAttachments_UploadedById_UploadedAt",
                table: "CaseAttachments",
                columns: new[] { "UploadedById", "UploadedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_CreatedById_SubmissionKey",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_CaseAttachments_UploadedById_UploadedAt",
                table: "CaseAttachments");

            migrationBuilder.DropColumn(
                name: "SubmissionKey",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CreatedById",
                table: "Cases",
                column: "CreatedById");

            migrationBuilder.CreateIndex(
                name: "IX_CaseAttachments_UploadedById",
                table: "CaseAttachments",
                column: "UploadedById");
        }
    }
}
