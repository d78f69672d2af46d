using System.Net;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>Sign-in and sign-up attempts are limited per client address, whichever accounts they name.</summary>
public sealed class SignInThrottleTests
{
    [Fact]
    public async Task AnAddressTryingManyAccountsIsSlowedDownEvenWithTheRightPassword()
    {
        await using var server = await TestServer.StartAsync(new() { ["Accounts:SignInAttemptsPerMinute"] = "3" });
        using var owner = await Person.SignUpAsync(server); // attempt 1
        using var stranger = Person.Anonymous(server);

        using var second = await stranger.SignInAsync(Person.NewEmail(), "wrong password 1");
        using var third = await stranger.SignInAsync(Person.NewEmail(), "wrong password 2");
        using var fourth = await stranger.SignInAsync(owner.Email, Person.Password);
        using var signUp = await stranger.SendAsync(HttpMethod.Post, "/v1/accounts", new { email = Person.NewEmail(), password = Person.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, third.StatusCode);
        await ErrorAssert.IsErrorAsync(fourth, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(fourth.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await ErrorAssert.IsErrorAsync(signUp, HttpStatusCode.TooManyRequests, "rate_limited");
    }
}
