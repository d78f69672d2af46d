using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hatbox.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AddFlowRunCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "flow_run_counts",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "text", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    WorkspaceId = table.Column<string>(type: "text", nullable: false),
                    FlowId = table.Column<string>(type: "text", nullable: false),
                    Runs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_run_counts", x => new { x.OrganizationId, x.Month, x.WorkspaceId, x.FlowId });
                });

            // The counts so far, from the runs still in the history.
            migrationBuilder.Sql("""
                INSERT INTO flow_run_counts ("OrganizationId", "Month", "WorkspaceId", "FlowId", "Runs")
                SELECT "OrganizationId", to_char("CreatedAt" AT TIME ZONE 'UTC', 'YYYY-MM'), "WorkspaceId", "FlowId", count(*)
                FROM flow_runs
                GROUP BY 1, 2, 3, 4
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "flow_run_counts");
        }
    }
}
