namespace Hatbox.Features.Ai.NlQuery;

/// <summary>Names from the schema as SQL identifiers: double quotes, which SQLite and PostgreSQL both read.</summary>
internal static class SqlNames
{
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
