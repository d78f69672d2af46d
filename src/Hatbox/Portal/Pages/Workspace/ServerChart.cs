using System.Globalization;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// The geometry of the server dashboard's charts, in the usage chart's style: one slot per point
/// along x with a time label every few slots, and a y axis from 0 to a round maximum with round
/// ticks (1, 2 or 5 times a power of ten, fractions included, so latency reads 0, 0.5, 1 ms).
/// </summary>
internal sealed class ServerChart
{
    public const int Width = 640;
    public const int Height = 220;
    public const int Left = 56;
    public const int Right = 8;
    public const int Top = 12;
    public const int Bottom = 44;

    public ServerChart(int points, double max, int labelEvery)
    {
        Points = points;
        LabelEvery = labelEvery;
        var step = NiceStep(Math.Max(max, 1e-9) / 4);
        YMax = max <= 0 ? step * 4 : Math.Ceiling(max / step - 1e-9) * step;
        for (var tick = 0; tick * step <= YMax + (step / 1000); tick++)
        {
            YTicks.Add(tick * step);
        }
    }

    public int Points { get; }

    public int LabelEvery { get; }

    public double YMax { get; }

    public List<double> YTicks { get; } = [];

    public static double PlotWidth => Width - Left - Right;

    public static double PlotHeight => Height - Top - Bottom;

    public double Slot => PlotWidth / Math.Max(1, Points);

    public double Y(double value) => Top + PlotHeight - (value * PlotHeight / YMax);

    public double BarX(int point) => Left + (point * Slot) + (Slot * 0.1);

    public double BarWidth => Slot * 0.8;

    public double CenterX(int point) => Left + (point * Slot) + (Slot / 2);

    /// <summary>Where a time label goes: under its slot, but the newest ends at the plot's edge, so a phone does not cut it off.</summary>
    public double LabelX(int point) => point == Points - 1 ? Width - Right : CenterX(point);

    public string LabelAnchor(int point) => point == Points - 1 ? "end" : "middle";

    /// <summary>Labelled slots: every <see cref="LabelEvery"/>th, counted back from the newest, so "now" always has one.</summary>
    public bool IsLabelled(int point) => (Points - 1 - point) % LabelEvery == 0;

    public static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A tick label: whole numbers plain, fractions with the digits they need.</summary>
    public static string Tick(double value) => value.ToString(value >= 10 || value == Math.Floor(value) ? "0" : "0.###", CultureInfo.InvariantCulture);

    /// <summary>An SVG polyline's points for the values that exist; a gap (no requests) breaks nothing, it is skipped.</summary>
    public string Line(IReadOnlyList<double?> values) => string.Join(' ',
        values.Select((value, i) => value is { } v ? $"{F(CenterX(i))},{F(Y(v))}" : null).Where(p => p is not null));

    static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var scaled = rough / power;
        var step = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10;
        return step * power;
    }
}
