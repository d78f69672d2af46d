using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Hatbox.Features.Db;

namespace Hatbox.Features.Ai.Index;

/// <summary>What of a row is embedded: its text columns as <c>column: value</c> lines.</summary>
internal static class RowText
{
    /// <summary>Columns whose declared type gives SQLite's TEXT affinity (or PostgreSQL's text types).</summary>
    public static bool IsTextType(string type)
    {
        var upper = type.ToUpperInvariant();
        return upper.Contains("CHAR", StringComparison.Ordinal) || upper.Contains("CLOB", StringComparison.Ordinal)
            || upper.Contains("TEXT", StringComparison.Ordinal) || upper.Contains("JSON", StringComparison.Ordinal);
    }

    public static bool IsIntegerType(string type) => type.Contains("INT", StringComparison.OrdinalIgnoreCase);

    public static string[] DefaultColumns(IReadOnlyList<DbColumnInfo> columns) =>
        [.. columns.Where(c => IsTextType(c.Type)).Select(c => c.Name)];

    public static string Value(object? value) => value switch
    {
        null => "",
        string text => text,
        long integer => integer.ToString(CultureInfo.InvariantCulture),
        double real => real.ToString("R", CultureInfo.InvariantCulture),
        byte[] => "",
        _ => value.ToString() ?? "",
    };

    public static string Join(IReadOnlyList<(string Column, string Text)> fields)
    {
        var builder = new StringBuilder();
        foreach (var (column, text) in fields)
            builder.Append(column).Append(": ").Append(text).Append('\n');
        return builder.ToString();
    }

    /// <summary>The model is part of the hash: a new model makes every row look changed, so it is re-embedded.</summary>
    public static byte[] Hash(string model, string text) =>
        XxHash128.Hash(Encoding.UTF8.GetBytes(model + "\u0001" + text));
}
