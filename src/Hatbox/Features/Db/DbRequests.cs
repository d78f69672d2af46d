using System.Text.Json;
using Hatbox.Common;

namespace Hatbox.Features.Db;

/// <summary>Checks shared by the /db endpoints, so each refuses a bad request the same way.</summary>
internal static class DbRequests
{
    /// <summary>The body's <c>environment</c>, else the query string's, else production.</summary>
    public static Outcome<DbEnvironment> Environment(string? fromBody, HttpRequest request)
    {
        var value = fromBody ?? request.Query[DbEnvironments.ParameterName].ToString();
        return DbEnvironments.TryParse(value, out var environment) ? environment : DbErrors.InvalidEnvironment();
    }

    public static Outcome<string> Table(string? table) =>
        string.IsNullOrWhiteSpace(table) ? DbErrors.Missing("table", "Name the table in table.") : table;

    /// <summary>
    /// <c>data</c> or <c>where</c>: an object of column values. An array is a bulk request
    /// (seed S4: one object per request); <paramref name="allowEmpty"/> is false where an empty
    /// object would mean every row.
    /// </summary>
    public static Outcome<IReadOnlyList<ColumnValue>> Columns(JsonElement? map, string param, bool allowEmpty, int maxColumns)
    {
        switch (map)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                return DbErrors.Missing(param, $"{param} is required: an object of column values.");
            case { ValueKind: JsonValueKind.Array }:
                return DbErrors.Bulk(param);
            case { ValueKind: not JsonValueKind.Object }:
                return DbErrors.Invalid(param, $"{param} must be an object of column values.");
        }
        var columns = new List<ColumnValue>();
        foreach (var property in map.Value.EnumerateObject())
        {
            if (columns.Count == maxColumns)
            {
                return DbErrors.Invalid(param, $"{param} may name at most {maxColumns} columns.");
            }
            columns.Add(new ColumnValue(property.Name, property.Value, $"{param}.{property.Name}"));
        }
        return columns.Count == 0 && !allowEmpty
            ? DbErrors.Invalid(param, $"{param} must name at least one column; changing every row is not allowed.")
            : columns;
    }
}
