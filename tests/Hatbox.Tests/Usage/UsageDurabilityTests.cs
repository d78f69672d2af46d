using System.Net;
using System.Text;
using Hatbox.Data;
using Hatbox.Features.Usage;
using Hatbox.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Usage;

/// <summary>
/// Issue 17 items 3 and 18: an answered request is counted on disk before its answer leaves, and
/// the bytes metered are the bytes that went over the wire.
/// </summary>
public sealed class UsageDurabilityTests
{
    [Fact]
    public async Task EveryAnsweredRequestIsInTheFilesACrashWouldLeaveBehind()
    {
        var crashed = Directory.CreateTempSubdirectory("hatbox-usage-crash-").FullName;
        try
        {
            TestTenant tenant;
            await using (var server = await TestServer.StartAsync())
            {
                using var client = server.CreateClient();
                tenant = await TestTenant.CreateAsync(server);
                for (var i = 0; i < 5; i++)
                {
                    using var response = await AuthenticateAsync(client, tenant.ApiKey);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
                // No flush, no stop: the files as a kill -9 at this moment would leave them.
                CopyFolder(server.DataDirectory, crashed);
            }

            await using var restarted = await TestServer.StartAsync(sharedDataDirectory: crashed);
            await using var scope = restarted.Services.CreateAsyncScope();
            var statement = await scope.ServiceProvider.GetRequiredService<UsageService>()
                .StatementAsync(tenant.OrganizationId, BillingMonth.Of(DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
            Assert.Equal(5, statement!.Used);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(crashed, recursive: true);
        }
    }

    [Fact]
    public async Task EachAnsweredBilledRequestWaitedForItsOwnJournalFlush()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var journal = server.Services.GetRequiredService<UsageRecorder>().Journal;
        for (var i = 0; i < 5; i++)
        {
            // One at a time: each answer can only have been released by a flush made after its count.
            var before = journal.Syncs;
            using var response = await AuthenticateAsync(client, tenant.ApiKey);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(journal.Syncs > before, $"request {i + 1} was answered without a flush of the usage journal");
        }
    }

    [Theory]
    [InlineData("writer")] // POST /authentication: the answer is serialized while its count is flushed
    [InlineData("large")] // a /db/query answer past the bytes an answer may hold back
    [InlineData("stream")] // an idempotent /db/query: the captured answer is copied to the body stream
    public async Task NoByteOfAnAnswerLeavesWhileItsCountIsBeingFlushed(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var journal = server.Services.GetRequiredService<UsageRecorder>().Journal;
        // Once unheld first: a cold server's first answer (compiling, pinning the API version) can take longer than the wait below.
        using (var warm = await client.SendAsync(HeldRequest(path, tenant.ApiKey), ct))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }
        using var held = new ManualResetEventSlim(false);
        journal.BeforeFlush = () => held.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
        try
        {
            using var request = HeldRequest(path, tenant.ApiKey);
            // Headers read: the task completes with the answer's first bytes, not its end.
            var sending = client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var first = await Task.WhenAny(sending, Task.Delay(TimeSpan.FromMilliseconds(700), ct));
            Assert.NotSame(sending, first);
            held.Set();
            using var response = await sending;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(path != "large" || body.Length > 80_000, "the large answer is past the hold limit");
        }
        finally
        {
            journal.BeforeFlush = null;
            held.Set();
        }
    }

    static HttpRequestMessage HeldRequest(string path, string apiKey)
    {
        var request = path == "writer"
            ? new HttpRequestMessage(HttpMethod.Post, "/authentication")
            : new HttpRequestMessage(HttpMethod.Post, "/db/query")
            {
                Content = new StringContent(
                    path == "large" ? """{"query":"SELECT hex(zeroblob(41000)) AS s"}""" : """{"query":"SELECT 1 AS one"}""",
                    Encoding.UTF8, "application/json"),
            };
        // HTTP/1.1, as the SDK and wrk speak: the protocol whose answers are written while their count is flushed.
        request.Version = HttpVersion.Version11;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        request.Headers.Authorization = new("Bearer", apiKey);
        if (path == "stream")
        {
            request.Headers.Add("Idempotency-Key", "held-" + Guid.NewGuid().ToString("N"));
        }
        return request;
    }

    [Fact]
    public async Task ACrashAfterAFoldReplaysOnlyWhatTheFoldDidNotCover()
    {
        var crashed = Directory.CreateTempSubdirectory("hatbox-usage-fold-").FullName;
        var ct = TestContext.Current.CancellationToken;
        try
        {
            TestTenant tenant;
            await using (var server = await TestServer.StartAsync())
            {
                using var client = server.CreateClient();
                tenant = await TestTenant.CreateAsync(server);
                for (var i = 0; i < 5; i++)
                {
                    using var response = await AuthenticateAsync(client, tenant.ApiKey);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    if (i == 2)
                    {
                        // Three are folded into usage_daily and their segment closed; two are only in the journal.
                        await server.Services.GetRequiredService<UsageRecorder>().FlushAsync(ct);
                    }
                }
                CopyFolder(server.DataDirectory, crashed);
            }

            // Replayed once, then marked: a second start must not add the journal's two again.
            for (var start = 0; start < 2; start++)
            {
                await using var restarted = await TestServer.StartAsync(sharedDataDirectory: crashed);
                await using var scope = restarted.Services.CreateAsyncScope();
                var statement = await scope.ServiceProvider.GetRequiredService<UsageService>()
                    .StatementAsync(tenant.OrganizationId, BillingMonth.Of(DateTimeOffset.UtcNow), ct);
                Assert.Equal(5, statement!.Used);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(crashed, recursive: true);
        }
    }

    [Fact]
    public async Task BytesInAndOutAreTheBodiesThatWentOverTheWire()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var ct = TestContext.Current.CancellationToken;
        long sent = 0, received = 0;
        for (var i = 0; i < 3; i++)
        {
            using var response = await AuthenticateAsync(client, tenant.ApiKey);
            received += (await response.Content.ReadAsByteArrayAsync(ct)).Length;
        }
        var query = Encoding.UTF8.GetBytes("""{"query":"SELECT 1 AS one, 'two' AS two"}""");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/db/query") { Content = new ByteArrayContent(query) })
        {
            request.Headers.Authorization = new("Bearer", tenant.ApiKey);
            request.Content.Headers.ContentType = new("application/json");
            using var response = await client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            sent += query.Length;
            received += (await response.Content.ReadAsByteArrayAsync(ct)).Length;
        }
        // A chunked body has no Content-Length to read the size from.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/db/query") { Content = new StreamContent(new MemoryStream(query)) })
        {
            request.Headers.Authorization = new("Bearer", tenant.ApiKey);
            request.Headers.TransferEncodingChunked = true;
            request.Content.Headers.ContentType = new("application/json");
            using var response = await client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            sent += query.Length;
            received += (await response.Content.ReadAsByteArrayAsync(ct)).Length;
        }

        await server.Services.GetRequiredService<UsageRecorder>().FlushAsync(ct);
        await using var scope = server.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<HatboxDbContext>().UsageDaily.AsNoTracking()
            .Where(u => u.OrganizationId == tenant.OrganizationId).ToListAsync(ct);
        Assert.Equal(5, rows.Sum(r => r.Requests));
        Assert.Equal(sent, rows.Sum(r => r.BytesIn));
        Assert.Equal(received, rows.Sum(r => r.BytesOut));
        Assert.True(received > 0);
    }

    static async Task<HttpResponseMessage> AuthenticateAsync(HttpClient client, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication");
        request.Headers.Authorization = new("Bearer", apiKey);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal), overwrite: true);
        }
    }
}
