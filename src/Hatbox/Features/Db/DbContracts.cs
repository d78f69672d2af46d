using System.Text.Json;

namespace Hatbox.Features.Db;

// The official SDK's db.ts and tables.ts (worqhat 3.14.0) name these fields; they are copied exactly.

/// <summary><c>POST /db/query</c>: one statement, <c>{name}</c> or <c>$1</c> parameters bound from <c>params</c>.</summary>
internal sealed record DbQueryRequest(string? Query, JsonElement? Params, string? Environment);

/// <summary><c>POST /db/insert</c>: one record; <c>data</c> is an object.</summary>
internal sealed record DbInsertRequest(string? Table, JsonElement? Data, string? Environment);

/// <summary><c>PUT /db/update</c>: <c>where</c> is a map of column equalities, required and non-empty.</summary>
internal sealed record DbUpdateRequest(string? Table, JsonElement? Data, JsonElement? Where, string? Environment);

/// <summary><c>DELETE /db/delete</c>: <c>where</c> as for update.</summary>
internal sealed record DbDeleteRequest(string? Table, JsonElement? Where, string? Environment);

/// <summary>
/// The rows, the time the database took in milliseconds, and the statement as sent.
/// <c>truncated</c> and <c>changes</c> are ours (the SDK has no such fields): true when rows were cut at
/// the cap; the rows an INSERT, UPDATE or DELETE affected (0 for reads).
/// </summary>
internal sealed record DbQueryResponse(bool Success, QueryResult Data, double ExecutionTime, string Query, bool Truncated, long Changes);

internal sealed record DbInsertResponse(bool Success, QueryRow? Data, string Message);

/// <summary>Update and delete: how many rows changed, and those rows (cut at the row cap like a query's).</summary>
internal sealed record DbChangeResponse(bool Success, long Count, QueryResult Data, string Message, bool Truncated);

internal sealed record DbTablesResponse(bool Success, IReadOnlyList<DbTableInfo> Tables, int Count);

/// <summary>
/// A table as the catalog lists it. <c>schema</c> is always <c>public</c>: a tenant sees one
/// namespace on every engine, named as on the PostgreSQL that WorqHat runs.
/// </summary>
internal sealed record DbTableInfo(string Name, string Schema, string Type);

internal sealed record DbCountResponse(bool Success, string Table, long Count);

internal sealed record DbSchemaResponse(bool Success, string Table, IReadOnlyList<DbColumnInfo> Columns);

internal sealed record DbColumnInfo(string Name, string Type, bool Nullable, string? Default, bool IsPrimaryKey);
