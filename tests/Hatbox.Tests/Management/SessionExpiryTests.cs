using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Management;

/// <summary>
/// The server-side half of the sliding 14 days: the session row's expiry is moved directly, because
/// a fake clock for the whole server would also spin its quarter-second background timers.
/// </summary>
public sealed class SessionExpiryTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task AnExpiredSessionIsRefusedEvenThoughItsCookieIsStillValid()
    {
        using var portal = await Person.SignUpAsync(_server);
        await SetExpiryAsync(portal.UserId, DateTimeOffset.UtcNow.AddMinutes(-1));

        using var response = await portal.GetAsync("/v1/me");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
    }

    [Fact]
    public async Task UsingASessionNearItsEndExtendsItByFourteenDays()
    {
        using var portal = await Person.SignUpAsync(_server);
        await SetExpiryAsync(portal.UserId, DateTimeOffset.UtcNow.AddDays(1));

        using var response = await portal.GetAsync("/v1/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-hatbox=", StringComparison.Ordinal));
        Assert.True(await GetExpiryAsync(portal.UserId) > DateTimeOffset.UtcNow.AddDays(13));
    }

    async Task SetExpiryAsync(string userId, DateTimeOffset expiresAt)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HatboxDbContext>().Sessions.Where(s => s.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, expiresAt), TestContext.Current.CancellationToken);
    }

    async Task<DateTimeOffset> GetExpiryAsync(string userId)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HatboxDbContext>().Sessions.Where(s => s.UserId == userId)
            .Select(s => s.ExpiresAt).SingleAsync(TestContext.Current.CancellationToken);
    }
}
