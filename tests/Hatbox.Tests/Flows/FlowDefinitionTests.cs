using System.Net;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Flows;

/// <summary>
/// <c>/v1/workspaces/{id}/flows</c> with a signed-in person: saving validates the document against
/// the shipped schema and the semantic checks, each refusal naming the JSON path at fault.
/// </summary>
public sealed class FlowDefinitionTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    const string Valid = """
        { "name": "Welcome", "steps": [
          { "id": "greet", "uses": "script", "with": { "code": "return 'hi ' + input.name;" } },
          { "id": "each", "uses": "foreach", "with": { "items": "${{ input.tags }}", "steps": [
            { "id": "tag", "uses": "script", "with": { "code": "return item;" } } ] } }
        ], "output": { "greeting": "${{ steps.greet.output }}" } }
        """;

    TestServer Server => fixture.Server;

    [Fact]
    public async Task SavingMakesVersionsAndTheFlowCanBeReadListedAndDeleted()
    {
        using var admin = await Person.SignUpAsync(Server);
        var workspace = await CreateWorkspaceAsync(admin);

        using var created = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspace}/flows", Json(Valid));
        var flow = await Person.ReadAsync(created, HttpStatusCode.Created);
        var flowId = flow.GetProperty("flowId").GetString()!;
        Assert.True(Guid.TryParse(flowId, out _));
        Assert.Equal(1, flow.GetProperty("version").GetInt32());

        using var updated = await admin.SendAsync(HttpMethod.Put, $"/v1/workspaces/{workspace}/flows/{flowId}", Json(Valid.Replace("Welcome", "Welcome v2", StringComparison.Ordinal)));
        Assert.Equal(2, (await Person.ReadAsync(updated, HttpStatusCode.OK)).GetProperty("version").GetInt32());

        using var read = await admin.GetAsync($"/v1/workspaces/{workspace}/flows/{flowId}");
        var current = await Person.ReadAsync(read, HttpStatusCode.OK);
        Assert.Equal("Welcome v2", current.GetProperty("document").GetProperty("name").GetString());
        using var list = await admin.GetAsync($"/v1/workspaces/{workspace}/flows");
        Assert.Single((await Person.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        using var deleted = await admin.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{workspace}/flows/{flowId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await admin.GetAsync($"/v1/workspaces/{workspace}/flows/{flowId}");
        await ErrorAssert.IsErrorAsync(gone, HttpStatusCode.NotFound, "flow_not_found");
    }

    [Theory]
    [InlineData("""{ "name": "x", "steps": [ { "id": "a", "uses": "teleport" } ] }""", "/steps/0/uses")]
    [InlineData("""{ "name": "x", "steps": [ { "id": "a", "uses": "script", "with": { "code": "return 1;" } }, { "id": "a", "uses": "script", "with": { "code": "return 2;" } } ] }""", "/steps/1/id")]
    [InlineData("""{ "name": "x", "steps": [ { "id": "a", "uses": "script", "with": { "code": "return steps.ghost.output;" } } ] }""", "/steps/0/with/code")]
    [InlineData("""{ "name": "x", "steps": [ { "id": "a", "uses": "db.insert", "with": { "table": "t", "data": { "n": "${{ steps['nobody'].output }}" } } } ] }""", "/steps/0/with/data/n")]
    [InlineData("""{ "name": "x", "steps": [ { "id": "a", "uses": "db.query", "with": { "query": "SELECT {v}", "params": { "v": "${{ input.( }}" } } } ] }""", "/steps/0/with/params/v")]
    [InlineData("""{ "name": "x", "steps": [ { "id": "a", "uses": "script", "with": { "code": "return {;" } } ] }""", "/steps/0/with/code")]
    [InlineData("""{ "name": "x", "steps": [ { "id": "a", "uses": "http", "with": { "url": "https://x.test/${{ input.a" } } ] }""", "/steps/0/with/url")]
    [InlineData("""{ "name": "x", "steps": [ { "id": "a", "uses": "script" } ] }""", "/steps/0")]
    [InlineData("""{ "name": "x", "steps": [ { "id": "a", "uses": "wait", "with": { "seconds": 1 }, "retry": { "max": 99 } } ] }""", "/steps/0/retry/max")]
    [InlineData("""{ "name": "x", "steps": [ { "id": "a", "uses": "if", "with": { "condition": true, "then": [ { "id": "a", "uses": "wait", "with": { "seconds": 1 } } ] } } ] }""", "/steps/0/with/then/0/id")]
    [InlineData("""{ "name": "x", "steps": [] }""", "/steps")]
    [InlineData("""{ "steps": [ { "id": "a", "uses": "wait", "with": { "seconds": 1 } } ] }""", "/")]
    [InlineData("""{ "name": "x", "extra": 1, "steps": [ { "id": "a", "uses": "wait", "with": { "seconds": 1 } } ] }""", "/extra")]
    public async Task AnInvalidDocumentIsRefusedWithThePathOfTheFault(string document, string path)
    {
        using var admin = await Person.SignUpAsync(Server);
        var workspace = await CreateWorkspaceAsync(admin);

        using var response = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspace}/flows", Json(document));

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "flow_invalid");
        Assert.Equal(path, error.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task AnotherWorkspacesFlowsAreNotFoundAndStrangersCannotSeeTheWorkspace()
    {
        using var owner = await Person.SignUpAsync(Server);
        using var stranger = await Person.SignUpAsync(Server);
        var workspace = await CreateWorkspaceAsync(owner);
        var theirs = await CreateWorkspaceAsync(stranger);
        using var created = await owner.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspace}/flows", Json(Valid));
        var flowId = (await Person.ReadAsync(created, HttpStatusCode.Created)).GetProperty("flowId").GetString()!;

        using var notMember = await stranger.GetAsync($"/v1/workspaces/{workspace}/flows");
        await ErrorAssert.IsErrorAsync(notMember, HttpStatusCode.NotFound, "resource_not_found");
        using var viaOwnWorkspace = await stranger.GetAsync($"/v1/workspaces/{theirs}/flows/{flowId}");
        await ErrorAssert.IsErrorAsync(viaOwnWorkspace, HttpStatusCode.NotFound, "flow_not_found");
        using var update = await stranger.SendAsync(HttpMethod.Put, $"/v1/workspaces/{theirs}/flows/{flowId}", Json(Valid));
        await ErrorAssert.IsErrorAsync(update, HttpStatusCode.NotFound, "flow_not_found");
        using var anonymous = Person.Anonymous(Server);
        using var signedOut = await anonymous.GetAsync($"/v1/workspaces/{workspace}/flows");
        await ErrorAssert.IsErrorAsync(signedOut, HttpStatusCode.Unauthorized, "not_signed_in");
    }

    [Fact]
    public async Task TheSchemaIsServedForEditors()
    {
        using var admin = await Person.SignUpAsync(Server);

        using var response = await admin.GetAsync("/v1/flow-schema");

        var schema = await Person.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal("object", schema.GetProperty("type").GetString());
    }

    static async Task<string> CreateWorkspaceAsync(Person admin)
    {
        var slug = "fl-" + Guid.NewGuid().ToString("N")[..10];
        using var created = await admin.SendAsync(HttpMethod.Post, "/v1/workspaces", new { name = "Flows", slug, organizationName = "Flows Inc" });
        return (await Person.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    static StringContent Json(string document) => new(document, System.Text.Encoding.UTF8, "application/json");
}
