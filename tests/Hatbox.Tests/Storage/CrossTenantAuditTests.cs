using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Audit;
using Hatbox.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Storage;

/// <summary>A key of one workspace aiming at another's file: 404 to the caller, an audit event for the owner, never a flood.</summary>
public sealed class CrossTenantAuditTests(UploadServer fixture) : IClassFixture<UploadServer>, IDisposable
{
    readonly TestServer _server = fixture.Server;
    readonly HttpClient _http = fixture.Server.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task FetchingOrDeletingAnotherWorkspacesFileIsNotFoundAndAuditedForItsOwner()
    {
        var owner = await TestTenant.CreateAsync(_server);
        var prober = await TestTenant.CreateAsync(_server);
        var fileId = (await new StorageCalls(_http, owner.ApiKey).UploadOkAsync([1, 2, 3], "secret.txt")).GetProperty("id").GetString()!;
        var probe = new StorageCalls(_http, prober.ApiKey);

        using var fetched = await probe.FetchAsync(fileId);
        using var deleted = await probe.DeleteAsync(fileId);

        await ErrorAssert.IsErrorAsync(fetched, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
        await ErrorAssert.IsErrorAsync(deleted, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
        var denials = await DenialsAsync(owner.WorkspaceId);
        Assert.Equal(2, denials.Count);
        Assert.All(denials, d =>
        {
            Assert.Equal(fileId, d.TargetId);
            Assert.Equal(prober.UserId, d.ActorUserId);
            Assert.Contains(prober.KeyId, d.Detail, StringComparison.Ordinal);
        });
        Assert.Empty(await DenialsAsync(prober.WorkspaceId));
        using var stillThere = await new StorageCalls(_http, owner.ApiKey).FetchAsync(fileId);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task AnIdThatExistsNowhereIsNotAudited()
    {
        var tenant = await TestTenant.CreateAsync(_server);

        using var fetched = await new StorageCalls(_http, tenant.ApiKey).FetchAsync("file_doesnotexist");

        await ErrorAssert.IsErrorAsync(fetched, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
        Assert.Empty(await DenialsAsync(tenant.WorkspaceId));
    }

    [Fact]
    public async Task AFloodOfProbesWritesAtMostTheLimitPerMinute()
    {
        var owner = await TestTenant.CreateAsync(_server);
        var prober = await TestTenant.CreateAsync(_server);
        var fileId = (await new StorageCalls(_http, owner.ApiKey).UploadOkAsync([1], "a.txt")).GetProperty("id").GetString()!;
        var probe = new StorageCalls(_http, prober.ApiKey);

        for (var i = 0; i < CrossTenantDenials.PerWorkspacePerMinute * 3; i++)
        {
            using var response = await probe.FetchAsync(fileId);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // A fixed window may turn over once during the loop, so up to two windows' worth, never all 30.
        Assert.InRange((await DenialsAsync(owner.WorkspaceId)).Count, CrossTenantDenials.PerWorkspacePerMinute, 2 * CrossTenantDenials.PerWorkspacePerMinute);
    }

    async Task<List<AuditEvent>> DenialsAsync(string workspaceId)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HatboxDbContext>().AuditEvents.AsNoTracking()
            .Where(e => e.WorkspaceId == workspaceId && e.Action == AuditActions.CrossTenantDenied).ToListAsync(TestContext.Current.CancellationToken);
    }
}
