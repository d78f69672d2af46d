using System.Net;
using System.Net.Http.Headers;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Storage;

/// <summary>
/// kill -9 in the middle of an upload: the partial file was never visible, no row points at
/// missing bytes, and the next start sweeps away what the crash left, while files that were
/// committed before it survive.
/// </summary>
public sealed class UploadCrashTests
{
    [Fact]
    public async Task AServerKilledMidUploadLeavesNoVisibleFileAndSweepsTheRemainsOnRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("hatbox-crash-").FullName;
        try
        {
            var boot = await HatboxProcess.AdminAsync(data, "admin", "bootstrap", "--email", "crash@example.test",
                "--password", "a long test password", "--org", "Crash", "--workspace", "crash");
            var apiKey = boot.GetProperty("apiKey").GetString()!;
            var folder = Path.Combine(data, "files", boot.GetProperty("workspaceId").GetString()!);

            string keptId;
            await using (var first = await HatboxProcess.StartAsync(data))
            {
                using var client = first.CreateClient();
                var storage = new StorageCalls(client, apiKey);
                keptId = (await storage.UploadOkAsync("committed before the crash"u8.ToArray(), "kept.txt")).GetProperty("id").GetString()!;

                var body = new PatternStream(20L * 1024 * 1024, pauseAfter: 2L * 1024 * 1024);
                using var abandon = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var upload = Task.Run(() => UploadAsync(client, apiKey, body, abandon.Token), ct);
                var part = await WaitForAsync(() => Directory.GetFiles(folder, "*.part").SingleOrDefault(p => new FileInfo(p).Length > 0), ct);

                await first.KillAsync();
                await abandon.CancelAsync();
                await Assert.ThrowsAnyAsync<Exception>(() => upload);

                Assert.True(File.Exists(part), "the crash should have left its partial file behind");
                Assert.False(File.Exists(part[..^".part".Length]), "a partial upload was moved into place");
            }
            // Bytes that landed without their row (a kill between the rename and the commit).
            var orphan = Path.Combine(folder, "file_orphanLeftByACrashXYZ");
            await File.WriteAllTextAsync(orphan, "no row points here", ct);

            await using var second = await HatboxProcess.StartAsync(data);
            await WaitForAsync(() => Directory.GetFiles(folder).Length == 1 ? "swept" : null, ct);

            Assert.Equal([keptId], Directory.GetFiles(folder).Select(Path.GetFileName));
            using var restarted = second.CreateClient();
            var after = new StorageCalls(restarted, apiKey);
            using var partial = await after.FetchByPathAsync("partial.bin");
            await ErrorAssert.IsErrorAsync(partial, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
            using var kept = await after.FetchByPathAsync("kept.txt");
            var url = (await StorageCalls.FileOfAsync(kept)).GetProperty("url").GetString()!;
            using var download = await after.DownloadAsync(url);
            Assert.Equal("committed before the crash", await download.Content.ReadAsStringAsync(ct));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    static async Task UploadAsync(HttpClient client, string apiKey, Stream body, CancellationToken ct)
    {
        var file = new StreamContent(body);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent { { file, "file", "partial.bin" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = form };
        request.Headers.Authorization = new("Bearer", apiKey);
        using var response = await client.SendAsync(request, ct);
    }

    static async Task<T> WaitForAsync<T>(Func<T?> probe, CancellationToken ct) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
            {
                return found;
            }
            await Task.Delay(50, ct);
        }
        throw new TimeoutException("The condition did not come true within 30 s.");
    }
}
