using System.Text.Json;
using System.Text.Json.Serialization;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Health;

namespace Hatbox.Common.Json;

/// <summary>Source-generated serializers for the hot and shared response shapes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ServerInfoResponse))]
[JsonSerializable(typeof(AuthenticationResponse))]
internal sealed partial class HatboxJsonContext : JsonSerializerContext;
