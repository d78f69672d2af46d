using Hatbox.Data;
using Hatbox.Features.Usage;
using Hatbox.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Usage;

public sealed class QuotaNoticeTests
{
    [Fact]
    public async Task AdminsGetOneNoticeAt80AndOneAt100PercentEachMonth()
    {
        await using var server = await TestServer.StartAsync(new() { ["Plans:free:RequestsPerMonth"] = "5" });
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var ct = TestContext.Current.CancellationToken;
        var recorder = server.Services.GetRequiredService<UsageRecorder>();

        for (var i = 0; i < 4; i++)
        {
            (await tenant.AuthenticateAsync(client)).Dispose();
        }
        await recorder.FlushAsync(ct);
        Assert.Equal(["80"], await NoticesAsync(server, tenant));

        for (var i = 0; i < 3; i++)
        {
            (await tenant.AuthenticateAsync(client)).Dispose();
            await recorder.FlushAsync(ct);
        }
        Assert.Equal(["100", "80"], await NoticesAsync(server, tenant));
    }

    static async Task<List<string>> NoticesAsync(TestServer server, TestTenant tenant)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var keys = await db.OutboxEmails.Where(e => e.DedupeKey.StartsWith("quota:" + tenant.OrganizationId + ":"))
            .Select(e => e.DedupeKey).ToListAsync(TestContext.Current.CancellationToken);
        return keys.Select(k => k.Split(':')[3]).Order(StringComparer.Ordinal).ToList();
    }
}
