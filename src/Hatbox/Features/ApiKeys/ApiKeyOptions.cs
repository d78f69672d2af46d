using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.ApiKeys;

internal sealed class ApiKeyOptions
{
    public const string SectionName = "ApiKeys";

    /// <summary>Active (unrevoked) keys a workspace may hold at once.</summary>
    [Range(1, 10_000)] public int MaxPerWorkspace { get; set; } = 50;
}
