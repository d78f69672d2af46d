using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hatbox.Common.Binding;

/// <summary>
/// Reads a boolean from JSON <c>true</c>/<c>false</c> or, because form fields are always
/// strings, from exactly "true" or "false". Anything looser ("1", "on", "True") is refused
/// rather than guessed.
/// </summary>
internal sealed class FormBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when reader.ValueTextEquals("true"u8) => true,
        JsonTokenType.String when reader.ValueTextEquals("false"u8) => false,
        _ => throw new JsonException("Expected true or false."),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
        writer.WriteBooleanValue(value);
}
