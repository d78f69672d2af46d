using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hatbox.Features.Db;

/// <summary>
/// Source-generated serializers for the /db answers. Nulls are written, not dropped: a column's
/// <c>default</c> is <c>null</c> in the SDK's schema answer, and a row's NULL is a value.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DbQueryResponse))]
[JsonSerializable(typeof(DbInsertResponse))]
[JsonSerializable(typeof(DbChangeResponse))]
[JsonSerializable(typeof(DbTablesResponse))]
[JsonSerializable(typeof(DbCountResponse))]
[JsonSerializable(typeof(DbSchemaResponse))]
[JsonSerializable(typeof(string))]
internal sealed partial class DbJsonContext : JsonSerializerContext;
