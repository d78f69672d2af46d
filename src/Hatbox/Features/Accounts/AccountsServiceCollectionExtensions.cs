using Hatbox.Features.Accounts.External;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Accounts;

internal static class AccountsServiceCollectionExtensions
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordHasherOptions>().Configure<IOptions<AccountOptions>>(
            (hasher, accounts) => hasher.IterationCount = accounts.Value.PasswordIterations);
        services.AddScoped<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<AccountService>();
        services.AddScoped<SessionService>();
        services.AddScoped<AccountTokens>();
        services.TryAddKeyedSingleton(AccountTokens.ClockKey, (provider, _) => provider.GetRequiredService<TimeProvider>());
        services.AddScoped<AccountLinks>();
        services.AddScoped<EmailVerification>();
        services.AddScoped<PasswordReset>();
        services.AddScoped<SignInHandoff>();
        services.AddScoped<SessionCookieEvents>();
        services.AddSingleton<SignInThrottle>();

        // No default scheme: only /v1 (whose policy names this scheme) reads the session cookie;
        // the public API and /health never pay for it.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication().AddCookie(SessionDefaults.Scheme, cookie =>
        {
            cookie.Cookie.Name = SessionDefaults.CookieName;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.Path = "/";
            cookie.SlidingExpiration = true;
            // Where portal pages send someone without a session; /v1 answers 401 instead (SessionCookieEvents).
            cookie.LoginPath = "/signin";
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.EventsType = typeof(SessionCookieEvents);
        });
        services.AddOptions<CookieAuthenticationOptions>(SessionDefaults.Scheme).Configure<IOptions<AccountOptions>>(
            (cookie, accounts) => cookie.ExpireTimeSpan = TimeSpan.FromDays(accounts.Value.SessionDays));
        services.AddAuthorizationBuilder().AddPolicy(SessionDefaults.Policy, policy => policy
            .AddAuthenticationSchemes(SessionDefaults.Scheme)
            .RequireAuthenticatedUser());

        services.AddAntiforgery(csrf =>
        {
            // /v1 sends the token in this header; portal forms send it as a form field, which is read only
            // when the header is absent (and a /v1 body, already read by Body<T>, then yields no token).
            csrf.HeaderName = SessionDefaults.CsrfHeaderName;
            csrf.Cookie.Name = SessionDefaults.CsrfCookieName;
            csrf.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            csrf.Cookie.Path = "/";
        });
        services.AddExternalLogins(configuration);
        return services;
    }
}
