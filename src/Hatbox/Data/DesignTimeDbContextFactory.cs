using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hatbox.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the context without starting the server: SQLite by
/// default, PostgreSQL with <c>HATBOX_EF_PROVIDER=postgres</c> (docs/scale-out.md has both commands).
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<HatboxDbContext>
{
    public HatboxDbContext CreateDbContext(string[] args)
    {
        var postgres = Environment.GetEnvironmentVariable("HATBOX_EF_PROVIDER") is "postgres";
        // No server is contacted to add a migration; the connection string only picks the provider.
        var options = postgres
            ? new PlatformOptions { Provider = "postgres", ConnectionString = "Host=127.0.0.1;Database=hatbox_design" }
            : null;
        var builder = new DbContextOptionsBuilder<HatboxDbContext>();
        PlatformDatabaseServiceCollectionExtensions.Configure(builder, new PlatformDatabase(Path.GetTempPath(), options));
        return new HatboxDbContext(builder.Options);
    }
}
