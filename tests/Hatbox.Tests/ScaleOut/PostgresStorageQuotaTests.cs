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
        _server = await TestServer.StartAsync(DbTestSettings.With(
            ("Platform:Provider", "postgres"),
            ("Platform:ConnectionString", connection),
            ("Tenants:Provider", "postgres"),
            ("Tenants:ConnectionString", connection),
            ("Plans:free:StorageBytes", PlanBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Db:StorageMeasureCacheMilliseconds", "0")));
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
    public async Task DeletingRowsGivesTheSpaceBackSoWritesAreAcceptedAgain()
    {
        var full = await TenantAsync();
        var other = await TenantAsync();
        await other.QueryOkAsync("CREATE TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL)");
        await full.QueryOkAsync("CREATE TABLE blobs (id bigserial PRIMARY KEY, body text NOT NULL)");
        await full.QueryOkAsync(Rows, DbClient.Positional(2000));
        await DbClient.ErrorAsync(await full.QueryAsync(Rows, DbClient.Positional(1)), HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
        // The tenant cannot reclaim by itself: VACUUM is the platform's.
        await DbClient.ErrorAsync(await full.QueryAsync("VACUUM FULL blobs"), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);

        const string Kept = "SELECT count(*) AS n, md5(string_agg(id::text || body, ',' ORDER BY id)) AS digest FROM blobs WHERE id BETWEEN 1801 AND 2000";
        var before = (await full.RowsAsync(Kept))[0];
        // The rows left are at the table's end, so no plain VACUUM can cut its files: only a rewrite gives the pages back.
        await full.QueryOkAsync("DELETE FROM blobs WHERE id <= 1800");

        var deadline = DateTime.UtcNow.AddSeconds(15);
        var otherWrites = 0;
        bool accepted;
        do
        {
            // Another organization is never held up meanwhile, nor are this tenant's reads.
            await other.OkAsync(HttpMethod.Post, "/db/insert", new { table = "notes", data = new { body = "still here" } });
            otherWrites++;
            Assert.Equal(200, await full.CountAsync("blobs"));
            using var insert = await full.SendAsync(HttpMethod.Post, "/db/insert", new { table = "blobs", data = new { body = "after" } });
            accepted = insert.IsSuccessStatusCode;
            if (!accepted)
            {
                await ErrorAssert.IsErrorAsync(insert, HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
        while (!accepted && DateTime.UtcNow < deadline);
        Assert.True(accepted, "Writes were still refused 15 s after the DELETE");

        // The rows left are untouched by the rewrite; a statement that adds a lot is accepted again.
        var after = (await full.RowsAsync(Kept))[0];
        Assert.Equal(before.GetProperty("n").GetInt64(), after.GetProperty("n").GetInt64());
        Assert.Equal(before.GetProperty("digest").GetString(), after.GetProperty("digest").GetString());
        await full.QueryOkAsync(Rows, DbClient.Positional(500));
        Assert.Equal(701, await full.CountAsync("blobs"));
        Assert.Equal(otherWrites, await other.CountAsync("notes"));
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
