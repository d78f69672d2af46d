using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Storage;

namespace Hatbox.Tests.Foundation;

/// <summary>Everything the server writes under its data folder is readable by its own user only.</summary>
public sealed class DataFileModeTests
{
    const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ThePlatformDatabaseItsWalTenantDatabasesFilesAndKeysAreOwnerOnly()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var db = new DbClient(client, tenant.ApiKey);
        await db.QueryOkAsync("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
        await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "notes", data = new { body = "private" } });
        await new StorageCalls(client, tenant.ApiKey).UploadOkAsync([1, 2, 3], "private.txt");

        var entries = Directory.GetFileSystemEntries(server.DataDirectory, "*", SearchOption.AllDirectories);

        Assert.Contains(entries, e => e.EndsWith("hatbox.db", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EndsWith("hatbox.db-wal", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EndsWith("production.db", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains($"files{Path.DirectorySeparatorChar}{tenant.WorkspaceId}", StringComparison.Ordinal));
        var open = entries.Where(e => (File.GetUnixFileMode(e) & GroupOrOthers) != 0)
            .Select(e => $"{Path.GetRelativePath(server.DataDirectory, e)} {File.GetUnixFileMode(e)}").ToList();
        Assert.True(open.Count == 0, "Readable by others: " + string.Join(", ", open));
    }
}
