using System.Net;
using Hatbox.Features.Organizations;
using Hatbox.Features.Usage;
using Hatbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Hatbox.Tests.Usage;

public sealed class MonthlyQuotaTests
{
    [Fact]
    public async Task OnTheFreePlanTheCallPastTheQuotaIsRefusedWithoutRetry()
    {
        await using var server = await TestServer.StartAsync(new() { ["Plans:free:RequestsPerMonth"] = "5" });
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        for (var i = 0; i < 5; i++)
        {
            using var ok = await tenant.AuthenticateAsync(client);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await tenant.AuthenticateAsync(client);

        await ErrorAssert.IsErrorAsync(refused, HttpStatusCode.TooManyRequests, "quota_exceeded", "rate_limit_error");
        Assert.Equal("false", refused.Headers.GetValues("x-should-retry").Single());
        var reset = DateTimeOffset.Parse(refused.Headers.GetValues("X-Quota-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, reset.Day);
        Assert.True(reset > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task APaidPlanKeepsGoingAndBillsTheOverage()
    {
        await using var server = await TestServer.StartAsync(new()
        {
            ["Plans:pro:RequestsPerMonth"] = "3",
            ["Plans:pro:OveragePricePer1000"] = "2.50",
        });
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        await using var scope = server.Services.CreateAsyncScope();
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await scope.ServiceProvider.GetRequiredService<OrganizationService>().SetPlanAsync(tenant.OrganizationId, "pro", Hatbox.Common.Actor.Cli, ct)).Succeeded);

        for (var i = 0; i < 7; i++)
        {
            using var response = await tenant.AuthenticateAsync(client);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var statement = await scope.ServiceProvider.GetRequiredService<UsageService>()
            .StatementAsync(tenant.OrganizationId, BillingMonth.Of(DateTimeOffset.UtcNow), ct);
        Assert.Equal(3, statement!.Included);
        Assert.Equal(7, statement.Used);
        Assert.Equal(4, statement.Overage);
        Assert.Equal(0.01m, statement.Amount);
    }

    [Fact]
    public async Task TheQuotaResetsOnceWhenTheMonthTurnsOver()
    {
        // The clock starts two seconds before December (UTC) and moves a few seconds, so the server's timers stay calm.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 59, 58, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(
            new() { ["Plans:free:RequestsPerMonth"] = "3" },
            configureBuilder: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        for (var i = 0; i < 3; i++)
        {
            (await tenant.AuthenticateAsync(client)).Dispose();
        }
        using (var spent = await tenant.AuthenticateAsync(client))
        {
            await ErrorAssert.IsErrorAsync(spent, HttpStatusCode.TooManyRequests, "quota_exceeded");
        }

        clock.Advance(TimeSpan.FromSeconds(3));
        for (var i = 0; i < 3; i++)
        {
            using var fresh = await tenant.AuthenticateAsync(client);
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }
        using var spentAgain = await tenant.AuthenticateAsync(client);

        await ErrorAssert.IsErrorAsync(spentAgain, HttpStatusCode.TooManyRequests, "quota_exceeded");
        await using var scope = server.Services.CreateAsyncScope();
        var usage = scope.ServiceProvider.GetRequiredService<UsageService>();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(3, (await usage.StatementAsync(tenant.OrganizationId, "2026-11", ct))!.Used);
        Assert.Equal(3, (await usage.StatementAsync(tenant.OrganizationId, "2026-12", ct))!.Used);
    }
}
