using Hatbox.Features.RateLimits;
using Hatbox.Features.Usage;
using Hatbox.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Hatbox.Tests.Usage;

public sealed class RedisOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:6379,noSuchOption=1")]
    [InlineData(",,,")]
    public async Task ABadRedisConfigurationFailsTheBootNotARequest(string configuration)
    {
        await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var server = await TestServer.StartAsync(new() { ["Redis:Configuration"] = configuration });
        });
    }

    [Fact]
    public async Task WithoutRedisTheCountersStayInProcess()
    {
        await using var server = await TestServer.StartAsync(new() { ["Redis:Configuration"] = "" });

        Assert.IsType<InProcessRateLimitStore>(server.Services.GetRequiredService<IRateLimitStore>());
        Assert.IsType<InProcessQuotaCounter>(server.Services.GetRequiredService<IQuotaCounter>());
    }
}
