using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace Baseline;

/// <summary>
/// Stands in for Hatbox's POST /db/query on PostgreSQL tenants (bench/scaleout.sh): the statement
/// it is sent, through one pooled <see cref="NpgsqlDataSource"/> on a schema it prepared at start,
/// as a bare app would run it: no key, no tenant role, no transaction, no <c>SET LOCAL</c>, no guard
/// and no limits. Same answer shape as Hatbox (integers as long, reals as double).
/// </summary>
static class PostgresDbBaseline
{
    const string Schema = "bench_baseline";

    public static void Map(WebApplication app, string connectionString)
    {
        var source = new NpgsqlDataSourceBuilder(
            new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = Schema, Pooling = true }.ToString()).Build();
        Prepare(source);

        app.MapPost("/db/query", async (HttpRequest request) =>
        {
            var body = await request.ReadFromJsonAsync(BaselineDbJsonContext.Default.BaselineQueryRequest);
            AnswerHeaders.Write(request.HttpContext.Response, rateLimited: true);
            var started = Stopwatch.GetTimestamp();
            await using var command = source.CreateCommand(body!.Query);
            foreach (var value in body.Params)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = Value(value) });
            }
            var rows = await ReadAsync(command);
            return TypedResults.Json(
                new BaselineQueryResponse(true, rows, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3), body.Query, false),
                BaselineDbJsonContext.Default.BaselineQueryResponse);
        });
    }

    static async Task<List<Dictionary<string, object?>>> ReadAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(reader.FieldCount);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                {
                    int integer => (long)integer,
                    float real => (double)real,
                    var other => other,
                };
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

    /// <summary>The table and rows bench/scaleout.sh creates in a Hatbox tenant through the API, here made directly.</summary>
    static void Prepare(NpgsqlDataSource source)
    {
        using var command = source.CreateCommand($"""
            CREATE SCHEMA IF NOT EXISTS {Schema};
            CREATE TABLE IF NOT EXISTS {Schema}.items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL);
            INSERT INTO {Schema}.items (id, name, price)
              SELECT x, 'item ' || x, x * 1.5 FROM generate_series(1, {DbBaseline.Items}) x ON CONFLICT DO NOTHING;
            """);
        command.ExecuteNonQuery();
    }
}
