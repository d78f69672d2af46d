using Hatbox.Common.Errors;

namespace Hatbox.Features.Versions;

/// <summary>
/// The version catalog, newest first. Adding a version: put it on top with its changelog and the
/// steps that turn its answers into the previous version's (each step is attached to the version
/// that introduced the change).
/// </summary>
internal static class ApiVersions
{
    public const string HeaderName = "WorqHat-Version";

    public static readonly IReadOnlyList<ApiVersion> All =
    [
        new("2025-10-28",
            "Matches the official SDK 3.14.0.",
            [
                "POST /authentication answers organizationId (was organization), and adds workspaceId, keyId, role and plan.",
                "GET /authentication is removed; check a key with POST /authentication.",
            ],
            [new AuthenticationNamesOrganizationOnly()]),
        new("2025-06-01",
            "The first Hatbox API version.",
            ["GET /, GET /health and POST /authentication (also as GET)."],
            []),
    ];

    public static ApiVersion Current => All[0];

    /// <summary>The one answer to an unknown version, naming the supported ones; <paramref name="param"/> is where it came from.</summary>
    public static ApiError Unknown(string param) => ApiError.BadRequest("invalid_api_version",
        $"Unknown API version. Supported versions: {string.Join(", ", All.Select(v => v.Name))}.", param);

    public static ApiVersion? Find(string? name) => All.FirstOrDefault(v => v.Name == name);

    /// <summary>True when <paramref name="older"/> comes before <paramref name="newer"/>; names are ISO dates, so they sort as text.</summary>
    public static bool IsBefore(string older, string newer) => string.CompareOrdinal(older, newer) < 0;

    /// <summary>The steps to apply, newest first, to bring a current answer down to <paramref name="target"/>.</summary>
    public static IEnumerable<IVersionChange> StepsDownTo(string target, string operation) =>
        All.TakeWhile(v => IsBefore(target, v.Name)).SelectMany(v => v.Steps).Where(s => s.Operations.Contains(operation));
}
