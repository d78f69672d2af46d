using Hatbox.Common;
using Hatbox.Data;
using Hatbox.Features.Accounts;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Workspaces;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>
/// A workspace whose owner (an admin with API access) has one key, made through the services. The
/// owner never signs in, so it is stored without a password hash: PBKDF2 at 210,000 rounds is the
/// slow part of these tests, and a matrix row should pay it once, for the person who acts.
/// </summary>
internal sealed record MatrixWorkspace(string Id, string OrganizationId, string OwnerId, string OwnerKeyId)
{
    public static async Task<MatrixWorkspace> CreateAsync(TestServer server)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = server.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<HatboxDbContext>();
        var owner = new User { Id = Ids.New("usr"), Email = Person.NewEmail(), Name = "Owner", PasswordHash = "", CreatedAt = DateTimeOffset.UtcNow };
        db.Users.Add(owner);
        await db.SaveChangesAsync(ct);
        var workspace = await services.GetRequiredService<WorkspaceService>()
            .CreateAsync(owner.Id, new CreateWorkspaceRequest("Matrix", PortalSteps.NewSlug(), "Matrix org", null), ct);
        var key = await services.GetRequiredService<ApiKeyService>()
            .CreateAsync(workspace.Value!.Id, owner.Id, new Actor(owner.Id), new CreateApiKeyRequest("owner key", null), ct);
        // One allowed domain, so that removing it is a success for those who may.
        var domain = await services.GetRequiredService<Hatbox.Features.Domains.DomainService>()
            .AddAsync(workspace.Value.Id, MatrixDomain, new Actor(owner.Id), ct);
        Assert.True(domain.Succeeded);
        return new MatrixWorkspace(workspace.Value.Id, workspace.Value.OrganizationId, owner.Id, key.Value!.KeyId);
    }

    public const string MatrixDomain = "https://app.matrix.test";

    /// <summary>Makes <paramref name="person"/> a member with this role, as the owner would by invitation.</summary>
    public async Task AddAsync(TestServer server, Person person, WorkspaceRole role, bool apiAccess)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = server.Services.CreateAsyncScope();
        var owner = new Actor(OwnerId);
        var invited = await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync(Id, person.Email, Roles.Name(role), owner, ct);
        Assert.True(invited.Succeeded);
        var updated = await scope.ServiceProvider.GetRequiredService<MemberService>()
            .UpdateAsync(Id, person.UserId, new UpdateMemberRequest(null, apiAccess), owner, ct);
        Assert.True(updated.Succeeded);
    }
}
