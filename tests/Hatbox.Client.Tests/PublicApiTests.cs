using System.Net;
using System.Text;
using System.Text.Json;
using Hatbox.Common;
using Hatbox.Features.Flows;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Client.Tests;

/// <summary>The npm SDK's end-to-end cases (tests/sdk/*.test.mjs), through Hatbox.Client against a real server over TLS.</summary>
public sealed class PublicApiTests : ClientServer
{
    static readonly int[] FirstId = [1];

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServerInfoAndHealthAnswerWithoutAKey()
    {
        var client = ClientFor(apiKey: null);

        var info = await client.GetServerInfoAsync(cancellationToken: Ct);
        var health = await client.CheckHealthAsync(cancellationToken: Ct);

        Assert.True(info.Success);
        Assert.Equal("2025-10-28", info.Version);
        Assert.Equal("ok", health.Status);
        Assert.Equal("ok", health.Services.GetProperty("database").GetString());
    }

    [Fact]
    public async Task AKeyAuthenticatesAndARevokedOrInventedOneIsATypedError()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var client = ClientFor(tenant.ApiKey);

        var check = await client.AuthenticateAsync(cancellationToken: Ct);
        Assert.Equal(tenant.WorkspaceId, check.WorkspaceId);
        Assert.Equal(tenant.OrganizationId, check.OrganizationId);

        var (spare, spareId) = await tenant.CreateKeyAsync(Server);
        await tenant.RevokeAsync(Server, spareId);
        var revoked = await Assert.ThrowsAsync<HatboxApiException>(() => client.AuthenticateAsync(new RequestOptions { ApiKey = spare }, Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.Status);
        Assert.Equal("api_key_revoked", revoked.Code);
        Assert.Equal("authentication_error", revoked.Type);
        Assert.StartsWith("req_", revoked.RequestId, StringComparison.Ordinal);
        var invented = await Assert.ThrowsAsync<HatboxApiException>(() => client.AuthenticateAsync(new RequestOptions { ApiKey = "wh_live_invented_0000" }, Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, invented.Status);
    }

    [Fact]
    public async Task TheDatabaseRunsTheWholeRecordLifecycle()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = ClientFor(tenant.ApiKey).Db;

        await db.QueryAsync("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE)", cancellationToken: Ct);
        var inserted = await db.InsertAsync("customers", new { name = "Ada", email = "ada@example.test" }, cancellationToken: Ct);
        Assert.Equal("Ada", inserted.Data!.Value.GetProperty("name").GetString());
        var read = await db.QueryAsync("SELECT name FROM customers WHERE email = {email}", new { email = "ada@example.test" }, cancellationToken: Ct);
        Assert.Equal("Ada", Assert.Single(read.Data).GetProperty("name").GetString());
        var positional = await db.QueryAsync("SELECT name FROM customers WHERE id = $1", FirstId, cancellationToken: Ct);
        Assert.Single(positional.Data);
        var updated = await db.UpdateAsync("customers", new { id = 1 }, new { name = "Ada L." }, cancellationToken: Ct);
        Assert.Equal(1, updated.Count);
        Assert.Equal(1, (await db.CountAsync("customers", cancellationToken: Ct)).Count);
        Assert.Contains((await db.ListTablesAsync(cancellationToken: Ct)).Tables, t => t.Name == "customers");
        Assert.Equal(3, (await db.GetSchemaAsync("customers", cancellationToken: Ct)).Columns.Count);
        Assert.Empty((await db.ListTablesAsync("development", cancellationToken: Ct)).Tables);
        var deleted = await db.DeleteAsync("customers", new { id = 1 }, cancellationToken: Ct);
        Assert.Equal(1, deleted.Count);
    }

    [Fact]
    public async Task RefusalsArriveAsTypedErrorsWithTheirCodes()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = ClientFor(tenant.ApiKey).Db;
        await db.QueryAsync("CREATE TABLE refusals (id INTEGER PRIMARY KEY, email TEXT UNIQUE)", cancellationToken: Ct);
        await db.InsertAsync("refusals", new { email = "a@example.test" }, cancellationToken: Ct);

