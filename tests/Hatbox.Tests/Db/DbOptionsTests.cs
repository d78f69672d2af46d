using Hatbox.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Hatbox.Tests.Db;

public sealed class DbOptionsTests
{
    [Theory]
    [InlineData("Db:QueryTimeoutMilliseconds", "0")]
    [InlineData("Db:MaxRows", "0")]
    [InlineData("Db:MaxParameters", "-1")]
    [InlineData("Db:MaxStatementBytes", "10")]
    public async Task ABadDatabaseLimitFailsTheBootNotARequest(string key, string value)
    {
        await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var server = await TestServer.StartAsync(DbTestSettings.With((key, value)));
        });
    }
}
