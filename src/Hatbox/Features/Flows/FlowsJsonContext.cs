using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hatbox.Features.Flows;

/// <summary>Source-generated serializers for the flows answers. Nulls are written: a run's output may be null.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FlowTriggerResponse))]
[JsonSerializable(typeof(FlowRunResponse))]
[JsonSerializable(typeof(FlowMetricsResponse))]
[JsonSerializable(typeof(FlowResponse))]
internal sealed partial class FlowsJsonContext : JsonSerializerContext;
