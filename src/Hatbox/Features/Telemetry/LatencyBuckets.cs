namespace Hatbox.Features.Telemetry;

/// <summary>
/// Exponential latency buckets for the dashboard: from 50 µs, each 25% wider than the last, up to
/// about 80 s, so a percentile read from them is within 12% of the true value.
/// </summary>
internal static class LatencyBuckets
{
    public const int Count = 64;
    const double Smallest = 50e-6;
    const double Growth = 1.25;
    static readonly double LogGrowth = Math.Log(Growth);

    public static int IndexOf(double seconds) =>
        seconds <= Smallest ? 0 : Math.Min(Count - 1, 1 + (int)(Math.Log(seconds / Smallest) / LogGrowth));

    /// <summary>The upper bound of bucket <paramref name="index"/>, in seconds.</summary>
    public static double UpperBound(int index) => Smallest * Math.Pow(Growth, index);

    /// <summary>The <paramref name="quantile"/> of <paramref name="total"/> measurements, as the geometric middle of its bucket.</summary>
    public static double? Percentile(long[] histogram, long total, double quantile)
    {
        if (total == 0)
        {
            return null;
        }
        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            seen += histogram[i];
            if (seen >= rank)
            {
                return i == 0 ? Smallest : Math.Sqrt(UpperBound(i - 1) * UpperBound(i));
            }
        }
        return UpperBound(Count - 1);
    }
}
