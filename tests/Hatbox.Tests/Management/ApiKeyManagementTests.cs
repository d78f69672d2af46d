using System.Diagnostics;
using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>The API Tokens screen through <c>/v1</c>, and keys that follow their creator's current rights.</summary>
public sealed class ApiKeyManagementTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task CreatingAKeyShowsTheSecretOnceAndListsOnlyItsHint()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        using var created = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys", new { name = "ci" });
        var key = await Person.ReadAsync(created, HttpStatusCode.Created);
        var keyId = key.GetProperty("keyId").GetString()!;

        Assert.StartsWith("wh_", key.GetProperty("apiKey").GetString(), StringComparison.Ordinal);
        Assert.True(created.Headers.CacheControl?.NoStore);
        using var list = await admin.GetAsync($"/v1/workspaces/{workspaceId}/keys");
        var listed = Assert.Single((await Person.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(keyId, listed.GetProperty("id").GetString());
        Assert.Equal(admin.UserId, listed.GetProperty("createdBy").GetString());
        Assert.False(listed.TryGetProperty("apiKey", out _));
        using var single = await admin.GetAsync($"/v1/workspaces/{workspaceId}/keys/{keyId}");
        Assert.False((await Person.ReadAsync(single, HttpStatusCode.OK)).TryGetProperty("apiKey", out _));
        using var check = await AuthenticateAsync(key.GetProperty("apiKey").GetString()!);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
    }

    [Fact]
    public async Task AKeyCanBeCreatedFromAFormBodyWithAnExpiry()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "form key", ["expiresAt"] = "2099-01-01T00:00:00Z" });

        using var response = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys", form);

        var key = await Person.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal("form key", key.GetProperty("name").GetString());
        Assert.Equal(2099, key.GetProperty("expiresAt").GetDateTimeOffset().Year);
    }

    [Fact]
    public async Task AnUnknownKeyIsNotFound()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        using var response = await admin.GetAsync($"/v1/workspaces/{workspaceId}/keys/key_unknown");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task ADeveloperWithoutApiAccessCannotSeeOrMakeKeys()
    {
        using var admin = await Person.SignUpAsync(_server);
        using var developer = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        await admin.AddMemberAsync(workspaceId, developer, "developer", apiAccess: false);

        using var list = await developer.GetAsync($"/v1/workspaces/{workspaceId}/keys");
        using var create = await developer.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys", new { name = "nope" });

        await ErrorAssert.IsErrorAsync(list, HttpStatusCode.Forbidden, ErrorCodes.ApiAccessDisabled, ErrorTypes.Permission);
        await ErrorAssert.IsErrorAsync(create, HttpStatusCode.Forbidden, ErrorCodes.ApiAccessDisabled, ErrorTypes.Permission);
    }

    [Fact]
    public async Task ADeveloperRevokesTheirOwnKeyAndItStopsAtOnce()
    {
        using var admin = await Person.SignUpAsync(_server);
        using var developer = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        await admin.AddMemberAsync(workspaceId, developer, "developer", apiAccess: true);
        var key = await developer.CreateKeyAsync(workspaceId);
        var keyId = key.GetProperty("keyId").GetString();

        using var revoked = await developer.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys/{keyId}/revocations");

        Assert.NotNull((await Person.ReadAsync(revoked, HttpStatusCode.OK)).GetProperty("revokedAt").GetString());
        using var check = await AuthenticateAsync(key.GetProperty("apiKey").GetString()!);
        await ErrorAssert.IsErrorAsync(check, HttpStatusCode.Unauthorized, ErrorCodes.ApiKeyRevoked);
    }

    [Fact]
    public async Task DemotingTheCreatorStopsTheirKeyWithinOneSecondAndRemovingThemMakesItInvalid()
    {
        using var admin = await Person.SignUpAsync(_server);
        using var developer = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        await admin.AddMemberAsync(workspaceId, developer, "developer", apiAccess: true);
        var apiKey = (await developer.CreateKeyAsync(workspaceId)).GetProperty("apiKey").GetString()!;
        using (var warm = await AuthenticateAsync(apiKey))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await admin.UpdateMemberAsync(workspaceId, developer.UserId, new { role = "member" });
        var demotedAt = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await AuthenticateAsync(apiKey);
            status = response.StatusCode;
            if (status == HttpStatusCode.Forbidden)
            {
                await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.ApiAccessDisabled);
                break;
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        while (demotedAt.Elapsed < TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.True(demotedAt.Elapsed < TimeSpan.FromSeconds(1), $"took {demotedAt.Elapsed}");

        using (var removed = await admin.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{workspaceId}/members/{developer.UserId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        using var afterRemoval = await AuthenticateAsync(apiKey);
        await ErrorAssert.IsErrorAsync(afterRemoval, HttpStatusCode.Unauthorized, ErrorCodes.InvalidApiKey);
    }

    async Task<HttpResponseMessage> AuthenticateAsync(string apiKey)
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication");
        request.Headers.Authorization = new("Bearer", apiKey);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
