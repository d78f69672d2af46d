using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Baseline;

/// <summary>
/// Stands in for Hatbox's /db API: the same SQLite statements on a file prepared at start, through
/// plain Microsoft.Data.Sqlite (pooled connections, a command per request), with no key, no
/// tenant lookup, no guard and no limits. Same answer shapes as Hatbox.
/// </summary>
static class DbBaseline
{
    public const int Items = 1000;

    // One writer at a time, as in Hatbox: SQLite has one write lock per file anyway.
    static readonly SemaphoreSlim Writer = new(1, 1);

    public static void Map(WebApplication app, string path)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        Prepare(connectionString);

        // Stands in for POST /db/query with `SELECT * FROM items WHERE id = $1`: runs the statement it is sent.
        app.MapPost("/db/query", async (HttpRequest request) =>
        {
            var body = await request.ReadFromJsonAsync(BaselineDbJsonContext.Default.BaselineQueryRequest);
            AnswerHeaders.Write(request.HttpContext.Response, rateLimited: true);
            var started = Stopwatch.GetTimestamp();
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = body!.Query;
            for (var i = 0; i < body.Params.Length; i++)
            {
                command.Parameters.AddWithValue("$" + (i + 1), Value(body.Params[i]));
            }
            var rows = Read(command);
            return TypedResults.Json(
                new BaselineQueryResponse(true, rows, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3), body.Query, false),
                BaselineDbJsonContext.Default.BaselineQueryResponse);
        });

        // Stands in for POST /db/insert: one durable row (WAL, synchronous FULL, e_sqlite3's default).
        app.MapPost("/db/insert", async (HttpRequest request) =>
        {
            var body = await request.ReadFromJsonAsync(BaselineDbJsonContext.Default.BaselineInsertRequest);
            AnswerHeaders.Write(request.HttpContext.Response, rateLimited: true);
            await Writer.WaitAsync();
            try
            {
                using var connection = new SqliteConnection(connectionString);
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO events (name) VALUES ($1) RETURNING *";
                command.Parameters.AddWithValue("$1", body!.Data.GetProperty("name").GetString());
                var rows = Read(command);
                return TypedResults.Json(new BaselineInsertResponse(true, rows[0], "Record inserted."), BaselineDbJsonContext.Default.BaselineInsertResponse);
            }
            finally
            {
                Writer.Release();
            }
        });
    }

    static List<Dictionary<string, object?>> Read(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(reader.FieldCount);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    static object Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => value.GetDouble(),
        _ => value.GetString() ?? "",
    };

    /// <summary>The table and rows bench/run.sh creates in Hatbox through the API, here made directly.</summary>
    static void Prepare(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            INSERT OR IGNORE INTO items (id, name, price)
              WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {Items}) SELECT x, 'item ' || x, x * 1.5 FROM n;
            """;
        command.ExecuteNonQuery();
    }
}