        async Task<HatboxApiException> Refused(Func<Task> call) => await Assert.ThrowsAsync<HatboxApiException>(call);
        Assert.Equal("query_not_allowed", (await Refused(() => db.QueryAsync("SELECT 1; DELETE FROM refusals WHERE id > 0", cancellationToken: Ct))).Code);
        Assert.Equal("query_not_allowed", (await Refused(() => db.QueryAsync("DROP TABLE refusals", cancellationToken: Ct))).Code);
        var duplicate = await Refused(() => db.InsertAsync("refusals", new { email = "a@example.test" }, cancellationToken: Ct));
        Assert.Equal((HttpStatusCode.Conflict, "constraint_violation"), (duplicate.Status, duplicate.Code));
        var missing = await Refused(() => db.InsertAsync("ghosts", new { email = "x" }, cancellationToken: Ct));
        Assert.Equal((HttpStatusCode.NotFound, "table_not_found", "table"), (missing.Status, missing.Code, missing.Param));
        var column = await Refused(() => db.InsertAsync("refusals", new { shoe = 42 }, cancellationToken: Ct));
        Assert.Equal("column_not_found", column.Code);
        Assert.Equal("parameter_invalid", (await Refused(() => db.QueryAsync("SELECT 1", environment: "qa", cancellationToken: Ct))).Code);
        Assert.Equal(1, (await db.CountAsync("refusals", cancellationToken: Ct)).Count);
    }

    [Fact]
    public async Task StorageUploadsAStreamFetchesItByIdAndPathDownloadsItAndDeletesIt()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var storage = ClientFor(tenant.ApiKey).Storage;
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("hatbox ", 50_000)));

        await using var upload = new MemoryStream(bytes);
        var stored = await storage.UploadAsync(upload, "notes.txt", "docs", "text/plain", cancellationToken: Ct);
        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(stored.Id, (await storage.GetAsync(stored.Id, cancellationToken: Ct)).Id);
        Assert.Equal(stored.Id, (await storage.GetByPathAsync(stored.Path, cancellationToken: Ct)).Id);
        await using (var download = await storage.DownloadAsync(stored, cancellationToken: Ct))
        {
            using var copy = new MemoryStream();
            await download.CopyToAsync(copy, Ct);
            Assert.Equal(bytes, copy.ToArray());
        }
        var tampered = stored with { Url = stored.Url[..^4] + "AAAA" };
        var refused = await Assert.ThrowsAsync<HatboxApiException>(() => storage.DownloadAsync(tampered, cancellationToken: Ct));
        Assert.Equal((HttpStatusCode.Forbidden, "invalid_signature"), (refused.Status, refused.Code));
        Assert.True((await storage.DeleteAsync(stored.Id, cancellationToken: Ct)).Success);
        var gone = await Assert.ThrowsAsync<HatboxApiException>(() => storage.GetAsync(stored.Id, cancellationToken: Ct));
        Assert.Equal("file_not_found", gone.Code);
    }

    [Fact]
    public async Task ATraversalPathIsRefusedWithInvalidPath()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        await using var upload = new MemoryStream([1, 2, 3]);

        var refused = await Assert.ThrowsAsync<HatboxApiException>(
            () => ClientFor(tenant.ApiKey).Storage.UploadAsync(upload, "x.bin", "../../etc", cancellationToken: Ct));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_path"), (refused.Status, refused.Code));
    }

    [Fact]
    public async Task AFlowRunsWithAPayloadAndWithAFileAndAnUnknownOneIsNotFound()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var greet = await CreateFlowAsync(tenant, """
            { "name": "Greet", "steps": [ { "id": "greet", "uses": "script", "with": { "code": "return 'Hello ' + input.name;" } } ],
              "output": { "greeting": "${{ steps.greet.output }}" } }
            """);
        var lines = await CreateFlowAsync(tenant, """
            { "name": "Count lines", "steps": [ { "id": "rows", "uses": "file.read", "with": { "as": "csv" } } ],
              "output": { "rows": "${{ steps.rows.output.length }}" } }
            """);
        var flows = ClientFor(tenant.ApiKey).Flows;

        var run = await flows.TriggerAsync(greet, new { name = "Ada" }, cancellationToken: Ct);
        Assert.Equal("Hello Ada", run.Data!.Value.GetProperty("greeting").GetString());
        await using var csv = new MemoryStream(Encoding.UTF8.GetBytes("name,qty\nbolt,3\nnut,5\n"));
        var counted = await flows.TriggerWithFileAsync(lines, csv, "parts.csv", cancellationToken: Ct);
        Assert.Equal(2, counted.Data!.Value.GetProperty("rows").GetInt32());
        Assert.Equal("completed", (await flows.GetRunAsync(run.AnalyticsId, cancellationToken: Ct)).GetProperty("status").GetString());
        var unknown = await Assert.ThrowsAsync<HatboxApiException>(() => flows.TriggerAsync("flow_nothere", new { }, cancellationToken: Ct));
        Assert.Equal((HttpStatusCode.NotFound, "flow_not_found"), (unknown.Status, unknown.Code));
    }

    [Fact]
    public async Task TheFactoryRegisteredClientWorksWithAConfiguredHandler()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var services = new ServiceCollection();
        services.AddHatboxClient(o =>
        {
            o.BaseAddress = Server.HttpsAddress;
            o.ApiKey = tenant.ApiKey;
        }).ConfigurePrimaryHttpMessageHandler(TrustingHandler);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<HatboxClient>();
        var check = await client.AuthenticateAsync(cancellationToken: Ct);

        Assert.Equal(tenant.WorkspaceId, check.WorkspaceId);
        // A request's own version wins over none; an older one answers the older shape.
        var older = await client.AuthenticateAsync(new RequestOptions { ApiVersion = "2025-06-01" }, Ct);
        Assert.Null(older.OrganizationId);
    }

    async Task<string> CreateFlowAsync(TestTenant tenant, string document)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        using var json = JsonDocument.Parse(document);
        var created = await scope.ServiceProvider.GetRequiredService<FlowService>()
            .CreateAsync(tenant.WorkspaceId, json.RootElement.Clone(), new Actor(tenant.UserId), Ct);
        Assert.True(created.Succeeded);
        return created.Value!.FlowId;
    }
}
