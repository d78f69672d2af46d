using Hatbox.Features.Versions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace Hatbox.Features.ApiReference;

/// <summary>Which endpoints the document describes: the public WorqHat API, the signed download links and <c>/v1</c>; never the portal's pages.</summary>
internal static class ApiSurface
{
    public static bool Includes(ApiDescription description)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<IEndpointNameMetadata>().Any())
        {
            return false;
        }
        var path = description.RelativePath ?? "";
        return metadata.OfType<VersionedApi>().Any()
            || path.StartsWith("v1/", StringComparison.Ordinal)
            || path.StartsWith(Storage.DownloadUrls.RoutePrefix.TrimStart('/') + "/", StringComparison.Ordinal);
    }
}
