using Hatbox.Features.Db.Sqlite;
using Hatbox.Common.Errors;
using Hatbox.Features.Db;
using SQLitePCL;

namespace Hatbox.UnitTests.Db;

/// <summary>
/// The engine's own defences on a real tenant connection, without the endpoint's text checks in
/// front: what the authorizer, defensive mode and the limits refuse on their own.
/// </summary>
public sealed class SqliteGuardTests : IDisposable
{
    static readonly DbOptions Options = new() { MaxParameters = 10, QueryTimeoutMilliseconds = 300 };

    readonly string _folder = Directory.CreateTempSubdirectory("hatbox-guard-").FullName;
    readonly SqliteTenantConnection _writer;

    public SqliteGuardTests()
    {
        _writer = SqliteTenantConnection.Open(Path.Combine(_folder, "production.db"), SqliteConnectionKind.Writer, Options);
        Run("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        Run("INSERT INTO t (name) VALUES ('a')");
    }

    public void Dispose()
    {
        _writer.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    ApiError? Run(string sql)
    {
        using var deadline = _writer.StartDeadline(Options.QueryTimeout, CancellationToken.None);
        var prepared = SqliteStatement.Prepare(_writer, sql, DbEnvironment.Production, Options);
        if (!prepared.Succeeded)
        {
            return prepared.Error;
        }
        using var statement = prepared.Value!;
        return statement.Run(DbEnvironment.Production, Options).Error;
    }

    [Theory]
    [InlineData("VACUUM")]
    [InlineData("VACUUM INTO '{folder}/copy.db'")]
    [InlineData("ATTACH '{folder}/other.db' AS other")]
    [InlineData("DETACH main")]
    [InlineData("PRAGMA journal_mode = DELETE")]
    [InlineData("SELECT * FROM pragma_database_list")]
    [InlineData("SELECT load_extension('x')")]
    [InlineData("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END")]
    [InlineData("CREATE VIEW v AS SELECT 1")]
    [InlineData("CREATE TEMP TABLE x (a)")]
    [InlineData("CREATE VIRTUAL TABLE f USING fts5(a)")]
    [InlineData("DROP TABLE t")]
    [InlineData("ALTER TABLE t DROP COLUMN name")]
    [InlineData("BEGIN")]
    [InlineData("SAVEPOINT s")]
    public void TheAuthorizerRefusesOnItsOwn(string sql)
    {
        var error = Run(sql.Replace("{folder}", _folder, StringComparison.Ordinal));

        Assert.Equal(ErrorCodes.QueryNotAllowed, error?.Code);
        Assert.Equal(["production.db", "production.db-shm", "production.db-wal"],
            Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Null(Run("SELECT name FROM t WHERE id = 1"));
    }

    [Fact]
    public void DefensiveModeAndTheLimitsAreOn()
    {
        Assert.Equal(1, raw.sqlite3_db_config(_writer.Handle, raw.SQLITE_DBCONFIG_DEFENSIVE, -1, out var defensive) == 0 ? defensive : -1);
        Assert.Equal(0, raw.sqlite3_limit(_writer.Handle, raw.SQLITE_LIMIT_ATTACHED, -1));
        Assert.Equal(Options.MaxValueBytes, raw.sqlite3_limit(_writer.Handle, raw.SQLITE_LIMIT_LENGTH, -1));
        Assert.Equal(Options.MaxColumns, raw.sqlite3_limit(_writer.Handle, raw.SQLITE_LIMIT_COLUMN, -1));
        Assert.Equal(SqliteLimits.ExpressionDepth, raw.sqlite3_limit(_writer.Handle, raw.SQLITE_LIMIT_EXPR_DEPTH, -1));
        Assert.Equal(SqliteLimits.TriggerDepth, raw.sqlite3_limit(_writer.Handle, raw.SQLITE_LIMIT_TRIGGER_DEPTH, -1));
        Assert.Equal(ErrorCodes.SqlError, Run("UPDATE sqlite_schema SET sql = 'x' WHERE name = 't'")?.Code);
    }

    [Fact]
    public void ForeignKeysAreEnforcedAndTheirActionsRunThoughTriggersAreOff()
    {
        Assert.Null(Run("CREATE TABLE parent (id INTEGER PRIMARY KEY)"));
        Assert.Null(Run("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE)"));
        Assert.Null(Run("INSERT INTO parent (id) VALUES (1)"));
        Assert.Null(Run("INSERT INTO child (parent_id) VALUES (1)"));

        Assert.Equal(ErrorCodes.ConstraintViolation, Run("INSERT INTO child (parent_id) VALUES (2)")?.Code);
        Assert.Null(Run("DELETE FROM parent WHERE id = 1"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM child"));
    }

    object? Scalar(string sql)
    {
        using var deadline = _writer.StartDeadline(Options.QueryTimeout, CancellationToken.None);
        using var statement = SqliteStatement.Prepare(_writer, sql, DbEnvironment.Production, Options).Value!;
        return statement.Run(DbEnvironment.Production, Options).Value!.Rows[0][0];
    }

    [Fact]
    public void TheProgressHandlerStopsAnEndlessQueryAtItsDeadline()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Run("WITH RECURSIVE f(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM f) SELECT count(*) FROM f");

        Assert.Equal(ErrorCodes.QueryTimeout, error?.Code);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        Assert.Null(Run("SELECT 1"));
    }

    [Fact]
    public void ASecondStatementIsRefusedAtPrepare()
    {
        Assert.Equal(ErrorCodes.QueryNotAllowed, Run("SELECT 1; DELETE FROM t WHERE id = 1")?.Code);
        Assert.Equal(ErrorCodes.ParameterMissing, Run(" ; -- nothing")?.Code);
        Assert.Equal(1L, Scalar("SELECT count(*) FROM t"));
        Assert.Null(Run("SELECT 1; -- just a comment"));
    }

    [Fact]
    public void AReaderRefusesToWriteEvenIfAskedTo()
    {
        using var reader = SqliteTenantConnection.Open(Path.Combine(_folder, "production.db"), SqliteConnectionKind.Reader, Options);
        using var deadline = reader.StartDeadline(Options.QueryTimeout, CancellationToken.None);
        using var statement = SqliteStatement.Prepare(reader, "INSERT INTO t (name) VALUES ('b')", DbEnvironment.Production, Options).Value!;

        Assert.False(statement.IsReadOnly);
        Assert.Throws<IOException>(() => statement.Run(DbEnvironment.Production, Options));
    }
}
