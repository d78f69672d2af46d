namespace Hatbox.Common.Binding;

/// <summary>
/// Caps on a request body's shape, so a hostile body ends in a quick 400 instead of slow parsing.
/// Register one as a singleton to override the defaults. Lengths are UTF-8 bytes after decoding.
/// </summary>
internal sealed record BodyLimits
{
    public static BodyLimits Default { get; } = new();

    /// <summary>Nested objects and arrays, the root object included (the same count for JSON and forms).</summary>
    public int MaxDepth { get; init; } = 16;

    /// <summary>Key/value pairs in a form or multipart body.</summary>
    public int MaxFields { get; init; } = 1000;

    /// <summary>The highest index a form key may name, as in <c>items[1000]</c>.</summary>
    public int MaxArrayIndex { get; init; } = 1000;

    public int MaxKeyLength { get; init; } = 256;

    /// <summary>A urlencoded body, or the text fields of a multipart body together.</summary>
    public int MaxFormBytes { get; init; } = 1024 * 1024;

    public int MaxValueLength { get; init; } = 1024 * 1024;
}
