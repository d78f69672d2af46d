using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hatbox.Data.Migrations
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
                    OrganizationId = table.Column<string>(type: "TEXT", nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    FlowId = table.Column<string>(type: "TEXT", nullable: false),
                    Runs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_run_counts", x => new { x.OrganizationId, x.Month, x.WorkspaceId, x.FlowId });
                });

            // The counts so far, from the runs still in the history. CreatedAt is EF's binary form of a UTC
            // DateTimeOffset: (ticks / 1000) << 11, so ticks = (value >> 11) * 1000 from 0001-01-01.
            migrationBuilder.Sql("""
                INSERT INTO flow_run_counts ("OrganizationId", "Month", "WorkspaceId", "FlowId", "Runs")
                SELECT "OrganizationId", strftime('%Y-%m', (("CreatedAt" >> 11) * 1000 - 621355968000000000) / 10000000, 'unixepoch'),
                       "WorkspaceId", "FlowId", count(*)
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
