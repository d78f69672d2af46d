using System.Text.Json;

namespace Hatbox.Client;

/// <summary><c>client.db</c> of the official SDK: SQL, one record per write, the catalog and AI over the data.</summary>
public sealed class DbClient
{
    readonly HatboxTransport _transport;

    internal DbClient(HatboxTransport transport) => _transport = transport;

    /// <summary>
    /// <c>POST /db/query</c>: one statement; <paramref name="parameters"/> binds <c>{name}</c> placeholders
    /// (an object or dictionary) or <c>$1</c>… (an array). Values are bound, never spliced into the SQL.
    /// </summary>
    public Task<DbQueryResult> QueryAsync(string query, object? parameters = null, string? environment = null,
        RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<DbQueryResult>(HttpMethod.Post, "/db/query",
            new { query, @params = parameters, environment }, options, cancellationToken);

    /// <summary><c>POST /db/insert</c>: one record; answers the stored row.</summary>
    public Task<DbInsertResult> InsertAsync(string table, object data, string? environment = null,
        RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<DbInsertResult>(HttpMethod.Post, "/db/insert", new { table, data, environment }, options, cancellationToken);

    /// <summary><c>PUT /db/update</c>: the rows whose columns equal <paramref name="where"/>.</summary>
    public Task<DbChangeResult> UpdateAsync(string table, object where, object data, string? environment = null,
        RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<DbChangeResult>(HttpMethod.Put, "/db/update", new { table, where, data, environment }, options, cancellationToken);

    /// <summary><c>DELETE /db/delete</c>.</summary>
    public Task<DbChangeResult> DeleteAsync(string table, object where, string? environment = null,
        RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<DbChangeResult>(HttpMethod.Delete, "/db/delete", new { table, where, environment }, options, cancellationToken);

    /// <summary><c>GET /db/tables</c>.</summary>
    public Task<DbTables> ListTablesAsync(string? environment = null, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<DbTables>(HttpMethod.Get, "/db/tables" + Query("environment", environment), null, options, cancellationToken);

    /// <summary><c>GET /db/tables/{table}/count</c>.</summary>
    public Task<DbCount> CountAsync(string table, string? environment = null, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<DbCount>(HttpMethod.Get, $"/db/tables/{Uri.EscapeDataString(table)}/count" + Query("environment", environment),
            null, options, cancellationToken);

    /// <summary><c>GET /db/tables/{table}/schema</c>.</summary>
    public Task<DbTableSchema> GetSchemaAsync(string table, string? environment = null, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<DbTableSchema>(HttpMethod.Get, $"/db/tables/{Uri.EscapeDataString(table)}/schema" + Query("environment", environment),
            null, options, cancellationToken);

    /// <summary><c>POST /db/nl-query</c>: a question in plain language, answered with its data, SQL and a message.</summary>
    public Task<JsonElement> NlQueryAsync(string question, string? environment = null, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<JsonElement>(HttpMethod.Post, "/db/nl-query", new { question, environment }, options, cancellationToken);

    /// <summary><c>POST /db/semantic-search</c>; <paramref name="request"/> carries the SDK's fields (<c>table</c>, <c>query</c>, <c>limit</c>, <c>filters</c>…).</summary>
    public Task<JsonElement> SemanticSearchAsync(object request, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<JsonElement>(HttpMethod.Post, "/db/semantic-search", request, options, cancellationToken);

    /// <summary><c>POST /db/hybrid-search</c>.</summary>
    public Task<JsonElement> HybridSearchAsync(object request, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<JsonElement>(HttpMethod.Post, "/db/hybrid-search", request, options, cancellationToken);

    /// <summary><c>POST /db/find-similar</c> (<c>table</c>, <c>record_id</c>…).</summary>
    public Task<JsonElement> FindSimilarAsync(object request, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<JsonElement>(HttpMethod.Post, "/db/find-similar", request, options, cancellationToken);

    /// <summary><c>POST /db/recommend</c>.</summary>
    public Task<JsonElement> RecommendAsync(object request, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<JsonElement>(HttpMethod.Post, "/db/recommend", request, options, cancellationToken);

    /// <summary><c>POST /db/cluster</c>.</summary>
    public Task<JsonElement> ClusterAsync(object request, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<JsonElement>(HttpMethod.Post, "/db/cluster", request, options, cancellationToken);

    /// <summary><c>POST /db/detect-anomalies</c>.</summary>
    public Task<JsonElement> DetectAnomaliesAsync(object request, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<JsonElement>(HttpMethod.Post, "/db/detect-anomalies", request, options, cancellationToken);

    internal static string Query(string name, string? value) => value is null ? "" : $"?{name}={Uri.EscapeDataString(value)}";
}

/// <summary>Rows are objects of their columns, as JSON, so any shape of table reads without a class for it.</summary>
public sealed record DbQueryResult(bool Success, IReadOnlyList<JsonElement> Data, double ExecutionTime, string Query, bool Truncated, long Changes);

public sealed record DbInsertResult(bool Success, JsonElement? Data, string Message);

public sealed record DbChangeResult(bool Success, long Count, IReadOnlyList<JsonElement> Data, string Message, bool Truncated);

public sealed record DbTables(bool Success, IReadOnlyList<DbTable> Tables, int Count);

public sealed record DbTable(string Name, string Schema, string Type);

public sealed record DbCount(bool Success, string Table, long Count);

public sealed record DbTableSchema(bool Success, string Table, IReadOnlyList<JsonElement> Columns);
