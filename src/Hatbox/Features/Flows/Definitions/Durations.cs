using System.Globalization;
using System.Text.Json;

namespace Hatbox.Features.Flows.Definitions;

/// <summary><c>"500ms"</c>, <c>"2s"</c>, <c>"5m"</c>, <c>"1h"</c>, or a number of seconds (the schema checks the shape).</summary>
internal static class Durations
{
    public static TimeSpan? Parse(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return TimeSpan.FromSeconds(Math.Min(value.GetDouble(), TimeSpan.FromDays(365).TotalSeconds));
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var text = value.GetString()!;
        var unit = text.EndsWith("ms", StringComparison.Ordinal) ? "ms" : text[^1..];
        if (!long.TryParse(text.AsSpan(0, text.Length - unit.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }
        return unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => null,
        };
    }
}
