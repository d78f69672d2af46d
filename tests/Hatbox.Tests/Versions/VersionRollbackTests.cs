using Hatbox.Data;
using Hatbox.Features.Versions;
using Hatbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Hatbox.Tests.Versions;

public sealed class VersionRollbackTests
{
    [Fact]
    public async Task AnUpgradeCanBeRolledBackWithin72HoursAndNotAfter()
    {
        // Only the service gets the fake clock: the server's periodic timers would spin through 73 fake hours.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync();
        var tenant = await TestTenant.CreateAsync(server);
        await using var scope = server.Services.CreateAsyncScope();
        var versions = new ApiVersionService(scope.ServiceProvider.GetRequiredService<HatboxDbContext>(), clock);
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await versions.SetAsync(tenant.OrganizationId, "2025-06-01", allowDowngrade: true, ct)).Succeeded);

        var upgraded = await versions.SetAsync(tenant.OrganizationId, "2025-10-28", allowDowngrade: false, ct);
        Assert.Equal("2025-06-01", upgraded.Value!.PreviousApiVersion);
        clock.Advance(TimeSpan.FromHours(71));
        var rolledBack = await versions.RollBackAsync(tenant.OrganizationId, ct);
        Assert.Equal("2025-06-01", rolledBack.Value!.ApiVersion);

        Assert.True((await versions.SetAsync(tenant.OrganizationId, "2025-10-28", allowDowngrade: false, ct)).Succeeded);
        clock.Advance(TimeSpan.FromHours(73));
        var tooLate = await versions.RollBackAsync(tenant.OrganizationId, ct);
        Assert.Equal("rollback_not_available", tooLate.Error!.Code);
    }

    [Fact]
    public async Task AdminsCannotMoveTheirOrganizationBackwardWithoutARollback()
    {
        await using var server = await TestServer.StartAsync();
        var tenant = await TestTenant.CreateAsync(server);
        await using var scope = server.Services.CreateAsyncScope();
        var versions = scope.ServiceProvider.GetRequiredService<ApiVersionService>();

        var result = await versions.SetAsync(tenant.OrganizationId, "2025-06-01", allowDowngrade: false, TestContext.Current.CancellationToken);

        Assert.Equal("version_downgrade_not_allowed", result.Error!.Code);
    }
}
