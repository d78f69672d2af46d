using Hatbox.Common.Errors;
using System.Net;
using Hatbox.Features.Plans;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// The storage quota on PostgreSQL tenants (HATBOX_TEST_POSTGRES): the size of a workspace's schema
/// (<c>pg_total_relation_size</c> of its relations) counts toward its organization's plan, writes
/// past it are refused with the code SQLite answers, and another organization's writes are its own.
/// </summary>
public sealed class PostgresStorageQuotaTests : IAsyncLifetime
{
    // About 1 kB a row (md5 hex, under PostgreSQL's TOAST threshold, so stored as written, uncompressed).
    const string Rows = "INSERT INTO blobs (body) SELECT repeat(md5(g::text), 30) FROM generate_series(1, $1::int) g";
    const long PlanBytes = 1_500_000;

    readonly string _database = "hb_quota_" + Guid.NewGuid().ToString("N")[..12];
    TestServer _server = null!;
    HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        var connection = await ScaleOutStores.CreateDatabaseAsync(_database);
        _server = await TestServer.StartAsync(new()
        {
            ["Platform:Provider"] = "postgres",
            ["Platform:ConnectionString"] = connection,
            ["Tenants:Provider"] = "postgres",
            ["Tenants:ConnectionString"] = connection,
            ["Plans:free:StorageBytes"] = PlanBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Db:StorageMeasureCacheMilliseconds"] = "0",
        });
        _http = _server.CreateClient();
    }

    async Task<DbClient> TenantAsync() => new(_http, (await TestTenant.CreateAsync(_server)).ApiKey);

    [Fact]
    public async Task WritesPastThePlanAreRefusedWhileReadsAndDeletesStillRun()
    {
        var db = await TenantAsync();
        await db.QueryOkAsync("CREATE TABLE blobs (id bigserial PRIMARY KEY, body text NOT NULL)");
        // Under the plan before it starts, so let through; about 2 MB once done.
        await db.QueryOkAsync(Rows, DbClient.Positional(2000));

        await DbClient.ErrorAsync(await db.QueryAsync(Rows, DbClient.Positional(1)), HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/insert", new { table = "blobs", data = new { body = "x" } }),
            HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Put, "/db/update", new { table = "blobs", data = new { body = "" }, where = new { id = 1 } }),
            HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
        // A new table grows the schema too; reads and deletes still work.
        await DbClient.ErrorAsync(await db.QueryAsync("CREATE TABLE more (id int)"), HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
        Assert.Equal(2000, await db.CountAsync("blobs"));
        await db.QueryOkAsync("DELETE FROM blobs WHERE id <= 10");
        Assert.Equal(1990, await db.CountAsync("blobs"));

        // DROP is refused as on SQLite, quota or not, and the table stays.
        await DbClient.ErrorAsync(await db.QueryAsync("DROP TABLE blobs"), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
        Assert.Equal(1990, await db.CountAsync("blobs"));
    }

    [Fact]
    public async Task AnotherOrganizationsSchemaDoesNotCountTowardOurs()
    {
        var full = await TenantAsync();
        await full.QueryOkAsync("CREATE TABLE blobs (id bigserial PRIMARY KEY, body text NOT NULL)");
        await full.QueryOkAsync(Rows, DbClient.Positional(2000));
        await DbClient.ErrorAsync(await full.QueryAsync(Rows, DbClient.Positional(1)), HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);

        var other = await TenantAsync();
        await other.QueryOkAsync("CREATE TABLE blobs (id bigserial PRIMARY KEY, body text NOT NULL)");
        await other.QueryOkAsync(Rows, DbClient.Positional(100));
        Assert.Equal(100, await other.CountAsync("blobs"));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await ScaleOutStores.DropDatabaseAsync(_database);
    }
}
