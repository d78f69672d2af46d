using System.Net;
using Hatbox.Features.Plans;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

/// <summary>
/// Issue 17 item 6: a short statement that builds a lot of data (<c>INSERT … SELECT randomblob(…)</c>)
/// is stopped at the plan's remaining storage while it runs, not measured only by its request body.
/// </summary>
public sealed class DbStorageDuringStatementTests
{
    const long PlanBytes = 3L * 1024 * 1024;

    [Fact]
    public async Task AStatementThatBuildsDataPastThePlanIsStoppedAndLeavesTheDiskWithinThePlan()
    {
        await using var server = await TestServer.StartAsync(DbTestSettings.With(
            ("Plans:free:StorageBytes", PlanBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Db:StorageMeasureCacheMilliseconds", "0"), ("Db:QueryTimeoutMilliseconds", "20000")));
        using var http = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var db = new DbClient(http, tenant.ApiKey);
        await db.QueryOkAsync("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)");

        // About 300 MB from a request of under 200 bytes.
        await DbClient.ErrorAsync(await db.QueryAsync(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO blobs (body) SELECT randomblob(100000) FROM n"),
            HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);

        Assert.Equal(0, await db.CountAsync("blobs"));
        var onDisk = Directory.EnumerateFiles(DbTestSettings.TenantFolder(server, tenant)).Sum(file => new FileInfo(file).Length);
        Assert.InRange(onDisk, 0, PlanBytes);
        // The tenant can still write what fits.
        await db.QueryOkAsync("INSERT INTO blobs (body) SELECT randomblob(100000)");
        Assert.Equal(1, await db.CountAsync("blobs"));
    }

    [Fact]
    public async Task SmallWritesThatAddUpPastThePlanAreStoppedByTheStatementThatCrossesIt()
    {
        await using var server = await TestServer.StartAsync(DbTestSettings.With(
            ("Plans:free:StorageBytes", PlanBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Db:StorageMeasureCacheMilliseconds", "60000")));
        using var http = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var db = new DbClient(http, tenant.ApiKey);
        await db.QueryOkAsync("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)");

        // The measurement is reused for a minute, so only the limit set on the connection can stop these.
        var stored = 0;
        HttpStatusCode status;
        do
        {
            using var response = await db.QueryAsync("INSERT INTO blobs (body) SELECT randomblob(500000)");
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                stored++;
            }
            else
            {
                await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
            }
        }
        while (status == HttpStatusCode.OK && stored < 20);

        Assert.InRange(stored, 1, 6);
        Assert.Equal(stored, await db.CountAsync("blobs"));
    }
}
