namespace Hatbox.Portal;

/// <summary>
/// The geometry of the usage page's bar chart: one bar per day, a y axis with round tick values
/// (1, 2 or 5 times a power of ten, so labels read 0, 50, 100), and day-of-month labels along x.
/// </summary>
internal sealed class UsageChart
{
    public const int Width = 640;
    public const int Height = 240;
    public const int Left = 52;
    public const int Right = 8;
    public const int Top = 12;
    public const int Bottom = 44;

    public UsageChart(IReadOnlyList<long> perDay)
    {
        Days = perDay;
        var max = perDay.Count == 0 ? 0 : perDay.Max();
        var step = NiceStep(Math.Max(1, max) / 4.0);
        YMax = Math.Max(step, (long)Math.Ceiling(max / (double)step) * step);
        for (var tick = 0L; tick <= YMax; tick += step)
        {
            YTicks.Add(tick);
        }
    }

    public IReadOnlyList<long> Days { get; }

    public long YMax { get; }

    public List<long> YTicks { get; } = [];

    public static double PlotWidth => Width - Left - Right;

    public static double PlotHeight => Height - Top - Bottom;

    public double Slot => PlotWidth / Math.Max(1, Days.Count);

    public double Y(long value) => Top + PlotHeight - (value * PlotHeight / YMax);

    public double BarX(int day) => Left + (day * Slot) + (Slot * 0.15);

    public double BarWidth => Slot * 0.7;

    public double LabelX(int day) => Left + (day * Slot) + (Slot / 2);

    /// <summary>Days labelled under the axis: the 1st, every 5th, and the last.</summary>
    public bool IsLabelled(int day) => day == 0 || (day + 1) % 5 == 0 || day == Days.Count - 1 && (day + 1) % 5 > 2;

    static long NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(1, rough))));
        var step = rough / power <= 1 ? 1 : rough / power <= 2 ? 2 : rough / power <= 5 ? 5 : 10;
        return Math.Max(1, (long)(step * power));
    }
}
