using System.Net;
using Hatbox.Data;
using Hatbox.Features.Flows.Engine;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Flows;

/// <summary>
/// The monthly flow-run cap and <c>flow_runs</c> in usage count the runs started in the month, whatever
/// the history still holds: on the 31st, with 30 days of history, the 1st's runs are swept but still count.
/// </summary>
public sealed class FlowRunCountTests
{
    static readonly object OneStep = new { name = "one", steps = new object[] { new { id = "s", uses = "script", with = new { code = "return 1;" } } } };

    [Fact]
    public async Task RunsSweptFromTheHistoryStillCountTowardTheirMonthsCapAndUsage()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new JumpingClock(new DateTimeOffset(2026, 12, 1, 0, 10, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(
            new() { ["Plans:free:FlowRunsPerMonth"] = "3", ["Flows:HistoryDays"] = "30" },
            configureBuilder: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var http = server.CreateClient();
        var calls = await FlowCalls.ForNewTenantAsync(server, http);
        var flowId = await calls.CreateAsync(OneStep);
        for (var i = 0; i < 3; i++)
        {
            await calls.RunOkAsync(flowId);
        }

        // December 31st, midday: thirty days of history no longer hold the 1st's runs.
        clock.Jump(TimeSpan.FromDays(30.5));
        await server.Services.GetRequiredService<RunHistorySweeper>().SweepAsync(ct);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
            Assert.Equal(0, await db.FlowRuns.CountAsync(r => r.WorkspaceId == calls.Tenant.WorkspaceId, ct));
        }
        using (var refused = await calls.TriggerAsync(flowId))
        {
            await ErrorAssert.IsErrorAsync(refused, HttpStatusCode.TooManyRequests, "quota_exceeded");
        }
        Assert.Equal(3, await FlowRunsInUsageAsync(server, calls.Tenant, "2026-12"));

        // January: a new month's cap, and December's count stays in its report.
        clock.Jump(TimeSpan.FromDays(1));
        await calls.RunOkAsync(flowId);
        Assert.Equal(1, await FlowRunsInUsageAsync(server, calls.Tenant, "2027-01"));
        Assert.Equal(3, await FlowRunsInUsageAsync(server, calls.Tenant, "2026-12"));
    }

    static async Task<long> FlowRunsInUsageAsync(TestServer server, TestTenant tenant, string month)
    {
        using var admin = Person.Anonymous(server);
        using var signedIn = await admin.SignInAsync($"{tenant.Slug}@example.test", "a long test password");
        Assert.True(signedIn.IsSuccessStatusCode, $"sign-in: {(int)signedIn.StatusCode}");
        using var usage = await admin.GetAsync($"/v1/organizations/{tenant.OrganizationId}/usage?month={month}");
        return (await Person.ReadAsync(usage, HttpStatusCode.OK)).GetProperty("metrics").GetProperty("flow_runs").GetInt64();
    }

    /// <summary>
    /// The real clock shifted to a chosen date, and jumped forward on demand. Timers and delays stay
    /// real: a FakeTimeProvider advanced by a month would fire every periodic timer of the server once
    /// per period in between (millions of times) before returning.
    /// </summary>
    sealed class JumpingClock(DateTimeOffset start) : TimeProvider
    {
        TimeSpan _offset = start - DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;

        public void Jump(TimeSpan by) => _offset += by;
    }
}
