namespace Hatbox.Common;

/// <summary>
/// A management list (STYLE.md §4): <c>{ "items": [...], "nextCursor": "..." }</c>. The cursor is
/// opaque to clients and null on the last page.
/// </summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
