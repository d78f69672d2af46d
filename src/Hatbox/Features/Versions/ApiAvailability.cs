namespace Hatbox.Features.Versions;

/// <summary>Endpoint metadata: the versions an endpoint exists in. Outside them it answers 404, as an unknown path does.</summary>
internal sealed record ApiAvailability(string? Since, string? RemovedIn)
{
    public bool ExistsIn(string version) =>
        (Since is null || !ApiVersions.IsBefore(version, Since)) && (RemovedIn is null || ApiVersions.IsBefore(version, RemovedIn));
}

internal static class ApiAvailabilityExtensions
{
    /// <summary>The endpoint is gone from <paramref name="version"/> on; older versions still have it.</summary>
    public static TBuilder RemovedIn<TBuilder>(this TBuilder builder, string version) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiAvailability(null, version));

    /// <summary>The endpoint exists from <paramref name="version"/> on.</summary>
    public static TBuilder AvailableSince<TBuilder>(this TBuilder builder, string version) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiAvailability(version, null));
}
