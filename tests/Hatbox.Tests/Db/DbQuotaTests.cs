using System.Net;
using Hatbox.Features.Plans;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

public sealed class DbQuotaTests
{
    [Fact]
    public async Task WritesPastThePlansStorageAreRefusedAndStoreNothingWhileDeletesStillWork()
    {
        await using var server = await TestServer.StartAsync(DbTestSettings.With(
            ("Plans:free:StorageBytes", "300000"), ("Db:StorageMeasureCacheMilliseconds", "0")));
        using var http = server.CreateClient();
        var db = new DbClient(http, (await TestTenant.CreateAsync(server)).ApiKey);
        await db.QueryOkAsync("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT)");
        var body = new string('x', 50_000);

        var stored = 0;
        HttpStatusCode status;
        do
        {
            using var response = await db.SendAsync(HttpMethod.Post, "/db/insert", new { table = "blobs", data = new { body } });
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
        while (status == HttpStatusCode.OK && stored < 50);

        Assert.InRange(stored, 1, 10);
        await DbClient.ErrorAsync(await db.QueryAsync("INSERT INTO blobs (body) VALUES ($1)", DbClient.Positional(body)),
            HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Put, "/db/update", new { table = "blobs", data = new { body = "" }, where = new { id = 1 } }),
            HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
        Assert.Equal(stored, await db.CountAsync("blobs"));

        await db.OkAsync(HttpMethod.Delete, "/db/delete", new { table = "blobs", where = new { id = 1 } });
        await db.QueryOkAsync("DELETE FROM blobs WHERE id = 2");
        Assert.Equal(stored - 2, await db.CountAsync("blobs"));
    }
}
