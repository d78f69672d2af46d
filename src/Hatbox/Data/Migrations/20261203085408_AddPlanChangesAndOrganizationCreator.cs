using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hatbox.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddPlanChangesAndOrganizationCreator : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CreatedByUserId",
                table: "organizations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "plan_changes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<string>(type: "TEXT", nullable: false),
                    FromPlan = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ToPlan = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ToPaidPlan = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChangedByUserId = table.Column<string>(type: "TEXT", nullable: true),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_changes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_organizations_CreatedByUserId_CreatedAt",
                table: "organizations",
                columns: new[] { "CreatedByUserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_plan_changes_OrganizationId_ChangedAt",
                table: "plan_changes",
                columns: new[] { "OrganizationId", "ChangedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plan_changes");

            migrationBuilder.DropIndex(
                name: "IX_organizations_CreatedByUserId_CreatedAt",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "CreatedByUserId",
                table: "organizations");
        }
    }
}
