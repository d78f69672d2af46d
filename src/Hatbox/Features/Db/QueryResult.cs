using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hatbox.Features.Db;

/// <summary>
/// What a statement answered, whatever the engine: column names and rows of plain values
/// (<see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <c>byte[]</c> or null).
/// Serialized as the SDK's <c>data</c>: an array of objects keyed by column name.
/// </summary>
[JsonConverter(typeof(QueryRowsJsonConverter))]
internal sealed class QueryResult(string[] columns)
{
    JsonEncodedText?[]? _names;

    public string[] Columns { get; } = columns;

    public List<object?[]> Rows { get; } = [];

    /// <summary>Rows were left out to stay within the row or size cap.</summary>
    public bool Truncated { get; set; }

    /// <summary>Rows the statement inserted, updated or deleted.</summary>
    public long Changes { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>
    /// Each column's encoded name, or null for a column that a later one of the same name hides:
    /// a row is a JSON object, and like node-postgres the last of equal names wins.
    /// </summary>
    internal JsonEncodedText?[] EncodedNames => _names ??= EncodeNames(Columns);

    static JsonEncodedText?[] EncodeNames(string[] columns)
    {
        var names = new JsonEncodedText?[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var hidden = false;
            for (var later = i + 1; later < columns.Length && !hidden; later++)
            {
                hidden = string.Equals(columns[i], columns[later], StringComparison.Ordinal);
            }
            names[i] = hidden ? null : JsonEncodedText.Encode(columns[i]);
        }
        return names;
    }
}

/// <summary>One row of a <see cref="QueryResult"/>, serialized as an object (insert answers the stored row).</summary>
[JsonConverter(typeof(QueryRowJsonConverter))]
internal sealed record QueryRow(QueryResult Result, int Index);

internal sealed class QueryRowsJsonConverter : JsonConverter<QueryResult>
{
    public override QueryResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Query results are only written.");

    public override void Write(Utf8JsonWriter writer, QueryResult value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        for (var i = 0; i < value.Rows.Count; i++)
        {
            QueryRowJsonConverter.WriteRow(writer, value, i);
        }
        writer.WriteEndArray();
    }
}

internal sealed class QueryRowJsonConverter : JsonConverter<QueryRow>
{
    public override QueryRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Query results are only written.");

    public override void Write(Utf8JsonWriter writer, QueryRow value, JsonSerializerOptions options) =>
        WriteRow(writer, value.Result, value.Index);

    internal static void WriteRow(Utf8JsonWriter writer, QueryResult result, int index)
    {
        var names = result.EncodedNames;
        var row = result.Rows[index];
        writer.WriteStartObject();
        for (var column = 0; column < names.Length; column++)
        {
            if (names[column] is not { } name)
            {
                continue;
            }
            writer.WritePropertyName(name);
            WriteValue(writer, row[column]);
        }
        writer.WriteEndObject();
    }

    static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case long integer:
                writer.WriteNumberValue(integer);
                break;
            // SQLite stores ±Infinity (1e999) but JSON has no such number.
            case double real when double.IsFinite(real):
                writer.WriteNumberValue(real);
                break;
            case double real:
                writer.WriteStringValue(real > 0 ? "Infinity" : "-Infinity");
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case byte[] blob:
                writer.WriteBase64StringValue(blob);
                break;
            default:
                throw new InvalidOperationException($"Unexpected value type {value.GetType().Name} in a query result.");
        }
    }
}
