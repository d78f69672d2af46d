using Hatbox.Features.Db.Sqlite;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Hatbox.Features.Db;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Hatbox.Benchmarks;

/// <summary>
/// The database layer of <c>POST /db/query</c> for a point read by primary key, without HTTP:
/// the guard, the prepared statement and the row read, against the same statement through plain
/// Microsoft.Data.Sqlite. What is left of bench/run.sh's db_point_read gap is the HTTP pipeline.
/// </summary>
[MemoryDiagnoser]
public class DbPointReadBenchmarks : IDisposable
{
    const string Sql = "SELECT * FROM items WHERE id = $1";

    string _folder = null!;
    SqliteTenantDatabaseProvider _provider = null!;
    ITenantDatabase _database = null!;
    TenantQuery _query = null!;
    string _plain = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    async Task SetupAsync()
    {
        // Here, not in a field initializer: BenchmarkDotNet also makes instances it never sets up.
        _folder = Directory.CreateTempSubdirectory("hatbox-bench-db-").FullName;
        _provider = new SqliteTenantDatabaseProvider(new TenantDatabasePaths(_folder), Options.Create(new DbOptions()), TimeProvider.System);
        _database = _provider.Get("ws_bench", DbEnvironment.Production);
        await RunAsync("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL)");
        await RunAsync("INSERT INTO items (id, name, price) WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000) SELECT x, 'item ' || x, x * 1.5 FROM n");
        _query = new TenantQuery(Sql, SqlParameters.Positional([JsonSerializer.SerializeToElement(42)]), _ => Task.FromResult<Hatbox.Common.Errors.ApiError?>(null));
        _plain = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "tenants", "ws_bench", "production.db"), Pooling = true }.ToString();
    }

    async Task RunAsync(string sql)
    {
        var outcome = await _database.QueryAsync(new TenantQuery(sql, SqlParameters.None, _ => Task.FromResult<Hatbox.Common.Errors.ApiError?>(null)), CancellationToken.None);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException(outcome.Error!.Message);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _provider.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public async Task<int> TenantDatabase() => (await _database.QueryAsync(_query, CancellationToken.None)).Value!.Rows.Count;

    [Benchmark(Baseline = true)]
    public int PlainMicrosoftDataSqlite()
    {
        using var connection = new SqliteConnection(_plain);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$1", 42L);
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                _ = reader.GetValue(i);
            }
            rows++;
        }
        return rows;
    }
}
