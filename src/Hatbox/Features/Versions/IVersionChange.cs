using System.Text.Json.Nodes;

namespace Hatbox.Features.Versions;

/// <summary>
/// One backward-incompatible change, undone for callers on an older version. Handlers only build
/// the newest shape; the version stage applies these steps, newest first, down to the caller's version.
/// </summary>
internal interface IVersionChange
{
    /// <summary>The endpoints (operation names, e.g. <c>CheckApiKey</c>) whose answers this step reshapes.</summary>
    IReadOnlyList<string> Operations { get; }

    /// <summary>Turns the newer answer into the older one, in place.</summary>
    void Downgrade(JsonObject response);
}
