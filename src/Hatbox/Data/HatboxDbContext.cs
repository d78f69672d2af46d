using Microsoft.EntityFrameworkCore;

namespace Hatbox.Data;

/// <summary>The platform's own tables. Each feature maps its entities next to them.</summary>
internal sealed class HatboxDbContext(DbContextOptions<HatboxDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HatboxDbContext).Assembly);
}
