using System.Diagnostics;
using System.Net;

namespace Hatbox.FaultTests;

/// <summary>
/// Issue 17 item 4: SIGTERM while a slow query and an upload are in flight. Both finish with their
/// answers, the process exits 0 (not 143 after the command line's old 2 s), and their usage is counted.
/// </summary>
public sealed class GracefulStopTests
{
    /// <summary>About two seconds of SQLite work on the test machine, well inside the drain time.</summary>
    const string SlowQuery = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000000) SELECT count(*) AS c FROM n";

    [Fact]
    public async Task SigtermLetsASlowQueryAndAnUploadFinishThenExitsZeroWithTheirUsageCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("hatbox-stop-").FullName;
        try
        {
            var tenant = await Tenant.BootstrapAsync(data);
            await using var server = await ServerProcess.StartAsync(data, ("HATBOX__Db__QueryTimeoutMilliseconds", "60000"));
            using var client = server.CreateClient();
            Assert.Equal(HttpStatusCode.OK, await tenant.AuthenticateAsync(client, ct));

            var clock = Stopwatch.StartNew();
            var query = tenant.QueryAsync(client, SlowQuery, ct);
            var body = new SlowStream(totalBytes: 2 * 1024 * 1024, chunk: 64 * 1024, pause: TimeSpan.FromMilliseconds(100));
            var upload = tenant.UploadAsync(client, "stop/slow.bin", new StreamContent(body), ct);
            await body.Started.WaitAsync(TimeSpan.FromSeconds(30), ct);
            await Task.Delay(300, ct);
            Assert.False(query.IsCompleted, "the query finished before the stop; make it slower");
            Assert.False(upload.IsCompleted, "the upload finished before the stop");

            server.Terminate();

            Assert.Equal(HttpStatusCode.OK, await query);
            Assert.Equal(HttpStatusCode.OK, await upload);
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.True(clock.Elapsed > TimeSpan.FromSeconds(2), "the stop came after the requests, not before them");
            // authentication, query and upload: all three answered, all three on disk.
            Assert.Equal(3, tenant.CountedRequests());
            tenant.AssertEveryDatabaseIsIntact();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>An upload body that arrives slowly, in chunks, and says when it has begun.</summary>
    sealed class SlowStream(long totalBytes, int chunk, TimeSpan pause) : Stream
    {
        long _sent;
        readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => totalBytes;
        public override long Position { get => _sent; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent >= totalBytes)
            {
                return 0;
            }
            if (_sent > 0)
            {
                await Task.Delay(pause, cancellationToken);
            }
            var count = (int)Math.Min(Math.Min(chunk, buffer.Length), totalBytes - _sent);
            buffer.Span[..count].Fill((byte)'x');
            _sent += count;
            _started.TrySetResult();
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
