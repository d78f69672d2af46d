using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Hatbox.Features.Db.Postgres;

/// <summary>Request values in, plain result values out (<see cref="QueryResult"/>'s long, double, string, byte[] or null).</summary>
internal static class PostgresValues
{
    /// <summary>
    /// Numbers and booleans go typed; strings, JSON objects and nulls go as <c>unknown</c>, so the
    /// server types them from where they stand, as it does a quoted literal ('42' into an integer column).
    /// </summary>
    public static NpgsqlParameter ToParameter(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var integer) => new NpgsqlParameter { Value = integer },
        JsonValueKind.Number => new NpgsqlParameter { Value = value.GetDouble() },
        JsonValueKind.True => new NpgsqlParameter { Value = true },
        JsonValueKind.False => new NpgsqlParameter { Value = false },
        JsonValueKind.String => new NpgsqlParameter { Value = value.GetString(), NpgsqlDbType = NpgsqlDbType.Unknown },
        JsonValueKind.Null or JsonValueKind.Undefined => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Unknown },
        _ => new NpgsqlParameter { Value = value.GetRawText(), NpgsqlDbType = NpgsqlDbType.Unknown },
    };

    /// <summary>Booleans answer 1/0 and times ISO 8601 text, as the SQLite engine answers them.</summary>
    public static object? FromReader(NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }
        return reader.GetValue(ordinal) switch
        {
            long value => value,
            int value => (long)value,
            short value => (long)value,
            bool value => value ? 1L : 0L,
            double value => value,
            float value => (double)value,
            decimal value => (double)value,
            string value => value,
            byte[] value => value,
            DateTime value => value.ToString("O", CultureInfo.InvariantCulture),
            DateTimeOffset value => value.ToString("O", CultureInfo.InvariantCulture),
            IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
            var value => value.ToString(),
        };
    }

    public static long SizeOf(object? value) => value switch
    {
        string text => text.Length * 2L,
        byte[] bytes => bytes.Length,
        _ => 8,
    };
}
