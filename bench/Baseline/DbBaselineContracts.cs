using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baseline;

// Copies of Hatbox's /db request and answer shapes (src/Hatbox/Features/Db/DbContracts.cs).

sealed record BaselineQueryRequest(string Query, JsonElement[] Params);

sealed record BaselineQueryResponse(bool Success, List<Dictionary<string, object?>> Data, double ExecutionTime, string Query, bool Truncated);

sealed record BaselineInsertRequest(string Table, JsonElement Data);

sealed record BaselineInsertResponse(bool Success, Dictionary<string, object?> Data, string Message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BaselineQueryRequest))]
[JsonSerializable(typeof(BaselineQueryResponse))]
[JsonSerializable(typeof(BaselineInsertRequest))]
[JsonSerializable(typeof(BaselineInsertResponse))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
sealed partial class BaselineDbJsonContext : JsonSerializerContext;
