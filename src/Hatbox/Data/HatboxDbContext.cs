using Hatbox.Features.Accounts;
using Hatbox.Features.Accounts.External;
using Hatbox.Features.Ai.Chat;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Audit;
using Hatbox.Features.Domains;
using Hatbox.Features.Flows;
using Hatbox.Features.Idempotency;
using Hatbox.Features.Notifications;
using Hatbox.Features.Organizations;
using Hatbox.Features.Plans;
using Hatbox.Features.Storage;
using Hatbox.Features.Usage;
using Hatbox.Features.Versions;
using Hatbox.Features.Workspaces;
using Hatbox.Data.Postgres;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hatbox.Data;

/// <summary>The platform's own tables. Each feature maps its entities next to them.</summary>
internal sealed class HatboxDbContext(DbContextOptions<HatboxDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<User> Users => Set<User>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();
    public DbSet<ExternalLogin> ExternalLogins => Set<ExternalLogin>();
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AccessChange> AccessChanges => Set<AccessChange>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();
    public DbSet<AnnouncedVersion> AnnouncedVersions => Set<AnnouncedVersion>();
    public DbSet<StoredFile> StoredFiles => Set<StoredFile>();
    public DbSet<AllowedDomain> AllowedDomains => Set<AllowedDomain>();
    public DbSet<UsageDaily> UsageDaily => Set<UsageDaily>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<PlanChange> PlanChanges => Set<PlanChange>();
    public DbSet<ChatTokenUsage> ChatTokenUsage => Set<ChatTokenUsage>();
    public DbSet<Flow> Flows => Set<Flow>();
    public DbSet<FlowVersion> FlowVersions => Set<FlowVersion>();
    public DbSet<FlowRun> FlowRuns => Set<FlowRun>();
    public DbSet<FlowRunStep> FlowRunSteps => Set<FlowRunStep>();
    public DbSet<FlowRunCount> FlowRunCounts => Set<FlowRunCount>();

    /// <summary>The shared Data Protection key ring; a table only on PostgreSQL (Data/Postgres/SharedKeyRing.cs).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HatboxDbContext).Assembly);
        // Secrets every node shares live in a shared platform store; one embedded server keeps them in its folder.
        if (Database.IsNpgsql())
        {
            modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
            SharedSecret.Map(modelBuilder);
        }
        else
        {
            modelBuilder.Ignore<DataProtectionKey>();
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type and EF cannot compare or sort DateTimeOffset text there;
        // a sortable 64-bit value keeps range queries and ORDER BY in the database.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
