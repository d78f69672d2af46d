namespace Hatbox.Features.Db;

/// <summary>
/// What a statement may still add to storage while it runs: an engine limits the statement to
/// <see cref="RemainingBytes"/> (SQLite: <c>max_page_count</c> on the writer) and reports what it
/// actually added, so the next statement's allowance is smaller by that much without a new
/// measurement of the disk.
/// </summary>
internal interface IStorageAllowance
{
    /// <summary>Bytes the organization's plan has left, never negative.</summary>
    long RemainingBytes();

    /// <summary>The statement grew the database by <paramref name="bytes"/> (negative when it shrank).</summary>
    void Grew(long bytes);
}
