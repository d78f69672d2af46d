using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Features.Usage;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Usage;

/// <summary>Usage and statements through <c>/v1</c>: for the organization's admins only.</summary>
public sealed class UsageManagementTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task AdminsReadUsageAndStatementsOthersDoNot()
    {
        using var admin = await Person.SignUpAsync(_server);
        using var developer = await Person.SignUpAsync(_server);
        using var stranger = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        await admin.AddMemberAsync(workspaceId, developer, "developer", apiAccess: true);
        using var workspace = await admin.GetAsync($"/v1/workspaces/{workspaceId}");
        var organizationId = (await Person.ReadAsync(workspace, HttpStatusCode.OK)).GetProperty("organizationId").GetString();
        var month = BillingMonth.Of(DateTimeOffset.UtcNow);

        using var usage = await admin.GetAsync($"/v1/organizations/{organizationId}/usage?month={month}");
        using var statement = await admin.GetAsync($"/v1/organizations/{organizationId}/billing/statements/{month}");
        using var badMonth = await admin.GetAsync($"/v1/organizations/{organizationId}/billing/statements/2026-13");
        using var byDeveloper = await developer.GetAsync($"/v1/organizations/{organizationId}/usage");
        using var byStranger = await stranger.GetAsync($"/v1/organizations/{organizationId}/usage");

        Assert.Equal(0, (await Person.ReadAsync(usage, HttpStatusCode.OK)).GetProperty("requests").GetInt64());
        var bill = await Person.ReadAsync(statement, HttpStatusCode.OK);
        Assert.Equal("free", bill.GetProperty("plan").GetString());
        Assert.Equal(10_000, bill.GetProperty("included").GetInt64());
        await ErrorAssert.IsErrorAsync(badMonth, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        await ErrorAssert.IsErrorAsync(byDeveloper, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await ErrorAssert.IsErrorAsync(byStranger, HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}
