using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Hatbox.Tests.Db;

/// <summary>
/// Hostile SQL against the guard. Every refusal is checked by reading the state back, because
/// SQLite's defensive mode ignores some dangerous statements without an error.
/// </summary>
public sealed class DbGuardrailTests() : ServerTest(DbTestSettings.With(("Db:MaxParameters", "10"), ("Db:MaxStatementBytes", "2000")))
{
    async Task<(DbClient Db, TestTenant Tenant)> NewTenantWithRowsAsync()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);
        await db.QueryOkAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        await db.QueryOkAsync("CREATE INDEX t_name ON t (name)");
        for (var i = 1; i <= 3; i++)
        {
            await db.QueryOkAsync("INSERT INTO t (name) VALUES ($1)", DbClient.Positional("row " + i));
        }
        return (db, tenant);
    }

    static async Task RefusedAsync(DbClient db, string sql, object? parameters = null, string code = ErrorCodes.QueryNotAllowed) =>
        await DbClient.ErrorAsync(await db.QueryAsync(sql, parameters), HttpStatusCode.BadRequest, code);

    [Theory]
    [InlineData("SELECT 1; DELETE FROM t WHERE id > 0")]
    [InlineData("INSERT INTO t (name) VALUES ('x'); INSERT INTO t (name) VALUES ('y')")]
    [InlineData("SELECT 1 /* ; */ ; DELETE FROM t WHERE id > 0")]
    [InlineData("SELECT 1 -- comment\n; DELETE FROM t WHERE id > 0")]
    [InlineData("SELECT ';' AS s; DELETE FROM t WHERE id > 0")]
    [InlineData("SELECT 1;;; UPDATE t SET name = 'x' WHERE id > 0")]
    public async Task ASecondStatementIsRefusedAndNeverRuns(string sql)
    {
        var (db, _) = await NewTenantWithRowsAsync();

        await RefusedAsync(db, sql);

        Assert.Equal(["row 1", "row 2", "row 3"], (await db.RowsAsync("SELECT name FROM t ORDER BY id")).Select(r => r.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("SELECT 1;")]
    [InlineData("SELECT 1; -- a trailing comment")]
    [InlineData("SELECT 1 /* ; DELETE FROM t */")]
    public async Task TrailingSemicolonsAndCommentsAreNotASecondStatement(string sql)
    {
        var (db, _) = await NewTenantWithRowsAsync();

        Assert.Single(await db.RowsAsync(sql));
    }

    [Theory]
    [InlineData("DELETE FROM t")]
    [InlineData("delete from t -- WHERE id = 1")]
    [InlineData("UPDATE t SET name = 'gone'")]
    [InlineData("UPDATE t SET name = (SELECT 'gone' WHERE 1)")]
    [InlineData("WITH doomed AS (SELECT id FROM t WHERE id > 0) DELETE FROM t")]
    [InlineData("DELETE FROM t RETURNING 'WHERE'")]
    [InlineData("; DELETE FROM t")]
    [InlineData("DELETE FROM t\0 WHERE id = 1")]
    [InlineData("SELECT 1\0; DELETE FROM t WHERE id > 0")]
    public async Task UpdateOrDeleteWithoutWhereIsRefusedAndChangesNothing(string sql)
    {
        var (db, _) = await NewTenantWithRowsAsync();

        await RefusedAsync(db, sql);

        Assert.Equal(3, await db.CountAsync("t"));
        Assert.Empty(await db.RowsAsync("SELECT id FROM t WHERE name = 'gone'"));
    }

    [Fact]
    public async Task DeleteWithAWhereRuns()
    {
        var (db, _) = await NewTenantWithRowsAsync();

        await db.QueryOkAsync("DELETE FROM t WHERE id = $1", DbClient.Positional(2));

        Assert.Equal(2, await db.CountAsync("t"));
    }

    [Theory]
    [InlineData("DROP TABLE t")]
    [InlineData("DROP TABLE IF EXISTS t")]
    [InlineData("DROP INDEX t_name")]
    [InlineData("ALTER TABLE t DROP COLUMN name")]
    public async Task DroppingSchemaIsRefusedAndTheSchemaStays(string sql)
    {
        var (db, _) = await NewTenantWithRowsAsync();

        await RefusedAsync(db, sql);

        Assert.Equal(3, await db.CountAsync("t"));
        var schema = await db.OkAsync(HttpMethod.Get, "/db/tables/t/schema");
        Assert.Equal(2, schema.GetProperty("columns").GetArrayLength());
        Assert.Single(await db.RowsAsync("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 't_name'"));
    }

    [Fact]
    public async Task TablesAreChangedWithAlterTableAddColumnAndCreateIndex()
    {
        var (db, _) = await NewTenantWithRowsAsync();

        await db.QueryOkAsync("ALTER TABLE t ADD COLUMN email TEXT");
        await db.QueryOkAsync("CREATE UNIQUE INDEX t_email ON t (email)");

        var schema = await db.OkAsync(HttpMethod.Get, "/db/tables/t/schema");
        Assert.Equal(3, schema.GetProperty("columns").GetArrayLength());
    }

    [Theory]
    [InlineData("CREATE TRIGGER t_audit AFTER INSERT ON t BEGIN UPDATE t SET name = 'x' WHERE id = new.id; END")]
    [InlineData("CREATE TEMP TRIGGER t_audit AFTER INSERT ON t BEGIN SELECT 1; END")]
    [InlineData("CREATE VIEW v AS SELECT * FROM t")]
    [InlineData("CREATE TEMP TABLE scratch (x)")]
    [InlineData("CREATE VIRTUAL TABLE docs USING fts5(body)")]
    public async Task TriggersViewsTempAndVirtualTablesAreRefusedAndNotCreated(string sql)
    {
        var (db, _) = await NewTenantWithRowsAsync();

        await RefusedAsync(db, sql);

        Assert.Equal(["t", "t_name"], (await db.RowsAsync("SELECT name FROM sqlite_schema ORDER BY name")).Select(r => r.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("PRAGMA journal_mode = DELETE")]
    [InlineData("PRAGMA synchronous = OFF")]
    [InlineData("PRAGMA writable_schema = ON")]
    [InlineData("PRAGMA query_only = 0")]
    [InlineData("PRAGMA database_list")]
    [InlineData("SELECT * FROM pragma_database_list")]
    [InlineData("SELECT file FROM pragma_database_list")]
    [InlineData("SELECT * FROM pragma_compile_options")]
    public async Task PragmasAreRefusedAndTheFileKeepsItsSettings(string sql)
    {
        var (db, tenant) = await NewTenantWithRowsAsync();

        await RefusedAsync(db, sql);

        Assert.Equal("wal", ReadPragma(tenant, "journal_mode"));
        Assert.Equal(0L, ReadPragma(tenant, "writable_schema"));
        Assert.Equal(3, await db.CountAsync("t"));
    }

    [Fact]
    public async Task ReadOnlySchemaPragmasAreAllowed()
    {
        var (db, _) = await NewTenantWithRowsAsync();

        Assert.Equal(2, (await db.RowsAsync("PRAGMA table_info(t)")).Length);
        Assert.Equal(2, (await db.RowsAsync("SELECT name FROM pragma_table_info('t')")).Length);
    }

    /// <summary>
    /// Which authorizer calls a table-valued function raises has changed between SQLite versions
    /// (reference/security.md §b.1 item 3): this fails if an upgrade starts refusing JSON.
    /// </summary>
    [Fact]
    public async Task JsonFunctionsWorkUnderTheAuthorizer()
    {
        var (db, _) = await NewTenantWithRowsAsync();

        Assert.Equal([1L, 2L], (await db.RowsAsync("SELECT value FROM json_each('[1, 2]') ORDER BY key")).Select(r => r.GetProperty("value").GetInt64()));
        Assert.Equal(4, (await db.RowsAsync("SELECT fullkey FROM json_tree('{\"a\": [1, 2]}')")).Length);
        var row = Assert.Single(await db.RowsAsync(
            "SELECT json_extract('{\"a\": {\"b\": 7}}', '$.a.b') AS b, '{\"c\": \"x\"}' ->> '$.c' AS c, json_group_array(name) AS names FROM t"));
        Assert.Equal(7, row.GetProperty("b").GetInt64());
        Assert.Equal("x", row.GetProperty("c").GetString());
        Assert.Equal("[\"row 1\",\"row 2\",\"row 3\"]", row.GetProperty("names").GetString());
    }

    [Theory]
    [InlineData("BEGIN")]
    [InlineData("COMMIT")]
    [InlineData("SAVEPOINT s")]
    [InlineData("ROLLBACK")]
    [InlineData("VACUUM")]
    [InlineData("ANALYZE; DETACH main")]
    [InlineData("DETACH DATABASE main")]
    [InlineData("SELECT load_extension('/tmp/evil.so')")]
    [InlineData("SELECT fts3_tokenizer('simple')")]
    public async Task TransactionControlVacuumAndExtensionsAreRefused(string sql)
    {
        var (db, _) = await NewTenantWithRowsAsync();

        await RefusedAsync(db, sql);

        Assert.Equal(3, await db.CountAsync("t"));
    }

    [Fact]
    public async Task FileFunctionsDoNotExist()
    {
        var (db, _) = await NewTenantWithRowsAsync();
        var target = Path.Combine(Server.DataDirectory, "written-by-sql.txt");

        await RefusedAsync(db, $"SELECT writefile('{target}', 'x')", code: ErrorCodes.SqlError);
        await RefusedAsync(db, "SELECT readfile('/etc/passwd')", code: ErrorCodes.SqlError);

        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task TheSchemaTableCannotBeWrittenEvenWithAWhere()
    {
        var (db, _) = await NewTenantWithRowsAsync();

        await RefusedAsync(db, "UPDATE sqlite_schema SET sql = 'CREATE TABLE t (x)' WHERE name = 't'", code: ErrorCodes.SqlError);

        Assert.Equal(2, (await db.OkAsync(HttpMethod.Get, "/db/tables/t/schema")).GetProperty("columns").GetArrayLength());
    }

    [Fact]
    public async Task ParameterValuesThatLookLikeSqlStayValues()
    {
        var (db, _) = await NewTenantWithRowsAsync();

        var rows = await db.RowsAsync("SELECT {a} AS a, '{a}' AS literal", new { a = "1; DROP TABLE t" });

        Assert.Equal("1; DROP TABLE t", rows[0].GetProperty("a").GetString());
        Assert.Equal("{a}", rows[0].GetProperty("literal").GetString());
        await RefusedAsync(db, "SELECT * FROM t WHERE name = {a} OR {b}", new { a = "x" }, ErrorCodes.ParameterMissing);
        await RefusedAsync(db, "SELECT {a", new { a = "x" }, ErrorCodes.SqlError);
        await RefusedAsync(db, "SELECT {1a}", new Dictionary<string, string> { ["1a"] = "x" }, ErrorCodes.SqlError);
        Assert.Equal(3, await db.CountAsync("t"));
    }

    [Fact]
    public async Task AStatementOverTheLengthLimitIsRefusedBeforeItIsCompiled()
    {
        var (db, _) = await NewTenantWithRowsAsync();
        var huge = "INSERT INTO t (name) VALUES ('" + new string('x', 3000) + "')";

        await RefusedAsync(db, huge, code: ErrorCodes.QueryTooLong);

        Assert.Equal(3, await db.CountAsync("t"));
    }

    [Fact]
    public async Task TooManyParametersAreRefused()
    {
        var (db, _) = await NewTenantWithRowsAsync();
        var eleven = Enumerable.Range(1, 11).ToArray();

        await RefusedAsync(db, "SELECT $1", eleven, ErrorCodes.TooManyParameters);
        await RefusedAsync(db, "INSERT INTO t (name) VALUES (" + string.Join(" || ", eleven.Select(i => "$" + i)) + ")",
            eleven[..10], ErrorCodes.TooManyParameters);
        await RefusedAsync(db, "SELECT ?5000", code: ErrorCodes.TooManyParameters);

        Assert.Equal(3, await db.CountAsync("t"));
    }

    [Fact]
    public async Task AnotherTenantsFileCannotBeAttachedAndNoFileIsCreated()
    {
        var (victim, victimTenant) = await NewTenantWithRowsAsync();
        var (attacker, attackerTenant) = await NewTenantWithRowsAsync();
        var victimFile = Path.Combine(DbTestSettings.TenantFolder(Server, victimTenant), "production.db");
        var newFile = Path.Combine(DbTestSettings.TenantFolder(Server, attackerTenant), "stolen.db");
        var victimBytes = File.ReadAllBytes(victimFile);

        await RefusedAsync(attacker, $"ATTACH DATABASE '{victimFile}' AS victim");
        await RefusedAsync(attacker, $"ATTACH '{newFile}' AS copy");
        await RefusedAsync(attacker, $"VACUUM INTO '{newFile}'");
        await RefusedAsync(attacker, "ATTACH $1 AS victim", DbClient.Positional(victimFile));
        await RefusedAsync(attacker, $"ATTACH 'file:{newFile}?mode=rwc' AS copy");
        await RefusedAsync(attacker, "ATTACH 'file::memory:' AS scratch");

        Assert.False(File.Exists(newFile));
        Assert.Equal(["production.db", "production.db-shm", "production.db-wal"],
            Directory.GetFiles(DbTestSettings.TenantFolder(Server, attackerTenant)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(victimBytes, File.ReadAllBytes(victimFile));
        Assert.Equal(3, await victim.CountAsync("t"));
    }

    /// <summary>Reads a setting straight from the tenant's file, past the API.</summary>
    object? ReadPragma(TestTenant tenant, string pragma)
    {
        var file = Path.Combine(DbTestSettings.TenantFolder(Server, tenant), "production.db");
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return command.ExecuteScalar();
    }
}
