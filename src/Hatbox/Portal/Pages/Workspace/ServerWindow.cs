using Hatbox.Features.Telemetry;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>One window of the server dashboard (the last hour, the last day) for its partial view.</summary>
internal sealed record ServerWindow(string Id, string Title, string PointSpan, IReadOnlyList<TimelinePoint> Points, int LabelEvery)
{
    public long Requests => Points.Sum(p => p.Requests);

    public long Errors => Points.Sum(p => p.Errors);

    /// <summary>Milliseconds, for people; the meters keep seconds.</summary>
    public static double? Ms(double? seconds) => seconds * 1000;
}
