using System.Text.Json;
using System.Text.Json.Serialization;
using Hatbox.Common.Errors;

namespace Hatbox.Common.Binding;

/// <summary>
/// The serializer options every request body binds with. Numbers and booleans are read from
/// strings too, because a urlencoded or multipart body can only send strings.
/// </summary>
internal static class BodyJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The 400 for a value that does not fit its field, named by its JSON path.</summary>
    public static ApiError InvalidParameter(string? path)
    {
        var param = ParamFromPath(path);
        return ApiError.BadRequest(ErrorCodes.ParameterInvalid,
            param is null ? "The body does not have the expected shape." : $"The value of '{param}' is not valid here.",
            param);
    }

    /// <summary>"$.data.name" becomes "data.name"; the root itself names no parameter.</summary>
    internal static string? ParamFromPath(string? path)
    {
        var param = path switch
        {
            null => null,
            _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
            _ when path.StartsWith('$') => path[1..],
            _ => path,
        };
        return string.IsNullOrEmpty(param) ? null : param;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            Converters = { new FormBooleanConverter(), new JsonStringEnumConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
