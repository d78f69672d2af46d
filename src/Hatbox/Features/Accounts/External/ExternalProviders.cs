namespace Hatbox.Features.Accounts.External;

/// <summary>The providers configured at start, for the sign-in and sign-up buttons.</summary>
internal sealed record ExternalProviders(IReadOnlyList<ExternalProviders.Provider> All)
{
    public sealed record Provider(string Scheme, string DisplayName);

    public Provider? Find(string? scheme) => All.FirstOrDefault(p => p.Scheme == scheme);
}
