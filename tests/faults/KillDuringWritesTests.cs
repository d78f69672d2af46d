using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Hatbox.FaultTests;

/// <summary>
/// <c>kill -9</c> of a real <c>hatbox serve</c> while inserts, uploads and plain counted requests
/// run side by side, at a random moment, <see cref="Trials"/> times on one data folder. After each
/// restart: every acknowledged insert and upload is there, every database passes
/// <c>PRAGMA integrity_check</c>, and the billed requests on disk are at least every acknowledged
/// one and at most those plus the ones in flight at the kill (counted, but never answered).
/// </summary>
public sealed class KillDuringWritesTests(ITestOutputHelper output)
{
    /// <summary>20 by default; <c>FAULT_TRIALS=100</c> for the long run.</summary>
    static readonly int Trials = int.TryParse(Environment.GetEnvironmentVariable("FAULT_TRIALS"), CultureInfo.InvariantCulture, out var n) ? n : 20;

    const int Workers = 3;

    [Fact]
    public async Task NoAcknowledgedWriteUploadOrCountIsLostToAKill()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("hatbox-faults-").FullName;
        try
        {
            var tenant = await Tenant.BootstrapAsync(data);
            var numbers = new HashSet<long>();
            var uploads = new Dictionary<string, long>();
            long acknowledged = 0, inFlightAtKills = 0, next = 0;
            var random = new Random(17);
            var clock = Stopwatch.StartNew();

            for (var trial = 0; trial <= Trials; trial++)
            {
                await using var server = await ServerProcess.StartAsync(data);
                using var client = server.CreateClient();

                // What the last kill left: first the count, before this trial's own requests add to it.
                var counted = tenant.CountedRequests();
                Assert.InRange(counted, acknowledged, acknowledged + inFlightAtKills);
                // The start replayed the usage journal, so this count is exact: the requests the kill
                // left counted but unanswered are known from here on, and the check's own add to it.
                acknowledged = counted;
                tenant.AssertEveryDatabaseIsIntact();
                if (trial == 0)
                {
                    Assert.Equal(HttpStatusCode.OK, await tenant.QueryAsync(client, "CREATE TABLE acks (n INTEGER PRIMARY KEY)", ct));
                    acknowledged++;
                }
                else
                {
                    var stored = await tenant.StoredNumbersAsync(client);
                    Assert.Empty(numbers.Except(stored));
                    acknowledged++;
                    foreach (var (path, size) in uploads.Take(20).Concat(uploads.TakeLast(5)))
                    {
                        Assert.Equal(size, await tenant.FileSizeAsync(client, path));
                        acknowledged++;
                    }
                }
                inFlightAtKills = 0;
                if (trial == Trials)
                {
                    break;
                }

                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var answered = new[] { new TaskCompletionSource(), new TaskCompletionSource(), new TaskCompletionSource() };
                async Task Work(int worker, Func<Task<bool>> call)
                {
                    while (!stop.IsCancellationRequested)
                    {
                        try
                        {
                            if (await call())
                            {
                                Interlocked.Increment(ref acknowledged);
                                answered[worker].TrySetResult();
                            }
                        }
                        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
                        {
                            return; // the kill
                        }
                    }
                }
                var workers = new[]
                {
                    Work(0, async () =>
                    {
                        var n = Interlocked.Increment(ref next);
                        if (await tenant.InsertAsync(client, n, stop.Token) != HttpStatusCode.OK)
                        {
                            return false;
                        }
                        lock (numbers)
                        {
                            numbers.Add(n);
                        }
                        return true;
                    }),
                    Work(1, async () =>
                    {
                        var n = Interlocked.Increment(ref next);
                        var size = 1024 + (int)(n % 64) * 1024;
                        var path = $"faults/{n}.bin";
                        if (await tenant.UploadAsync(client, path, new ByteArrayContent(Tenant.Bytes(size, (int)n)), stop.Token) != HttpStatusCode.OK)
                        {
                            return false;
                        }
                        lock (uploads)
                        {
                            uploads[path] = size;
                        }
                        return true;
                    }),
                    Work(2, async () => await tenant.AuthenticateAsync(client, stop.Token) == HttpStatusCode.OK),
                };
                // Every kind of write under way (a cold server's first answers are slow), then a random moment.
                await Task.WhenAll(answered.Select(a => a.Task)).WaitAsync(TimeSpan.FromSeconds(60), ct);
                await Task.Delay(random.Next(500), ct);
                await server.KillAsync();
                inFlightAtKills = Workers;
                await stop.CancelAsync();
                await Task.WhenAll(workers);
            }
            output.WriteLine($"{Trials} kills in {clock.Elapsed.TotalSeconds:0} s: {numbers.Count} inserts, {uploads.Count} uploads, {acknowledged} billed requests acknowledged, none lost");
            Assert.True(numbers.Count > 0 && uploads.Count > 0, $"The trials wrote nothing before the kills: {tenant.LastFailure}");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
