using Hatbox.Common.Errors;

namespace Hatbox.Common;

/// <summary>A service answer: a value, or the error the caller should see. Expected failures are values, not exceptions.</summary>
internal readonly record struct Outcome<T>(T? Value, ApiError? Error)
{
    public bool Succeeded => Error is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ApiError error) => new(default, error);
}
