using System.Diagnostics.Metrics;

namespace Hatbox.Features.Telemetry;

/// <summary>
/// The portal's server dashboard: listens to <see cref="HatboxMetrics.RequestDuration"/> in process
/// and keeps the last day in one-minute buckets (requests, 5xx errors, a latency histogram), so
/// the page draws from the same measurements the exporter serves. Nothing is stored: a restart
/// starts an empty day.
/// </summary>
internal sealed class RequestTimeline : IDisposable
{
    public const int Minutes = 24 * 60;

    readonly MeterListener _listener = new();
    readonly TimeProvider _time;
    readonly MinuteBucket[] _buckets = new MinuteBucket[Minutes];

    public RequestTimeline(TimeProvider time)
    {
        _time = time;
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new MinuteBucket();
        }
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument, HatboxMetrics.RequestDuration))
            {
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<double>(static (_, seconds, tags, state) =>
            ((RequestTimeline)state!).Record(seconds, IsError(tags)));
        _listener.Start();
    }

    static long MinuteOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 60;

    internal void Record(double seconds, bool error)
    {
        var minute = MinuteOf(_time.GetUtcNow());
        _buckets[minute % Minutes].Add(minute, seconds, error);
    }

    static bool IsError(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "hatbox.status_class")
            {
                return tag.Value is "5xx";
            }
        }
        return false;
    }

    /// <summary>
    /// <paramref name="points"/> spans of <paramref name="minutesPerPoint"/> minutes, oldest first, the
    /// last one holding the current minute. Spans start on whole multiples of their length (12:00,
    /// 12:15), so the chart's time labels are round.
    /// </summary>
    public IReadOnlyList<TimelinePoint> Read(int points, int minutesPerPoint)
    {
        var now = MinuteOf(_time.GetUtcNow());
        var first = now - (now % minutesPerPoint) - ((points - 1) * minutesPerPoint);
        var result = new List<TimelinePoint>(points);
        var histogram = new long[LatencyBuckets.Count];
        for (var point = 0; point < points; point++)
        {
            Array.Clear(histogram);
            long requests = 0, errors = 0;
            var start = first + (point * minutesPerPoint);
            for (var minute = start; minute < start + minutesPerPoint; minute++)
            {
                var (count, failed) = _buckets[minute % Minutes].AddTo(minute, histogram);
                requests += count;
                errors += failed;
            }
            result.Add(new TimelinePoint(DateTimeOffset.FromUnixTimeSeconds(start * 60), requests, errors,
                LatencyBuckets.Percentile(histogram, requests, 0.50), LatencyBuckets.Percentile(histogram, requests, 0.95)));
        }
        return result;
    }

    public void Dispose() => _listener.Dispose();

    sealed class MinuteBucket
    {
        readonly Lock _gate = new();
        readonly long[] _latency = new long[LatencyBuckets.Count];
        long _minute = -1;
        long _requests;
        long _errors;

        public void Add(long minute, double seconds, bool error)
        {
            if (Volatile.Read(ref _minute) != minute)
            {
                // The bucket last held the same minute a day ago: the first request of the new minute clears it.
                lock (_gate)
                {
                    if (_minute != minute)
                    {
                        Array.Clear(_latency);
                        _requests = 0;
                        _errors = 0;
                        Volatile.Write(ref _minute, minute);
                    }
                }
            }
            Interlocked.Increment(ref _latency[LatencyBuckets.IndexOf(seconds)]);
            Interlocked.Increment(ref _requests);
            if (error)
            {
                Interlocked.Increment(ref _errors);
            }
        }

        public (long Requests, long Errors) AddTo(long minute, long[] histogram)
        {
            if (Volatile.Read(ref _minute) != minute)
            {
                return (0, 0);
            }
            for (var i = 0; i < histogram.Length; i++)
            {
                histogram[i] += Volatile.Read(ref _latency[i]);
            }
            return (Volatile.Read(ref _requests), Volatile.Read(ref _errors));
        }
    }
}

/// <summary>One point of the dashboard: requests and 5xx errors in its span, latency percentiles in seconds (null with no requests).</summary>
internal sealed record TimelinePoint(DateTimeOffset Start, long Requests, long Errors, double? P50Seconds, double? P95Seconds);
