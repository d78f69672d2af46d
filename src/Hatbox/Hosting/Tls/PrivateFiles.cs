namespace Hatbox.Hosting.Tls;

/// <summary>
/// Writes the authority's files: keys readable by the owner only (0600) from the moment they exist,
/// and every file through a rename, so a node that reads at the same time never sees half a file.
/// </summary>
internal static class PrivateFiles
{
    public static void WriteKey(string path, string pem) => Write(path, pem, ownerOnly: true);

    public static void WritePublic(string path, string pem) => Write(path, pem, ownerOnly: false);

    static void Write(string path, string contents, bool ownerOnly)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = ownerOnly
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
