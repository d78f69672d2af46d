using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hatbox.Data.Migrations
{
    /// <inheritdoc />
    public partial class CreatePlatformDatabase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
