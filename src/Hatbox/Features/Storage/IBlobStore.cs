namespace Hatbox.Features.Storage;

/// <summary>
/// Where file bytes live (STYLE.md §8): a local folder now (<see cref="LocalFolderBlobStore"/>), an
/// S3-compatible bucket later, behind the same calls so the endpoints never change. Metadata stays
/// in the <c>stored_files</c> table, which is the commit point: a blob without a row is an orphan
/// that nobody can reach, and <see cref="OrphanSweeper"/> removes it.
/// </summary>
internal interface IBlobStore
{
    /// <summary>
    /// Stores everything <paramref name="content"/> yields under <paramref name="key"/>, reading it
    /// as a stream. When this returns the blob is complete and durable; if it throws or is
    /// cancelled, nothing is left under the key.
    /// </summary>
    Task WriteAsync(BlobKey key, Stream content, CancellationToken cancellationToken);

    /// <summary>The blob's bytes as a seekable stream (for range requests), or null if there is no such blob.</summary>
    Task<Stream?> OpenReadAsync(BlobKey key, CancellationToken cancellationToken);

    /// <summary>Removes the blob; one that is already gone is not an error.</summary>
    Task DeleteAsync(BlobKey key, CancellationToken cancellationToken);

    /// <summary>Complete blobs last written before <paramref name="writtenBefore"/>, for the orphan sweep.</summary>
    IAsyncEnumerable<BlobKey> ListAsync(DateTimeOffset writtenBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes what writes that never finished (a crash mid-upload) left behind, if they started
    /// before <paramref name="startedBefore"/>; returns how many.
    /// </summary>
    Task<int> RemoveIncompleteAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken);
}
