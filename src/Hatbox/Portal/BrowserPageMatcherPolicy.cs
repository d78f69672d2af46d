using Microsoft.AspNetCore.Routing.Matching;

namespace Hatbox.Portal;

/// <summary>
/// Where a <see cref="BrowserPage"/> and an API endpoint share a path (<c>GET /</c>), picks the page for
/// a browser and the API for everyone else, so the SDK's <c>getServerInfo</c> answers as it always
/// did. Routing asks this only for paths that have such a page; other requests never reach it.
/// </summary>
internal sealed class BrowserPageMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // After the HTTP method policy (-1000), so a POST still gets its 405.
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<BrowserPage>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var wantsPage = BrowserRequests.WantsHtml(httpContext.Request);
        // One address, two representations: caches must keep them apart.
        httpContext.Response.Headers.Vary = "Accept";
        for (var i = 0; i < candidates.Count; i++)
        {
            var isPage = candidates[i].Endpoint.Metadata.GetMetadata<BrowserPage>() is not null;
            if (candidates.IsValidCandidate(i) && isPage != wantsPage)
            {
                candidates.SetValidity(i, false);
            }
        }
        return Task.CompletedTask;
    }
}
