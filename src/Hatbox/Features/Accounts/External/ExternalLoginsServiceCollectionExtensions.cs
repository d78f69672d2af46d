using System.Text.RegularExpressions;
using Hatbox.Common.Errors;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Hatbox.Features.Accounts.External;

internal static partial class ExternalLoginsServiceCollectionExtensions
{
    /// <summary>The short-lived cookie that holds a provider's answer between its callback and <c>/signin/external/complete</c>.</summary>
    public const string ExternalScheme = "External";

    /// <summary>
    /// One ASP.NET Core OpenID Connect handler per configured provider (code flow with PKCE, the
    /// handler's own state, nonce and correlation checks). Unconfigured providers get no handler
    /// and no button. Their callbacks (<c>/signin-external/{provider}</c>) are portal pages, so the
    /// authentication middleware, which runs only for endpoints that ask for authorization, sees them.
    /// </summary>
    public static IServiceCollection AddExternalLogins(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ExternalLoginOptions.SectionName).Get<ExternalLoginOptions>() ?? new ExternalLoginOptions();
        services.AddOptions<ExternalLoginOptions>().BindConfiguration(ExternalLoginOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ExternalLoginService>();
        services.AddSingleton(new ExternalProviders(
            [.. new[] { ("google", options.Google), ("microsoft", options.Microsoft) }.Where(p => p.Item2.Enabled)
                .Select(p => new ExternalProviders.Provider(p.Item1, p.Item2.DisplayName))]));

        var authentication = services.AddAuthentication().AddCookie(ExternalScheme, cookie =>
        {
            cookie.Cookie.Name = "__Host-hatbox-external";
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.Path = "/";
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            cookie.SlidingExpiration = false;
        });
        foreach (var (scheme, provider) in new[] { ("google", options.Google), ("microsoft", options.Microsoft) })
        {
            if (provider.Enabled)
            {
                authentication.AddOpenIdConnect(scheme, provider.DisplayName, oidc => Configure(oidc, scheme, provider));
            }
        }
        return services;
    }

    static void Configure(OpenIdConnectOptions oidc, string scheme, ExternalProviderOptions provider)
    {
        oidc.SignInScheme = ExternalScheme;
        oidc.Authority = provider.Authority;
        oidc.ClientId = provider.ClientId;
        oidc.ClientSecret = provider.ClientSecret;
        oidc.RequireHttpsMetadata = provider.RequireHttpsMetadata;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.CallbackPath = $"/signin-external/{scheme}";
        // The claims as the provider names them (sub, email, email_verified), not mapped to SOAP-era URIs.
        oidc.MapInboundClaims = false;
        oidc.Scope.Clear();
        foreach (var scope in new[] { "openid", "email", "profile" })
        {
            oidc.Scope.Add(scope);
        }
        oidc.SaveTokens = false;
        oidc.CorrelationCookie.Name = "__Host-hatbox-oidc-correlation.";
        oidc.CorrelationCookie.Path = "/";
        oidc.NonceCookie.Name = "__Host-hatbox-oidc-nonce.";
        oidc.NonceCookie.Path = "/";
        if (IsMicrosoftMultiTenant(provider.Authority))
        {
            // /common/ answers with each tenant's own issuer; accept exactly Microsoft's pattern, with a tenant id.
            oidc.TokenValidationParameters.IssuerValidator = (issuer, _, _) =>
                MicrosoftTenantIssuer().IsMatch(issuer) ? issuer : throw new SecurityTokenInvalidIssuerException("Not a Microsoft tenant issuer.");
        }
        oidc.Events.OnRemoteFailure = context =>
        {
            // A failed, refused or replayed sign-in (state, nonce or correlation checks) ends on a page, never a 500.
            context.HandleResponse();
            ExternalLoginLog.CallbackFailed(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>()
                .CreateLogger(ExternalLoginLog.Category), scheme, context.Failure?.Message);
            context.Response.Redirect($"/signin/external/complete?failed={Uri.EscapeDataString(ErrorCodes.ExternalLoginFailed)}");
            return Task.CompletedTask;
        };
    }

    static bool IsMicrosoftMultiTenant(string authority) =>
        authority.StartsWith("https://login.microsoftonline.com/", StringComparison.OrdinalIgnoreCase)
        && (authority.Contains("/common/", StringComparison.OrdinalIgnoreCase)
            || authority.Contains("/organizations/", StringComparison.OrdinalIgnoreCase)
            || authority.Contains("/consumers/", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^https://login\\.microsoftonline\\.com/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/v2\\.0$")]
    private static partial Regex MicrosoftTenantIssuer();
}
