using System.Net;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Organizations;
using Hatbox.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Management;

/// <summary>A server with an operator-only <c>staff</c> plan beside the built-in self-service <c>free</c> and <c>pro</c>.</summary>
public sealed class StaffPlanServer : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync(new()
    {
        ["Plans:staff:RequestsPerMinute"] = "10000",
        ["Plans:staff:RequestsPerMonth"] = "100000000",
        ["Plans:staff:StorageBytes"] = "1000000000000",
        // A partner tier the operator marked self-service.
        ["Plans:partner:RequestsPerMinute"] = "100",
        ["Plans:partner:SelfService"] = "true",
    });

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>Plans a tenant may pick (self-service) against plans only the operator gives, and the billing record of each change.</summary>
public sealed class PlanChangeTests(StaffPlanServer fixture) : IClassFixture<StaffPlanServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task AnAdminCannotMoveTheirOrganizationToAnOperatorOnlyPlan()
    {
        var (admin, organizationId) = await NewOrganizationAsync();

        using var response = await admin.SendAsync(HttpMethod.Put, $"/v1/organizations/{organizationId}/plan", new { plan = "staff" });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.PlanNotSelfService, "permission_error");
        Assert.Equal("free", await PlanOfAsync(organizationId));
        Assert.Empty(await ChangesOfAsync(organizationId));
    }

    [Theory]
    [InlineData("STAFF")]
    [InlineData(" staff ")]
    public async Task AnOperatorOnlyPlanIsRefusedWhateverItsSpelling(string plan)
    {
        var (admin, organizationId) = await NewOrganizationAsync();

        using var response = await admin.SendAsync(HttpMethod.Put, $"/v1/organizations/{organizationId}/plan", new { plan });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.PlanNotSelfService);
        Assert.Equal("free", await PlanOfAsync(organizationId));
    }

    [Fact]
    public async Task AnAdminMayPickASelfServicePlanAndTheMoveToAPaidPlanIsRecordedForBilling()
    {
        var (admin, organizationId) = await NewOrganizationAsync();

        using var response = await admin.SendAsync(HttpMethod.Put, $"/v1/organizations/{organizationId}/plan", new { plan = "pro" });

        Assert.Equal("pro", (await Person.ReadAsync(response, HttpStatusCode.OK)).GetProperty("plan").GetString());
        var change = Assert.Single(await ChangesOfAsync(organizationId));
        Assert.Equal(("free", "pro", true, admin.UserId), (change.FromPlan, change.ToPlan, change.ToPaidPlan, change.ChangedByUserId));
    }

    [Fact]
    public async Task APlanTheOperatorMarkedSelfServiceCanBePicked()
    {
        var (admin, organizationId) = await NewOrganizationAsync();

        using var response = await admin.SendAsync(HttpMethod.Put, $"/v1/organizations/{organizationId}/plan", new { plan = "partner" });

        Assert.Equal("partner", (await Person.ReadAsync(response, HttpStatusCode.OK)).GetProperty("plan").GetString());
        Assert.False(Assert.Single(await ChangesOfAsync(organizationId)).ToPaidPlan);
    }

    [Fact]
    public async Task TheOperatorMayGiveAnyPlanAndTheChangeNamesNoUser()
    {
        var (_, organizationId) = await NewOrganizationAsync();
        await using var scope = _server.Services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<OrganizationService>()
            .SetPlanAsync(organizationId, "staff", Actor.Cli, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal("staff", await PlanOfAsync(organizationId));
        var change = Assert.Single(await ChangesOfAsync(organizationId));
        Assert.Null(change.ChangedByUserId);
    }

    [Fact]
    public async Task SettingTheSamePlanAgainRecordsNothing()
    {
        var (admin, organizationId) = await NewOrganizationAsync();

        using var response = await admin.SendAsync(HttpMethod.Put, $"/v1/organizations/{organizationId}/plan", new { plan = "free" });

        await Person.ReadAsync(response, HttpStatusCode.OK);
        Assert.Empty(await ChangesOfAsync(organizationId));
    }

    public static readonly TheoryData<string> HostilePlanBodies = new()
    {
        """{"plan":"enterprise"}""",
        """{"plan":""}""",
        """{}""",
        """{"plan":null}""",
        """{"plan":"free\u0000"}""",
        """{"plan":"' OR 1=1 --"}""",
        "{\"plan\":\"" + new string('p', 10_000) + "\"}",
    };

    [Theory]
    [MemberData(nameof(HostilePlanBodies))]
    public async Task AnUnknownOrMissingPlanIsRefusedAndChangesNothing(string json)
    {
        var (admin, organizationId) = await NewOrganizationAsync();

        using var response = await admin.SendAsync(HttpMethod.Put, $"/v1/organizations/{organizationId}/plan",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal("plan", error.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("free", await PlanOfAsync(organizationId));
    }

    [Fact]
    public async Task APlanAsANumberIsAnInvalidBody()
    {
        var (admin, organizationId) = await NewOrganizationAsync();

        using var response = await admin.SendAsync(HttpMethod.Put, $"/v1/organizations/{organizationId}/plan",
            new StringContent("""{"plan":42}""", System.Text.Encoding.UTF8, "application/json"));

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal("free", await PlanOfAsync(organizationId));
    }

    [Theory]
    [InlineData("org_doesnotexist")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("%27%20OR%201%3D1")]
    public async Task AnUnknownOrganizationIdIsNotFound(string organizationId)
    {
        var (admin, _) = await NewOrganizationAsync();

        using var read = await admin.GetAsync($"/v1/organizations/{organizationId}");
        using var write = await admin.SendAsync(HttpMethod.Put, $"/v1/organizations/{organizationId}/plan", new { plan = "pro" });

        await ErrorAssert.IsErrorAsync(read, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await ErrorAssert.IsErrorAsync(write, HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    async Task<(Person Admin, string OrganizationId)> NewOrganizationAsync()
    {
        var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        using var response = await admin.GetAsync($"/v1/workspaces/{workspaceId}");
        return (admin, (await Person.ReadAsync(response, HttpStatusCode.OK)).GetProperty("organizationId").GetString()!);
    }

    async Task<string> PlanOfAsync(string organizationId)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HatboxDbContext>().Organizations
            .Where(o => o.Id == organizationId).Select(o => o.Plan).SingleAsync(TestContext.Current.CancellationToken);
    }

    async Task<List<Hatbox.Features.Plans.PlanChange>> ChangesOfAsync(string organizationId)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HatboxDbContext>().PlanChanges.AsNoTracking()
            .Where(c => c.OrganizationId == organizationId).ToListAsync(TestContext.Current.CancellationToken);
    }
}
