using System.Net;
using Hatbox.Features.Usage;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Usage;

public sealed class MeteringTests
{
    [Fact]
    public async Task UsageTotalsEqualTheRequestsMadeByDayKeyEndpointAndStatus()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var (second, secondId) = await tenant.CreateKeyAsync(server);
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 7; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication");
            request.Headers.Authorization = new("Bearer", i < 5 ? tenant.ApiKey : second);
            if (i == 6)
            {
                request.Headers.Add("WorqHat-Version", "1999-01-01");
            }
            (await client.SendAsync(request, ct)).Dispose();
        }

        await using var scope = server.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<UsageService>()
            .ReportAsync(tenant.OrganizationId, BillingMonth.Of(DateTimeOffset.UtcNow), ct);

        Assert.Equal(7, report.Requests);
        Assert.Equal(7, Assert.Single(report.ByDay).Requests);
        Assert.Equal(5, report.ByKey.Single(k => k.Name == tenant.KeyId).Requests);
        Assert.Equal(2, report.ByKey.Single(k => k.Name == secondId).Requests);
        Assert.Equal(7, Assert.Single(report.ByEndpoint, e => e.Name == "authentication").Requests);
        Assert.Equal(6, report.ByStatus.Single(s => s.Name == "200").Requests);
        Assert.Equal(1, report.ByStatus.Single(s => s.Name == "400").Requests);
    }

    [Fact]
    public async Task AGracefulStopKeepsEveryAnsweredRequest()
    {
        var data = Directory.CreateTempSubdirectory("hatbox-metering-").FullName;
        TestTenant tenant;
        await using (var server = await TestServer.StartAsync(sharedDataDirectory: data))
        {
            using var client = server.CreateClient();
            tenant = await TestTenant.CreateAsync(server);
            await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication");
                request.Headers.Authorization = new("Bearer", tenant.ApiKey);
                using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }));
        }

        await using var restarted = await TestServer.StartAsync(sharedDataDirectory: data);
        await using var scope = restarted.Services.CreateAsyncScope();
        var statement = await scope.ServiceProvider.GetRequiredService<UsageService>()
            .StatementAsync(tenant.OrganizationId, BillingMonth.Of(DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        Assert.Equal(40, statement!.Used);
    }

    /// <summary>
    /// A flush interrupted by the stop (its token cancelled while writing) must leave its batch for the
    /// final flush: under load that race once lost 38 of 40 answered requests.
    /// </summary>
    [Fact]
    public async Task AFlushCancelledByTheStopLosesNothing()
    {
        await using var server = await TestServer.StartAsync();
        var tenant = await TestTenant.CreateAsync(server);
        var recorder = server.Services.GetRequiredService<UsageRecorder>();
        var month = BillingMonth.Of(DateTimeOffset.UtcNow);
        for (var i = 0; i < 3; i++)
        {
            recorder.Record(new UsageKey(tenant.OrganizationId, tenant.WorkspaceId, "key_test", BillingMonth.Day(DateTimeOffset.UtcNow),
                "authentication", 200), 1, 0, 0, TimeSpan.FromMilliseconds(1));
        }

        // What follows the write (the quota-notice check) may stop at the cancellation; the counts may not.
        var interrupted = await Record.ExceptionAsync(() => recorder.FlushAsync(new CancellationToken(canceled: true)));
        Assert.True(interrupted is null or OperationCanceledException);
        await recorder.FlushAsync(CancellationToken.None);

        await using var scope = server.Services.CreateAsyncScope();
        var statement = await scope.ServiceProvider.GetRequiredService<UsageService>()
            .StatementAsync(tenant.OrganizationId, month, TestContext.Current.CancellationToken);
        Assert.Equal(3, statement!.Used);
    }
}
