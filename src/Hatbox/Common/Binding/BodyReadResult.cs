using System.Text.Json.Nodes;
using Hatbox.Common.Errors;

namespace Hatbox.Common.Binding;

/// <summary>A body read as one JSON object, or the error to answer with: exactly one is set.</summary>
internal readonly record struct BodyReadResult(JsonObject? Body, ApiError? Error)
{
    public static BodyReadResult Ok(JsonObject body) => new(body, null);

    public static BodyReadResult Fail(ApiError error) => new(null, error);

    public static BodyReadResult Empty() => Ok([]);
}
