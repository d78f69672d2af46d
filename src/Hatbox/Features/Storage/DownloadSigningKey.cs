using System.Security.Cryptography;
using Hatbox.Common;

namespace Hatbox.Features.Storage;

/// <summary>
/// The secret behind signed download URLs: <c>Storage:UrlSigningKey</c> when configured (every
/// node of a cluster needs the same one), else a key the server makes for itself in its data folder.
/// </summary>
internal sealed class DownloadSigningKey(byte[] bytes)
{
    public const int MinimumBytes = 32;

    public byte[] Bytes { get; } = bytes;

    public static byte[]? Decode(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), bytes, out var length) && length >= MinimumBytes ? bytes[..length] : null;
    }

    /// <summary>
    /// Reads the key file, creating it on first run: 32 random bytes, base64 (so an operator can copy
    /// it into configuration), readable by the owner only. A key file that exists is never replaced,
    /// since that would break every URL already handed out.
    /// </summary>
    public static DownloadSigningKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Create(path);
        }
        return new DownloadSigningKey(Decode(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"{path} does not hold a base64 key of at least {MinimumBytes} bytes."));
    }

    static void Create(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        OwnerOnly.CreateFolder(folder);
        using (var file = OwnerOnly.CreateFile(temporary))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes)));
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        try
        {
            // Without overwrite: if another process made the key first, theirs wins and ours goes.
            File.Move(temporary, path, overwrite: false);
            DiskSync.FlushDirectory(folder);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}
