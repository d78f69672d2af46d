using Hatbox.Features.Usage;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Hatbox.Features.Telemetry;

/// <summary>
/// The route group a request is counted in: the usage meter's endpoint group (<c>db</c>,
/// <c>storage</c>, <c>flows</c>, <c>ai</c>, <c>authentication</c>), else the first literal segment of
/// the matched route (<c>v1</c>, <c>w</c>, <c>health</c>). Taken from the route, never the raw path,
/// so a client cannot mint a label per URL it invents.
/// </summary>
internal static class RouteGroups
{
    public const string Unmatched = "unmatched";

    public static string Of(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            return Unmatched;
        }
        if (endpoint.Metadata.GetMetadata<MeteringGroupMetadata>() is { } named)
        {
            return named.Name;
        }
        if (endpoint is not RouteEndpoint route)
        {
            return "other";
        }
        var segments = route.RoutePattern.PathSegments;
        if (segments.Count == 0)
        {
            return "root";
        }
        return segments[0].Parts is [RoutePatternLiteralPart literal] ? literal.Content : "other";
    }
}
