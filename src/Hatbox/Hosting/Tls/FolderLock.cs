namespace Hatbox.Hosting.Tls;

/// <summary>An exclusive lock file (flock on Unix) held while a process makes the folder's authority.</summary>
internal static class FolderLock
{
    public static FileStream Acquire(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(50);
            }
        }
    }
}
