namespace Hatbox.Features.Versions;

/// <summary>One API version: its date name, its changelog, and the steps that turn the next version's answers into its own.</summary>
internal sealed record ApiVersion(string Name, string Summary, IReadOnlyList<string> Changes, IReadOnlyList<IVersionChange> Steps);
