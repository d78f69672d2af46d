using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Accounts.External;

/// <summary>
/// Google and Microsoft sign-in (<c>Accounts:External:Google</c>, <c>…:Microsoft</c>): a provider is
/// on when its <see cref="ExternalProviderOptions.ClientId"/> is set, and only then has a button.
/// </summary>
internal sealed class ExternalLoginOptions
{
    public const string SectionName = "Accounts:External";

    public ExternalProviderOptions Google { get; set; } = new() { Authority = "https://accounts.google.com", DisplayName = "Google" };

    public ExternalProviderOptions Microsoft { get; set; } =
        new() { Authority = "https://login.microsoftonline.com/common/v2.0", DisplayName = "Microsoft" };
}

internal sealed class ExternalProviderOptions
{
    public string? ClientId { get; set; }

    /// <summary>A secret: from the environment (<c>HATBOX__Accounts__External__Google__ClientSecret</c>), never a committed file.</summary>
    public string? ClientSecret { get; set; }

    [Url] public string Authority { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>Off only for a local test provider on plain HTTP; a real provider's metadata is always HTTPS.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(ClientId);
}
