using System.Buffers;
using Hatbox.Common;

namespace Hatbox.Features.Storage;

/// <summary>
/// Blobs as files: <c>{root}/{workspaceId}/{fileId}</c>, owner-only. A write goes to
/// <c>{fileId}.part</c> in the same folder, is flushed to disk, renamed into place (atomic within
/// a folder) and the folder flushed too, so a crash at any point leaves either no file or the
/// whole one; a <c>.part</c> is never read.
/// </summary>
internal sealed class LocalFolderBlobStore : IBlobStore
{
    const string PartSuffix = ".part";
    // Large writes keep syscalls few; ten parallel uploads hold 2.5 MiB of buffers between them.
    const int CopyBufferBytes = 256 * 1024;

    readonly string _root;

    public LocalFolderBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        OwnerOnly.CreateFolder(_root);
    }

    public async Task WriteAsync(BlobKey key, Stream content, CancellationToken cancellationToken)
    {
        var folder = WorkspaceFolder(key, create: true);
        var final = Path.Combine(folder, key.BlobId);
        var part = final + PartSuffix;
        var moved = false;
        try
        {
            await using (var file = OwnerOnly.CreateFile(part, FileOptions.Asynchronous))
            {
                await CopyAsync(content, file, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(part, final, overwrite: false);
            moved = true;
            DiskSync.FlushDirectory(folder);
        }
        catch
        {
            // Whatever failed (the client, the size cap, the disk), nothing stays behind.
            File.Delete(part);
            if (moved)
            {
                File.Delete(final);
            }
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(BlobKey key, CancellationToken cancellationToken)
    {
        try
        {
            // FileShare.Delete: a delete during a download unlinks the name; the download finishes.
            Stream stream = new FileStream(Path.Combine(WorkspaceFolder(key, create: false), key.BlobId), FileMode.Open,
                FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(BlobKey key, CancellationToken cancellationToken)
    {
        var folder = WorkspaceFolder(key, create: false);
        if (Directory.Exists(folder))
        {
            File.Delete(Path.Combine(folder, key.BlobId));
        }
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<BlobKey> ListAsync(DateTimeOffset writtenBefore, CancellationToken cancellationToken) =>
        Files(writtenBefore, complete: true).Select(f => f.Key).ToAsyncEnumerable();

    public Task<int> RemoveIncompleteAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var (_, path) in Files(startedBefore, complete: false))
        {
            File.Delete(path);
            removed++;
        }
        return Task.FromResult(removed);
    }

    /// <summary>Files named like ours, last written before the cutoff: complete blobs, or <c>.part</c> leftovers.</summary>
    IEnumerable<(BlobKey Key, string Path)> Files(DateTimeOffset writtenBefore, bool complete)
    {
        foreach (var folder in new DirectoryInfo(_root).EnumerateDirectories())
        {
            foreach (var file in folder.EnumerateFiles())
            {
                var name = file.Name;
                if (!complete)
                {
                    if (!name.EndsWith(PartSuffix, StringComparison.Ordinal))
                    {
                        continue;
                    }
                    name = name[..^PartSuffix.Length];
                }
                if (BlobKey.IsValid(folder.Name, name) && file.LastWriteTimeUtc < writtenBefore.UtcDateTime)
                {
                    yield return (new BlobKey(folder.Name, name), file.FullName);
                }
            }
        }
    }

    string WorkspaceFolder(BlobKey key, bool create)
    {
        if (!BlobKey.IsValid(key.WorkspaceId, key.BlobId))
        {
            throw new ArgumentException("Blob keys are ids.", nameof(key));
        }
        var folder = Path.Combine(_root, key.WorkspaceId);
        if (create && !Directory.Exists(folder))
        {
            OwnerOnly.CreateFolder(folder);
            // The new folder's own entry must be on disk before a file in it can be.
            DiskSync.FlushDirectory(_root);
        }
        return folder;
    }

    /// <summary>
    /// Fills a large buffer before each write (a multipart section yields a few KiB per read), and
    /// starts each 8 MiB on its way to disk as soon as it is written.
    /// </summary>
    static async Task CopyAsync(Stream source, FileStream destination, CancellationToken cancellationToken)
    {
        const long WritebackBytes = 8 * 1024 * 1024;
        var handle = destination.SafeFileHandle;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        long written = 0, handedToDisk = 0;
        try
        {
            while (true)
            {
                var filled = 0;
                int read;
                while (filled < buffer.Length && (read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
                {
                    filled += read;
                }
                if (filled > 0)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
                    written += filled;
                }
                if (written - handedToDisk >= WritebackBytes)
                {
                    DiskSync.StartWriteback(handle, handedToDisk, written - handedToDisk);
                    handedToDisk = written;
                }
                if (filled < buffer.Length)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
