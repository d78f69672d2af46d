using System.Text.Json;
using Hatbox.Common;
using Hatbox.Common.Errors;

namespace Hatbox.Features.Db;

/// <summary>
/// The values a statement's parameters are bound to, never spliced into its text: the request's
/// <c>params</c> (an array for <c>$1</c>, <c>$2</c>…, an object for <c>{name}</c>), or the values
/// the platform binds for insert, update and delete.
/// </summary>
internal sealed class SqlParameters
{
    public static readonly SqlParameters None = new(null, default, 0);

    readonly IReadOnlyList<JsonElement>? _positional;
    readonly JsonElement _named;

    SqlParameters(IReadOnlyList<JsonElement>? positional, JsonElement named, int count)
    {
        _positional = positional;
        _named = named;
        Count = count;
    }

    public int Count { get; }

    public static SqlParameters Positional(IReadOnlyList<JsonElement> values) => new(values, default, values.Count);

    /// <summary>The request's <c>params</c>: absent, an array or an object; capped at <paramref name="max"/> values.</summary>
    public static Outcome<SqlParameters> FromRequest(JsonElement? value, int max)
    {
        switch (value)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                return None;
            case { ValueKind: JsonValueKind.Array } array:
                var values = new List<JsonElement>(Math.Min(array.GetArrayLength(), max + 1));
                foreach (var element in array.EnumerateArray())
                {
                    if (values.Count == max)
                    {
                        return DbErrors.TooManyParameters(max);
                    }
                    values.Add(element);
                }
                return Positional(values);
            case { ValueKind: JsonValueKind.Object } named:
                var count = 0;
                foreach (var _ in named.EnumerateObject())
                {
                    if (++count > max)
                    {
                        return DbErrors.TooManyParameters(max);
                    }
                }
                return new SqlParameters(null, named, count);
            default:
                return DbErrors.Invalid("params", "params must be an array (for $1, $2…) or an object (for {name}).");
        }
    }

    /// <summary>The value of <c>$number</c> (1-based), from an array of params.</summary>
    public bool TryGetPositional(int number, out JsonElement value)
    {
        value = default;
        if (_positional is null || number < 1 || number > _positional.Count)
        {
            return false;
        }
        value = _positional[number - 1];
        return true;
    }

    /// <summary>The value of <c>{name}</c>, from an object of params; names are case-sensitive.</summary>
    public bool TryGetNamed(string name, out JsonElement value)
    {
        value = default;
        return _named.ValueKind == JsonValueKind.Object && _named.TryGetProperty(name, out value);
    }

    public static ApiError MissingPositional(int number) =>
        DbErrors.Missing($"params[{number - 1}]", $"The statement uses ${number} but params has no value for it.");

    public static ApiError MissingNamed(string name) =>
        DbErrors.Missing($"params.{name}", $"The statement uses {{{name}}} but params has no value for it.");
}
