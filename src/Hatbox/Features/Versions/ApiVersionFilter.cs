using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Versions;

/// <summary>
/// The version stage (DESIGN.md §5) on every public API endpoint: picks the version (the
/// <c>WorqHat-Version</c> header, else the organization's pin, set on its first request), echoes it,
/// hides endpoints that do not exist in it, and reshapes the newest answer into that version's.
/// </summary>
/// <remarks>
/// One instance serves every request, so it keeps no state and asks for a service only on the rare
/// path that needs it: an organization's first request, an older version's answer.
/// </remarks>
internal sealed class ApiVersionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var requested = http.Request.Headers[ApiVersions.HeaderName].ToString();
        string version;
        if (requested.Length > 0)
        {
            if (ApiVersions.Find(requested) is null)
            {
                return ApiVersions.Unknown(ApiVersions.HeaderName);
            }
            version = requested;
        }
        else if (ApiCaller.Of(http) is { } caller)
        {
            version = caller.PinnedApiVersion
                ?? await http.RequestServices.GetRequiredService<ApiVersionPinning>().PinAsync(caller.OrganizationId, http.RequestAborted);
        }
        else
        {
            version = ApiVersions.Current.Name;
        }
        http.Response.Headers[ApiVersions.HeaderName] = version;

        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<ApiAvailability>() is { } availability && !availability.ExistsIn(version))
        {
            return ApiError.ForStatus(StatusCodes.Status404NotFound);
        }
        var result = await next(context);
        if (version == ApiVersions.Current.Name || endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is not { } operation)
        {
            return result;
        }
        var steps = ApiVersions.StepsDownTo(version, operation).ToList();
        return steps.Count == 0 || result is not IValueHttpResult { Value: { } value } || result is not IStatusCodeHttpResult status
            ? result
            : Downgrade(value, status.StatusCode, steps, http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value);
    }

    static JsonHttpResult<JsonNode> Downgrade(object value, int? statusCode, List<IVersionChange> steps, JsonOptions json)
    {
        var node = JsonSerializer.SerializeToNode(value, value.GetType(), json.SerializerOptions)!;
        if (node is JsonObject body)
        {
            foreach (var step in steps)
            {
                step.Downgrade(body);
            }
        }
        return TypedResults.Json(node, json.SerializerOptions, statusCode: statusCode);
    }

}
