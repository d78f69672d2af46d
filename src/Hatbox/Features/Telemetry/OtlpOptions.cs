using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Telemetry;

/// <summary>Traces over OTLP. With no <see cref="Endpoint"/> nothing is traced and nothing is paid.</summary>
internal sealed class OtlpOptions
{
    public const string SectionName = "Telemetry:Otlp";

    /// <summary>The collector, e.g. <c>http://127.0.0.1:4318</c> (OTLP/HTTP: <c>/v1/traces</c> is added when the path is empty).</summary>
    [Url] public string? Endpoint { get; set; }

    /// <summary><c>http/protobuf</c> (default) or <c>grpc</c>.</summary>
    [RegularExpression("^(http/protobuf|grpc)$")] public string Protocol { get; set; } = "http/protobuf";

    /// <summary>Name the spans carry as <c>service.name</c>.</summary>
    [Required] public string ServiceName { get; set; } = "hatbox";
}
