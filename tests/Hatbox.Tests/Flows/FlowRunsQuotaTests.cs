using System.Net;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Flows;

/// <summary>The plan's monthly cap on flow runs, and <c>flow_runs</c> in the organization's usage.</summary>
public sealed class FlowRunsQuotaTests() : ServerTest(new() { ["Plans:free:FlowRunsPerMonth"] = "3" })
{
    static readonly object OneStep = new { name = "one", steps = new object[] { new { id = "s", uses = "script", with = new { code = "return 1;" } } } };

    [Fact]
    public async Task PastThePlansMonthlyRunsTriggersGet429QuotaExceededAndUsageCountsTheRuns()
    {
        var capped = await FlowCalls.ForNewTenantAsync(Server, Http);
        var other = await FlowCalls.ForNewTenantAsync(Server, Http);
        var flowId = await capped.CreateAsync(OneStep);
        var otherFlowId = await other.CreateAsync(OneStep);
        for (var i = 0; i < 3; i++)
        {
            await capped.RunOkAsync(flowId);
        }

        using var refused = await capped.TriggerAsync(flowId);
        using var refusedAgain = await capped.TriggerAsync(flowId);

        await ErrorAssert.IsErrorAsync(refused, HttpStatusCode.TooManyRequests, "quota_exceeded", "rate_limit_error");
        Assert.Equal("false", refused.Headers.GetValues("x-should-retry").Single());
        Assert.True(DateTimeOffset.TryParse(refused.Headers.GetValues("X-Quota-Reset").Single(), out var reset) && reset > DateTimeOffset.UtcNow);
        await ErrorAssert.IsErrorAsync(refusedAgain, HttpStatusCode.TooManyRequests, "quota_exceeded");
        // The cap is the organization's: another organization on the same plan runs on.
        await other.RunOkAsync(otherFlowId);
        Assert.Equal(3, await FlowRunsInUsageAsync(capped.Tenant));
        Assert.Equal(1, await FlowRunsInUsageAsync(other.Tenant));
    }

    async Task<long> FlowRunsInUsageAsync(TestTenant tenant)
    {
        using var admin = Person.Anonymous(Server);
        using var signedIn = await admin.SignInAsync($"{tenant.Slug}@example.test", "a long test password");
        Assert.True(signedIn.IsSuccessStatusCode, $"sign-in: {(int)signedIn.StatusCode}");
        using var usage = await admin.GetAsync($"/v1/organizations/{tenant.OrganizationId}/usage");
        return (await Person.ReadAsync(usage, HttpStatusCode.OK)).GetProperty("metrics").GetProperty("flow_runs").GetInt64();
    }
}
