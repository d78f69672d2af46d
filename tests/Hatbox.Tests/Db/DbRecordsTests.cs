using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

public sealed class DbRecordsTests() : ServerTest(DbTestSettings.With())
{
    async Task<DbClient> NewTenantWithTasksAsync()
    {
        var db = new DbClient(Http, (await TestTenant.CreateAsync(Server)).ApiKey);
        await db.QueryOkAsync("""
            CREATE TABLE tasks (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              title TEXT NOT NULL,
              status TEXT DEFAULT 'open',
              owner TEXT)
            """);
        return db;
    }

    [Fact]
    public async Task InsertAnswersTheRowAsStoredWithDefaultsAndId()
    {
        var db = await NewTenantWithTasksAsync();

        var body = await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "tasks", data = new { title = "write tests" } });

        var data = body.GetProperty("data");
        Assert.Equal(1, data.GetProperty("id").GetInt64());
        Assert.Equal("write tests", data.GetProperty("title").GetString());
        Assert.Equal("open", data.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("owner").ValueKind);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Equal(1, await db.CountAsync("tasks"));
    }

    [Fact]
    public async Task InsertTakesAFormEncodedBodyWithBracketNesting()
    {
        var db = await NewTenantWithTasksAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/db/insert")
        {
            Content = new FormUrlEncodedContent([new("table", "tasks"), new("data[title]", "from a form"), new("data[owner]", "ada")]),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + db.ApiKey);

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await db.RowsAsync("SELECT title, owner FROM tasks"));
        Assert.Equal("from a form", row.GetProperty("title").GetString());
        Assert.Equal("ada", row.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task InsertingAnArrayIsBulkAndStoresNothing()
    {
        var db = await NewTenantWithTasksAsync();

        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/insert",
            new { table = "tasks", data = new[] { new { title = "a" }, new { title = "b" } } }),
            HttpStatusCode.BadRequest, ErrorCodes.BulkNotSupported);

        Assert.Equal(0, await db.CountAsync("tasks"));
    }

    [Fact]
    public async Task AnUnknownColumnOrTableIsNamedAndNothingIsStored()
    {
        var db = await NewTenantWithTasksAsync();

        var column = await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/insert",
            new { table = "tasks", data = new { title = "a", colour = "red" } }), HttpStatusCode.BadRequest, ErrorCodes.ColumnNotFound);
        var table = await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/insert",
            new { table = "projects", data = new { title = "a" } }), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        var quoted = await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/insert",
            new { table = "tasks", data = new Dictionary<string, object> { ["title\" , \"status"] = "x" } }),
            HttpStatusCode.BadRequest, ErrorCodes.ColumnNotFound);

        Assert.Equal("data.colour", column.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("table", table.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, await db.CountAsync("tasks"));
    }

    [Fact]
    public async Task UpdateChangesOnlyTheMatchingRowsAndAnswersThem()
    {
        var db = await NewTenantWithTasksAsync();
        await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "tasks", data = new { title = "a", owner = "ada" } });
        await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "tasks", data = new { title = "b", owner = "ada" } });
        await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "tasks", data = new { title = "c" } });

        var body = await db.OkAsync(HttpMethod.Put, "/db/update", new { table = "tasks", data = new { status = "done" }, where = new { owner = "ada" } });
        var nullOwner = await db.OkAsync(HttpMethod.Put, "/db/update",
            new { table = "tasks", data = new { status = "orphan" }, where = new Dictionary<string, object?> { ["owner"] = null } });

        Assert.Equal(2, body.GetProperty("count").GetInt64());
        Assert.All(body.GetProperty("data").EnumerateArray(), row => Assert.Equal("done", row.GetProperty("status").GetString()));
        Assert.Equal(1, nullOwner.GetProperty("count").GetInt64());
        var statuses = (await db.RowsAsync("SELECT status FROM tasks ORDER BY id")).Select(r => r.GetProperty("status").GetString());
        Assert.Equal(["done", "done", "orphan"], statuses);
    }

    [Fact]
    public async Task UpdateAndDeleteWithoutAWhereAreRefusedAndChangeNothing()
    {
        var db = await NewTenantWithTasksAsync();
        await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "tasks", data = new { title = "keep me" } });

        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Put, "/db/update", new { table = "tasks", data = new { title = "x" } }),
            HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Put, "/db/update", new { table = "tasks", data = new { title = "x" }, where = new { } }),
            HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Delete, "/db/delete", new { table = "tasks" }),
            HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Delete, "/db/delete", new { table = "tasks", where = new { } }),
            HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Delete, "/db/delete", new { table = "tasks", where = new[] { new { id = 1 } } }),
            HttpStatusCode.BadRequest, ErrorCodes.BulkNotSupported);

        var row = Assert.Single(await db.RowsAsync("SELECT title FROM tasks"));
        Assert.Equal("keep me", row.GetProperty("title").GetString());
    }

    [Fact]
    public async Task DeleteRemovesTheMatchingRowsAndAnswersThem()
    {
        var db = await NewTenantWithTasksAsync();
        await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "tasks", data = new { title = "a", owner = "ada" } });
        await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "tasks", data = new { title = "b", owner = "bob" } });

        var body = await db.OkAsync(HttpMethod.Delete, "/db/delete", new { table = "tasks", where = new { owner = "ada" } });

        Assert.Equal(1, body.GetProperty("count").GetInt64());
        Assert.Equal("a", Assert.Single(body.GetProperty("data").EnumerateArray()).GetProperty("title").GetString());
        Assert.Equal("b", Assert.Single(await db.RowsAsync("SELECT title FROM tasks")).GetProperty("title").GetString());
    }

    [Fact]
    public async Task TheCatalogListsOnlyTheCallersTablesWithTheSdksFields()
    {
        var db = await NewTenantWithTasksAsync();
        await db.QueryOkAsync("CREATE TABLE notes (body TEXT)");
        await db.QueryOkAsync("CREATE INDEX notes_body ON notes (body)");
        await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "tasks", data = new { title = "a" } });

        var tables = await db.OkAsync(HttpMethod.Get, "/db/tables");
        var elsewhere = await db.OkAsync(HttpMethod.Get, "/db/tables?schema=other");
        var count = await db.OkAsync(HttpMethod.Get, "/db/tables/tasks/count");
        var schema = await db.OkAsync(HttpMethod.Get, "/db/tables/tasks/schema");

        // AUTOINCREMENT made sqlite_sequence: SQLite's, never listed.
        Assert.Equal(2, tables.GetProperty("count").GetInt32());
        Assert.Equal(["notes", "tasks"], tables.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.All(tables.GetProperty("tables").EnumerateArray(), t =>
        {
            Assert.Equal("public", t.GetProperty("schema").GetString());
            Assert.Equal("table", t.GetProperty("type").GetString());
        });
        Assert.Equal(0, elsewhere.GetProperty("count").GetInt32());
        Assert.Equal("tasks", count.GetProperty("table").GetString());
        Assert.Equal(1, count.GetProperty("count").GetInt64());
        Assert.Equal("tasks", schema.GetProperty("table").GetString());
        var columns = schema.GetProperty("columns").EnumerateArray().ToArray();
        Assert.Equal(["id", "title", "status", "owner"], columns.Select(c => c.GetProperty("name").GetString()));
        Assert.True(columns[0].GetProperty("isPrimaryKey").GetBoolean());
        Assert.Equal("INTEGER", columns[0].GetProperty("type").GetString());
        Assert.False(columns[1].GetProperty("nullable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, columns[1].GetProperty("default").ValueKind);
        Assert.Equal("'open'", columns[2].GetProperty("default").GetString());
        Assert.True(columns[3].GetProperty("nullable").GetBoolean());
    }

    [Theory]
    [InlineData("/db/tables/missing/count")]
    [InlineData("/db/tables/missing/schema")]
    [InlineData("/db/tables/sqlite_master/count")]
    [InlineData("/db/tables/sqlite_sequence/schema")]
    public async Task AnUnknownOrInternalTableIsNotFound(string path)
    {
        var db = await NewTenantWithTasksAsync();

        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Get, path), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
    }
}
