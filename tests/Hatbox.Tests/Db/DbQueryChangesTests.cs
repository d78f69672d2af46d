using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

/// <summary><c>POST /db/query</c> tells how many rows a write changed (<c>changes</c>), beside the SDK's <c>data</c>.</summary>
public sealed class DbQueryChangesTests : ServerTest
{
    [Fact]
    public async Task WritesThroughQueryAnswerTheRowsTheyChangedAndReadsAnswerNone()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);
        await db.QueryOkAsync("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, kind TEXT)");

        var inserted = await db.QueryOkAsync("INSERT INTO items (name, kind) VALUES ('a', 'x'), ('b', 'x'), ('c', 'y')");
        var updated = await db.QueryOkAsync("UPDATE items SET name = upper(name) WHERE kind = {kind}", new { kind = "x" });
        var untouched = await db.QueryOkAsync("DELETE FROM items WHERE kind = 'none'");
        var deleted = await db.QueryOkAsync("DELETE FROM items WHERE kind = $1", DbClient.Positional("y"));
        var read = await db.QueryOkAsync("SELECT * FROM items");

        Assert.Equal(3, inserted.GetProperty("changes").GetInt64());
        Assert.Empty(inserted.GetProperty("data").EnumerateArray());
        Assert.Equal(2, updated.GetProperty("changes").GetInt64());
        Assert.Equal(0, untouched.GetProperty("changes").GetInt64());
        Assert.Equal(1, deleted.GetProperty("changes").GetInt64());
        Assert.Equal(0, read.GetProperty("changes").GetInt64());
        Assert.Equal(2, read.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task ARefusedWriteChangesNothingAndAnswersTheEnvelope()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);
        await db.QueryOkAsync("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
        await db.QueryOkAsync("INSERT INTO items (name) VALUES ('a')");

        await DbClient.ErrorAsync(await db.QueryAsync("DELETE FROM items"), System.Net.HttpStatusCode.BadRequest, "query_not_allowed");

        Assert.Equal(1, await db.CountAsync("items"));
    }
}
