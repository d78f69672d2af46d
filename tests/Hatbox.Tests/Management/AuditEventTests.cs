using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary><c>GET /v1/workspaces/{id}/audit-events</c>: who did what, newest first, in pages.</summary>
public sealed class AuditEventTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task KeyCreationRevocationAndRoleChangesAreListedWithTheirActor()
    {
        using var admin = await Person.SignUpAsync(_server);
        using var developer = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        await admin.AddMemberAsync(workspaceId, developer, "developer", apiAccess: true);
        var keyId = (await developer.CreateKeyAsync(workspaceId)).GetProperty("keyId").GetString()!;
        using (var revoked = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys/{keyId}/revocations"))
        {
            await Person.ReadAsync(revoked, HttpStatusCode.OK);
        }
        await admin.UpdateMemberAsync(workspaceId, developer.UserId, new { role = "leader" });

        using var response = await admin.GetAsync($"/v1/workspaces/{workspaceId}/audit-events");
        var page = await Person.ReadAsync(response, HttpStatusCode.OK);
        var events = page.GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        AssertEvent(events, "api_key.created", actor: developer.UserId, target: keyId);
        AssertEvent(events, "api_key.revoked", actor: admin.UserId, target: keyId);
        AssertEvent(events, "member.role_changed", actor: admin.UserId, target: developer.UserId);
        AssertEvent(events, "member.api_access_changed", actor: admin.UserId, target: developer.UserId);
        AssertEvent(events, "invitation.sent", actor: admin.UserId, target: null);
        Assert.Equal("member.role_changed", events[0].GetProperty("action").GetString());
        var times = events.Select(e => e.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task PagesFollowTheCursorWithoutGapsOrRepeats()
    {
        using var admin = await Person.SignUpAsync(_server);
        using var member = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        await admin.AddMemberAsync(workspaceId, member, "developer", apiAccess: false);
        for (var i = 0; i < 3; i++)
        {
            await admin.UpdateMemberAsync(workspaceId, member.UserId, new { apiAccess = i % 2 == 0 });
        }
        using var all = await admin.GetAsync($"/v1/workspaces/{workspaceId}/audit-events");
        var expected = (await Person.ReadAsync(all, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Select(e => e.GetProperty("id").GetString()).ToList();

        var seen = new List<string?>();
        string? cursor = null;
        do
        {
            var query = cursor is null ? "?limit=2" : $"?limit=2&cursor={cursor}";
            using var response = await admin.GetAsync($"/v1/workspaces/{workspaceId}/audit-events{query}");
            var page = await Person.ReadAsync(response, HttpStatusCode.OK);
            Assert.InRange(page.GetProperty("items").GetArrayLength(), 1, 2);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(5, expected.Count);
        Assert.Equal(expected, seen);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?cursor=evt_unknown", "cursor")]
    public async Task ABadLimitOrCursorIsRefused(string query, string param)
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        using var response = await admin.GetAsync($"/v1/workspaces/{workspaceId}/audit-events{query}");

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal(param, error.GetProperty("error").GetProperty("param").GetString());
    }

    static void AssertEvent(List<JsonElement> events, string action, string actor, string? target)
    {
        var match = events.FirstOrDefault(e => e.GetProperty("action").GetString() == action);
        Assert.True(match.ValueKind == JsonValueKind.Object, $"no {action} event");
        Assert.Equal(actor, match.GetProperty("actorUserId").GetString());
        if (target is not null)
        {
            Assert.Equal(target, match.GetProperty("targetId").GetString());
        }
    }
}
