using System.Net;
using System.Text;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>The <c>/v1</c> keys API against bad names, expiries and types, another workspace's key ids, and its key limit.</summary>
public sealed class ApiKeyHostileInputTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    readonly TestServer _server = fixture.Server;

    public static readonly TheoryData<string, string> BadFields = new()
    {
        { "name", new string('k', 101) },
        { "name", "ci\u0007" },
        { "name", "ci\r\nBcc: victim@example.test" },
        { "name", "key\u202Egnp.exe" },
        { "expiresAt", "2000-01-01T00:00:00Z" },
        { "expiresAt", "tomorrow" },
        { "expiresAt", "2099-13-45T99:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task ABadFieldIsRefusedAndMakesNoKey(string field, string value)
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var body = new Dictionary<string, string> { ["name"] = "ci", [field] = value };

        using var response = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys", body);

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal(field, error.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, await CountKeysAsync(admin, workspaceId));
    }

    [Fact]
    public async Task AnExpiryOfRightNowIsInThePastByTheTimeItArrives()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        using var response = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys",
            new { name = "ci", expiresAt = DateTimeOffset.UtcNow });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
    }

    public static readonly TheoryData<string, string> BadTypes = new()
    {
        { """{"name":{"$ne":null}}""", "name" },
        { """{"name":["a","b"]}""", "name" },
        { """{"name":"ci","expiresAt":12345}""", "expiresAt" },
        { """{"name":"ci","expiresAt":true}""", "expiresAt" },
    };

    [Theory]
    [MemberData(nameof(BadTypes))]
    public async Task AValueOfTheWrongTypeIsRefusedByName(string json, string param)
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys", content);

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal(param, error.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, await CountKeysAsync(admin, workspaceId));
    }

    [Fact]
    public async Task ABrokenJsonBodyIsInvalidJson()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        using var content = new StringContent("""{"name":"ci",""", Encoding.UTF8, "application/json");

        using var response = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys", content);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidJson);
        Assert.Equal(0, await CountKeysAsync(admin, workspaceId));
    }

    [Fact]
    public async Task AnotherWorkspacesKeyIdIsNotFoundThroughMineAndStaysUsable()
    {
        using var victim = await Person.SignUpAsync(_server);
        var victimWorkspace = await victim.CreateWorkspaceAsync();
        var victimKey = await victim.CreateKeyAsync(victimWorkspace);
        var victimKeyId = victimKey.GetProperty("keyId").GetString();
        using var attacker = await Person.SignUpAsync(_server);
        var attackerWorkspace = await attacker.CreateWorkspaceAsync();

        using var read = await attacker.GetAsync($"/v1/workspaces/{attackerWorkspace}/keys/{victimKeyId}");
        using var revoke = await attacker.SendAsync(HttpMethod.Post, $"/v1/workspaces/{attackerWorkspace}/keys/{victimKeyId}/revocations");
        using var readDirect = await attacker.GetAsync($"/v1/workspaces/{victimWorkspace}/keys/{victimKeyId}");
        using var revokeDirect = await attacker.SendAsync(HttpMethod.Post, $"/v1/workspaces/{victimWorkspace}/keys/{victimKeyId}/revocations");
        using var list = await attacker.GetAsync($"/v1/workspaces/{victimWorkspace}/keys");

        await ErrorAssert.IsErrorAsync(read, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await ErrorAssert.IsErrorAsync(revoke, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await ErrorAssert.IsErrorAsync(readDirect, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await ErrorAssert.IsErrorAsync(revokeDirect, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await ErrorAssert.IsErrorAsync(list, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        using var check = await AuthenticateAsync(_server, victimKey.GetProperty("apiKey").GetString()!);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
    }

    [Fact]
    public async Task ARevokedKeyStaysRevokedWhenRevokedAgain()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var key = await admin.CreateKeyAsync(workspaceId);
        var path = $"/v1/workspaces/{workspaceId}/keys/{key.GetProperty("keyId").GetString()}/revocations";
        using var first = await admin.SendAsync(HttpMethod.Post, path);
        var revokedAt = (await Person.ReadAsync(first, HttpStatusCode.OK)).GetProperty("revokedAt").GetDateTimeOffset();

        using var second = await admin.SendAsync(HttpMethod.Post, path);

        Assert.Equal(revokedAt, (await Person.ReadAsync(second, HttpStatusCode.OK)).GetProperty("revokedAt").GetDateTimeOffset());
        using var check = await AuthenticateAsync(_server, key.GetProperty("apiKey").GetString()!);
        await ErrorAssert.IsErrorAsync(check, HttpStatusCode.Unauthorized, ErrorCodes.ApiKeyRevoked);
    }

    [Fact]
    public async Task TheKeyAfterTheLimitIsRefusedUntilOneIsRevokedAndOtherWorkspacesAreUnaffected()
    {
        await using var server = await TestServer.StartAsync(new() { ["ApiKeys:MaxPerWorkspace"] = "3" });
        using var admin = await Person.SignUpAsync(server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var keys = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            keys.Add((await admin.CreateKeyAsync(workspaceId, $"key {i}")).GetProperty("keyId").GetString()!);
        }

        using var refused = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys", new { name = "one too many" });

        await ErrorAssert.IsErrorAsync(refused, HttpStatusCode.Conflict, ErrorCodes.ApiKeyLimitReached, ErrorTypes.InvalidRequest);
        Assert.Equal(3, await CountKeysAsync(admin, workspaceId));
        var otherWorkspace = await admin.CreateWorkspaceAsync();
        await admin.CreateKeyAsync(otherWorkspace);
        using (var revoked = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys/{keys[0]}/revocations"))
        {
            await Person.ReadAsync(revoked, HttpStatusCode.OK);
        }
        await admin.CreateKeyAsync(workspaceId, "in the freed place");
        using var refusedAgain = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys", new { name = "over again" });
        await ErrorAssert.IsErrorAsync(refusedAgain, HttpStatusCode.Conflict, ErrorCodes.ApiKeyLimitReached);
    }

    static async Task<int> CountKeysAsync(Person admin, string workspaceId)
    {
        using var list = await admin.GetAsync($"/v1/workspaces/{workspaceId}/keys");
        return (await Person.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").GetArrayLength();
    }

    static async Task<HttpResponseMessage> AuthenticateAsync(TestServer server, string apiKey)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication");
        request.Headers.Authorization = new("Bearer", apiKey);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
