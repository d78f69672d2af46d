using Hatbox.Common;
using Hatbox.Features.Accounts;
using Hatbox.Features.Workspaces;

namespace Hatbox.PortalTests.Infrastructure;

/// <summary>
/// Sets up people and workspaces through the same services the portal and <c>/v1</c> use, for
/// tests whose subject is a later page. Every test makes its own, with unique names.
/// </summary>
public static class Seed
{
    public const string Password = "correct horse battery staple";

    public static string UniqueSlug(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    public static string UniqueEmail(string name) => $"{name}-{Guid.NewGuid():N}@example.com";

    /// <summary>A new user with a new workspace of their own, in which they are admin with API access.</summary>
    internal static async Task<(User Owner, WorkspaceResponse Workspace)> OwnerAndWorkspaceAsync(TestServer server, string name = "owner")
    {
        var owner = await UserAsync(server, UniqueEmail(name));
        return (owner, await WorkspaceAsync(server, owner, UniqueSlug("team")));
    }

    /// <summary>A user whose address counts as verified, as the operator's <c>hatbox admin bootstrap</c> makes them.</summary>
    internal static async Task<User> UserAsync(TestServer server, string email)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .SignUpAsync(email, Password, name: null, TestContext.Current.CancellationToken, emailVouchedFor: true);
        return user.Value ?? throw new InvalidOperationException(user.Error!.Message);
    }

    internal static async Task<WorkspaceResponse> WorkspaceAsync(TestServer server, User owner, string slug)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var workspace = await scope.ServiceProvider.GetRequiredService<WorkspaceService>()
            .CreateAsync(owner.Id, new CreateWorkspaceRequest(slug, slug, null, null), TestContext.Current.CancellationToken);
        return workspace.Value ?? throw new InvalidOperationException(workspace.Error!.Message);
    }

    /// <summary>Adds <paramref name="person"/> with a role and API access, as the owner would on the Members page.</summary>
    internal static async Task MemberAsync(TestServer server, WorkspaceResponse workspace, User owner, User person, string role, bool apiAccess)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = server.Services.CreateAsyncScope();
        var actor = new Actor(owner.Id);
        var invited = await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync(workspace.Id, person.Email, role, actor, ct);
        Assert.True(invited.Succeeded);
        var updated = await scope.ServiceProvider.GetRequiredService<MemberService>()
            .UpdateAsync(workspace.Id, person.Id, new UpdateMemberRequest(null, apiAccess), actor, ct);
        Assert.True(updated.Succeeded);
    }
}
