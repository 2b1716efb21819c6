using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseCrm.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class EmailSending : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AcknowledgementId",
                table: "Mailboxes",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthorId",
                table: "EmailMessages",
                type: "nvarchar(450)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClaimedBy",
                table: "EmailMessages",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedUntil",
                table: "EmailMessages",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastError",
                table: "EmailMessages",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextAttemptAt",
                table: "EmailMessages",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "References",
                table: "EmailMessages",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SendAttempts",
                table: "EmailMessages",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "State",
                table: "EmailMessages",
                type: "int",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EmailAttachments",
                columns: table => new
                {
                    EmailMessageId = table.Column<int>(type: "int", nullable: false),
                    CaseAttachmentId = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailAttachments", x => new { x.EmailMessageId, x.CaseAttachmentId });
                    table.ForeignKey(
                        name: "FK_EmailAttachments_CaseAttachments_CaseAttachmentId",
                        column: x => x.CaseAttachmentId,
                        principalTable: "CaseAttachments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_EmailAttachments_EmailMessages_EmailMessageId",
                        column: x => x.EmailMessageId,
                        principalTable: "EmailMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QuickReplies",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Subject = table.Column<string>(type: "nvarchar(998)", maxLength: 998, nullable: false),
                    Body = table.Column<string>(type: "nvarchar(max)", maxLength: 20000, nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuickReplies", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Mailboxes_AcknowledgementId",
                table: "Mailboxes",
                column: "AcknowledgementId");

            migrationBuilder.CreateIndex(
                name: "IX_EmailMessages_AuthorId",
                table: "EmailMessages",
                column: "AuthorId");

            migrationBuilder.CreateIndex(
                name: "IX_EmailMessages_Outbox",
                table: "EmailMessages",
                column: "NextAttemptAt",
                filter: "\"State\" = 1");

            migrationBuilder.CreateIndex(
                name: "IX_EmailAttachments_CaseAttachmentId",
                table: "EmailAttachments",
                column: "CaseAttachmentId");

            migrationBuilder.CreateIndex(
                name: "IX_QuickReplies_Name",
                table: "QuickReplies",
                column: "Name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_EmailMessages_AspNetUsers_AuthorId",
                table: "EmailMessages",
                column: "AuthorId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Mailboxes_QuickReplies_AcknowledgementId",
                table: "Mailboxes",
                column: "AcknowledgementId",
                principalTable: "QuickReplies",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_EmailMessages_AspNetUsers_AuthorId",
                table: "EmailMessages");

            migrationBuilder.DropForeignKey(
                name: "FK_Mailboxes_QuickReplies_AcknowledgementId",
                table: "Mailboxes");

            migrationBuilder.DropTable(
                name: "EmailAttachments");

            migrationBuilder.DropTable(
                name: "QuickReplies");

            migrationBuilder.DropIndex(
                name: "IX_Mailboxes_AcknowledgementId",
                table: "Mailboxes");

            migrationBuilder.DropIndex(
                name: "IX_EmailMessages_AuthorId",
                table: "EmailMessages");

            migrationBuilder.DropIndex(
                name: "IX_EmailMessages_Outbox",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "AcknowledgementId",
                table: "Mailboxes");

            migrationBuilder.DropColumn(
                name: "AuthorId",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "ClaimedUntil",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "LastError",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "NextAttemptAt",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "References",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "SendAttempts",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "State",
                table: "EmailMessages");
        }
    }
}
