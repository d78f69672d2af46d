using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>A server with low per-account caps, so that a test reaches them in a few calls.</summary>
public sealed class LowCapsServer : IAsyncLifetime
{
    public const int CreationsPerDay = 3;
    public const int InvitationsPerHour = 4;

    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync(new()
    {
        ["Workspaces:MaxCreationsPerDay"] = CreationsPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Workspaces:MaxInvitationsPerHour"] = InvitationsPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>Each new workspace is a new organization with its own free quota, and each invitation an e-mail: both are capped per account.</summary>
public sealed class AccountCapsTests(LowCapsServer fixture) : IClassFixture<LowCapsServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task AnAccountPastItsDailyWorkspaceCreationsGets429WithRetryAfter()
    {
        using var person = await Person.SignUpAsync(_server);
        for (var i = 0; i < LowCapsServer.CreationsPerDay; i++)
        {
            await person.CreateWorkspaceAsync();
        }

        using var refused = await person.SendAsync(HttpMethod.Post, "/v1/workspaces", new { slug = PortalSteps.NewSlug() });

        await ErrorAssert.IsErrorAsync(refused, HttpStatusCode.TooManyRequests, ErrorCodes.WorkspaceCreationLimit, "rate_limit_error");
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 24 * 3600);
        using var list = await person.GetAsync("/v1/workspaces");
        Assert.Equal(LowCapsServer.CreationsPerDay, (await Person.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task OneAccountsCapDoesNotStopAnother()
    {
        using var first = await Person.SignUpAsync(_server);
        for (var i = 0; i < LowCapsServer.CreationsPerDay; i++)
        {
            await first.CreateWorkspaceAsync();
        }
        using var second = await Person.SignUpAsync(_server);

        await second.CreateWorkspaceAsync();
    }

    [Fact]
    public async Task AnAccountPastItsHourlyInvitationsGets429AndNoInvitationIsStored()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var other = await admin.CreateWorkspaceAsync();
        for (var i = 0; i < LowCapsServer.InvitationsPerHour; i++)
        {
            // Spread over two workspaces: the cap is the account's, not one workspace's.
            using var sent = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{(i % 2 == 0 ? workspaceId : other)}/invitations",
                new { email = Person.NewEmail(), role = "member" });
            await Person.ReadAsync(sent, HttpStatusCode.Created);
        }

        using var refused = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/invitations",
            new { email = Person.NewEmail(), role = "member" });

        await ErrorAssert.IsErrorAsync(refused, HttpStatusCode.TooManyRequests, ErrorCodes.InvitationLimit, "rate_limit_error");
        Assert.True(refused.Headers.Contains("Retry-After"));
        using var list = await admin.GetAsync($"/v1/workspaces/{workspaceId}/invitations");
        Assert.Equal(LowCapsServer.InvitationsPerHour / 2, (await Person.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task TheCapsAreValidatedAtStart()
    {
        await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestServer.StartAsync(new() { ["Workspaces:MaxInvitationsPerHour"] = "0" }));
    }
}

/// <summary>An operator who allows one free organization per person.</summary>
public sealed class OneFreeOrganizationServer : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync(new() { ["Workspaces:MaxFreeOrganizationsPerAccount"] = "1" });

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

public sealed class FreeOrganizationCapTests(OneFreeOrganizationServer fixture) : IClassFixture<OneFreeOrganizationServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task ASecondFreeOrganizationIsRefusedUntilTheFirstIsOnAPaidPlan()
    {
        using var person = await Person.SignUpAsync(_server);
        var workspaceId = await person.CreateWorkspaceAsync();

        using (var refused = await person.SendAsync(HttpMethod.Post, "/v1/workspaces", new { slug = PortalSteps.NewSlug() }))
        {
            await ErrorAssert.IsErrorAsync(refused, HttpStatusCode.TooManyRequests, ErrorCodes.WorkspaceCreationLimit);
        }
        using var workspace = await person.GetAsync($"/v1/workspaces/{workspaceId}");
        var organizationId = (await Person.ReadAsync(workspace, HttpStatusCode.OK)).GetProperty("organizationId").GetString();
        using (var upgraded = await person.SendAsync(HttpMethod.Put, $"/v1/organizations/{organizationId}/plan", new { plan = "pro" }))
        {
            await Person.ReadAsync(upgraded, HttpStatusCode.OK);
        }

        await person.CreateWorkspaceAsync();
    }
}
