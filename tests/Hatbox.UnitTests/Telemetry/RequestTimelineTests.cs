using Hatbox.Features.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Hatbox.UnitTests.Telemetry;

public sealed class RequestTimelineTests
{
    static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public void RequestsLandInTheirMinuteAndSpansStartOnRoundTimes()
    {
        var time = new FakeTimeProvider(Noon);
        using var timeline = new RequestTimeline(time);
        timeline.Record(0.001, error: false);
        time.Advance(TimeSpan.FromMinutes(1));
        timeline.Record(0.002, error: true);
        timeline.Record(0.002, error: false);

        var hour = timeline.Read(60, 1);
        Assert.Equal(60, hour.Count);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 12, 1, 0, TimeSpan.Zero), hour[^1].Start);
        Assert.Equal((2, 1), (hour[^1].Requests, hour[^1].Errors));
        Assert.Equal((1, 0), (hour[^2].Requests, hour[^2].Errors));
        Assert.All(hour.Take(58), p => Assert.Null(p.P50Seconds));

        var day = timeline.Read(96, 15);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero), day[^1].Start);
        Assert.Equal(3, day[^1].Requests);
    }

    [Fact]
    public void PercentilesAreWithinTheBucketsWidth()
    {
        var time = new FakeTimeProvider(Noon);
        using var timeline = new RequestTimeline(time);
        for (var i = 1; i <= 100; i++)
        {
            timeline.Record(i / 1000.0, error: false);
        }

        var point = timeline.Read(1, 1)[0];
        Assert.InRange(point.P50Seconds!.Value, 0.050 * 0.88, 0.050 * 1.12);
        Assert.InRange(point.P95Seconds!.Value, 0.095 * 0.88, 0.095 * 1.12);
    }

    [Fact]
    public void AMinuteADayOldIsClearedWhenItsBucketIsUsedAgain()
    {
        var time = new FakeTimeProvider(Noon);
        using var timeline = new RequestTimeline(time);
        timeline.Record(0.001, error: true);
        time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(0, timeline.Read(1, 1)[0].Requests);
        timeline.Record(0.001, error: false);
        Assert.Equal((1, 0), (timeline.Read(1, 1)[0].Requests, timeline.Read(1, 1)[0].Errors));
    }
}
