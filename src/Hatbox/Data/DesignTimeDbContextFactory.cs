using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hatbox.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without starting the server.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<HatboxDbContext>
{
    public HatboxDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<HatboxDbContext>()
            .UseSqlite(new PlatformDatabase(Path.GetTempPath()).ConnectionString).Options);
}
