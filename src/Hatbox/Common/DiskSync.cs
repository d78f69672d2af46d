using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Hatbox.Common;

/// <summary>
/// Two disk calls .NET does not offer, from libc: fsync on a directory, which makes a rename or a
/// new entry in it survive power loss (dotnet/runtime#28169: File.OpenHandle refuses directories),
/// and Linux's sync_file_range, which starts writing a file's pages out while it is still arriving.
/// Used by stored files and tenant databases alike.
/// </summary>
internal static class DiskSync
{
    const int ReadOnly = 0; // O_RDONLY, the same on Linux and macOS.
    const uint StartWrite = 2; // SYNC_FILE_RANGE_WRITE: start writeback, do not wait for it.

    public static void FlushDirectory(string directory)
    {
        // NTFS journals its metadata, so a completed rename is already durable there.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open a folder to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Could not flush a folder to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>
    /// Creates a folder and any missing parents, mode 0700 where created, and flushes the parent
    /// of each one it created, top down: a file fsynced inside it (a database's WAL, say) is then
    /// on disk with every folder above it, not only with its own folder's entry.
    /// </summary>
    public static void CreateFolder(string path)
    {
        var missing = new Stack<string>();
        for (var folder = Path.GetFullPath(path); !Directory.Exists(folder); folder = Path.GetDirectoryName(folder)!)
        {
            missing.Push(folder);
        }
        while (missing.TryPop(out var folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            FlushDirectory(Path.GetDirectoryName(folder)!);
        }
    }

    /// <summary>
    /// Asks Linux to start writing a just-written range to disk without waiting. The final fsync
    /// then waits for the tail only, so receiving and writing overlap instead of taking turns (a
    /// 50 MB upload otherwise spends its last half second flushing). Elsewhere, and on failure,
    /// it does nothing: the fsync at the end is what makes the file durable either way.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(file, offset, count, StartWrite);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    static extern int Close(int descriptor);

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    static extern int SyncFileRange(SafeFileHandle descriptor, long offset, long count, uint flags);
}
