using Hatbox.Common;
using Hatbox.Features.Accounts;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Workspaces;

namespace Hatbox.Tests.Infrastructure;

/// <summary>
/// A fresh user, organization, workspace and key made through the real services, as
/// <c>hatbox admin bootstrap</c> does. Each test makes its own, so tests never share data.
/// </summary>
public sealed record TestTenant(string UserId, string OrganizationId, string WorkspaceId, string Slug, string ApiKey, string KeyId)
{
    public static async Task<TestTenant> CreateAsync(TestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var ct = TestContext.Current.CancellationToken;
        var slug = "ws-" + Ids.New("t")[2..14].ToLowerInvariant();
        var user = await services.GetRequiredService<AccountService>().SignUpAsync($"{slug}@example.test", "a long test password", null, ct, emailVouchedFor: true);
        var workspace = await services.GetRequiredService<WorkspaceService>()
            .CreateAsync(user.Value!.Id, new CreateWorkspaceRequest(null, slug, "Org " + slug, null), ct);
        var key = await services.GetRequiredService<ApiKeyService>()
            .CreateAsync(workspace.Value!.Id, user.Value.Id, Actor.Cli, new CreateApiKeyRequest("test", null), ct);
        return new TestTenant(user.Value.Id, workspace.Value.OrganizationId, workspace.Value.Id, slug, key.Value!.ApiKey, key.Value.KeyId);
    }

    public async Task<(string ApiKey, string KeyId)> CreateKeyAsync(TestServer server, DateTimeOffset? expiresAt = null)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .CreateAsync(WorkspaceId, UserId, Actor.Cli, new CreateApiKeyRequest("extra", expiresAt), TestContext.Current.CancellationToken);
        return (key.Value!.ApiKey, key.Value.KeyId);
    }

    /// <summary><c>POST /authentication</c> with <paramref name="key"/> (this tenant's own key by default).</summary>
    public Task<HttpResponseMessage> AuthenticateAsync(HttpClient client, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/authentication");
        request.Headers.Authorization = new("Bearer", key ?? ApiKey);
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task RevokeAsync(TestServer server, string keyId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var revoked = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .RevokeAsync(WorkspaceId, keyId, Actor.Cli, TestContext.Current.CancellationToken);
        Assert.True(revoked.Succeeded);
    }
}
