using Hatbox.Common.Errors;
using Hatbox.Features.Versions;
using Scalar.AspNetCore;

namespace Hatbox.Features.ApiReference;

/// <summary>
/// <c>GET /openapi/v1.json[?version=…]</c> (the document, in one API version's shapes) and <c>/docs</c>
/// (Scalar's reader, whose script and styles the package serves from inside the app: no CDN, works offline).
/// Neither needs a key, and neither is part of the document itself.
/// </summary>
internal static class ApiReferenceEndpoints
{
    public const string DocumentPath = "/openapi/" + ApiReferenceServiceCollectionExtensions.DocumentName + ".json";

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapGet(DocumentPath, GetDocument).WithName("GetOpenApiDocument").ExcludeFromDescription();
        app.MapScalarApiReference("/docs", options =>
        {
            options.WithTitle("Hatbox API")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp();
            foreach (var version in ApiVersions.All)
            {
                options.AddDocument(version.Name, $"API version {version.Name}", $"{DocumentPath}?version={version.Name}");
            }
        }).ExcludeFromDescription();
        return app;
    }

    static async Task<IResult> GetDocument(string? version, ApiDocument document)
    {
        var chosen = version is null ? ApiVersions.Current : ApiVersions.Find(version);
        if (chosen is null)
        {
            return ApiError.BadRequest(ErrorCodes.UnknownApiVersion,
                $"Unknown API version. Supported versions: {string.Join(", ", ApiVersions.All.Select(v => v.Name))}.", "version");
        }
        return TypedResults.Bytes(await document.GetAsync(chosen), "application/json");
    }
}
