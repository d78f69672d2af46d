namespace Hatbox.Features.Storage;

/// <summary>Files and folders only the server's own user may read: stored files and the signing key.</summary>
internal static class OwnerOnly
{
    const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    const UnixFileMode Folder = File | UnixFileMode.UserExecute;

    /// <summary>A new file, created with mode 0600 from the start (no window with wider permissions).</summary>
    public static FileStream CreateFile(string path, FileOptions options = FileOptions.None)
    {
        var settings = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            Options = options,
        };
        if (!OperatingSystem.IsWindows())
        {
            settings.UnixCreateMode = File;
        }
        return new FileStream(path, settings);
    }

    /// <summary>The folder and any missing parents, mode 0700 where it is created.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, Folder);
        }
    }
}
