using System.Runtime.InteropServices;

namespace Hatbox.Hosting;

/// <summary>
/// Makes every file and folder the process creates private to its user (0600 files, 0700 folders):
/// the platform database and its WAL and journal, tenant databases, outbox e-mails, Data Protection
/// keys. SQLite and the framework create those files themselves, with the process umask, so the umask
/// is the one place that covers them all, from the first byte (no window with wider permissions).
/// </summary>
internal static partial class PrivateFileCreation
{
    const int OwnerOnlyMask = 0b000_111_111; // 077: no bits for group and others

    public static void Apply()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = SetUmask(OwnerOnlyMask);
        }
    }

    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetUmask(int mask);
}
