using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Accounts;

internal static class AccountsServiceCollectionExtensions
{
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordHasherOptions>().Configure<IOptions<AccountOptions>>(
            (hasher, accounts) => hasher.IterationCount = accounts.Value.PasswordIterations);
        services.AddScoped<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<AccountService>();
        services.AddScoped<SessionService>();
        services.AddScoped<SessionCookieEvents>();

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
            cookie.EventsType = typeof(SessionCookieEvents);
        });
        services.AddOptions<CookieAuthenticationOptions>(SessionDefaults.Scheme).Configure<IOptions<AccountOptions>>(
            (cookie, accounts) => cookie.ExpireTimeSpan = TimeSpan.FromDays(accounts.Value.SessionDays));
        services.AddAuthorizationBuilder().AddPolicy(SessionDefaults.Policy, policy => policy
            .AddAuthenticationSchemes(SessionDefaults.Scheme)
            .RequireAuthenticatedUser());

        services.AddAntiforgery(csrf =>
        {
            csrf.HeaderName = SessionDefaults.CsrfHeaderName;
            // The header is the only place a token is read from: the body belongs to Body<T>, which has read it already.
            csrf.SuppressReadingTokenFromFormBody = true;
            csrf.Cookie.Name = SessionDefaults.CsrfCookieName;
            csrf.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            csrf.Cookie.Path = "/";
        });
        return services;
    }
}
