using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hatbox.Features.Ai.NlQuery;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NlQueryResponse))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
internal sealed partial class NlQueryJsonContext : JsonSerializerContext;
