using System.Net.Mime;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;

namespace Hatbox.Features.Versions;

/// <summary>
/// The version stage (DESIGN.md §5) on every public API endpoint (<see cref="VersionedApi"/>): picks the
/// version (the <c>WorqHat-Version</c> header, else the organization's pin, set on its first request),
/// echoes it, hides endpoints that do not exist in it, and reshapes the newest answer into that
/// version's (<see cref="IVersionChange"/>).
/// </summary>
/// <remarks>
/// A middleware, not an endpoint filter: a filter puts every endpoint's handler behind the filter
/// machinery (an invocation context, the answer boxed and dispatched as an object) on every request,
/// while only an older version's answer to a changed endpoint needs more than a header. That answer
/// is captured and rewritten here, as JSON.
/// </remarks>
internal sealed class ApiVersionStage(RequestDelegate next, ApiVersionPinning pinning)
{
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<VersionedApi>() is null)
        {
            return next(context);
        }
        var requested = context.Request.Headers[ApiVersions.HeaderName].ToString();
        if (requested.Length > 0)
        {
            return ApiVersions.Find(requested) is null
                ? ApiErrorWriter.WriteAsync(context, ApiVersions.Unknown(ApiVersions.HeaderName))
                : AnswerIn(context, endpoint, requested);
        }
        if (ApiCaller.Of(context) is { } caller)
        {
            return caller.PinnedApiVersion is { } pinned ? AnswerIn(context, endpoint, pinned) : PinThenAnswerAsync(context, endpoint, caller);
        }
        return AnswerIn(context, endpoint, ApiVersions.Current.Name);
    }

    async Task PinThenAnswerAsync(HttpContext context, Endpoint endpoint, ApiCaller caller) =>
        await AnswerIn(context, endpoint, await pinning.PinAsync(caller.OrganizationId, context.RequestAborted));

    Task AnswerIn(HttpContext context, Endpoint endpoint, string version)
    {
        context.Response.Headers[ApiVersions.HeaderName] = version;
        if (endpoint.Metadata.GetMetadata<ApiAvailability>() is { } availability && !availability.ExistsIn(version))
        {
            return ApiErrorWriter.WriteAsync(context, ApiError.ForStatus(StatusCodes.Status404NotFound));
        }
        if (version == ApiVersions.Current.Name || endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is not { } operation)
        {
            return next(context);
        }
        var steps = ApiVersions.StepsDownTo(version, operation).ToList();
        return steps.Count == 0 ? next(context) : DowngradeAsync(context, steps);
    }

    /// <summary>Runs the endpoint into a buffer and writes its successful JSON answer back in the older shape.</summary>
    async Task DowngradeAsync(HttpContext context, List<IVersionChange> steps)
    {
        var response = context.Response;
        await using var newest = await CapturedResponse.RunAsync(context, next);
        if (response.StatusCode is >= 200 and < 300 && IsJson(response.ContentType)
            && JsonNode.Parse(newest) is JsonObject answer)
        {
            foreach (var step in steps)
            {
                step.Downgrade(answer);
            }
            response.ContentLength = null;
            await using var json = new Utf8JsonWriter(response.Body);
            answer.WriteTo(json);
            return;
        }
        newest.Position = 0;
        await newest.CopyToAsync(response.Body, context.RequestAborted);
    }

    static bool IsJson(string? contentType) =>
        contentType?.StartsWith(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>Endpoint metadata: this endpoint is part of the public API and answers in the caller's API version.</summary>
internal sealed class VersionedApi
{
    public static readonly VersionedApi Instance = new();
}
