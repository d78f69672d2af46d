using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hatbox.Portal;

internal static class PortalServiceCollectionExtensions
{
    /// <summary>Pages of the e-mail links and of the sign-in handoff, reached before there is a session on this host.</summary>
    static readonly string[] AnonymousAccountPages = ["/VerifyEmail", "/ForgotPassword", "/ResetPassword", "/HandoffStart", "/HandoffComplete",
        "/SignInExternal", "/ExternalCallback", "/ExternalComplete"];

    /// <summary>
    /// The workspace web app: Razor Pages on the session cookie of <c>/v1</c>, going through the
    /// same services as the management API (STYLE.md §9). Every page needs a session except
    /// sign-up and sign-in, and every form carries an antiforgery token (Razor Pages checks it on
    /// each POST).
    /// </summary>
    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddSingleton<WorkspaceHosts>();
        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Portal/Pages";
            // The policy also reads the cookie on the anonymous pages, so they know who is signed in.
            pages.Conventions.AuthorizeFolder("/", SessionDefaults.Policy);
            pages.Conventions.AllowAnonymousToPage("/SignIn");
            pages.Conventions.AllowAnonymousToPage("/SignUp");
            pages.Conventions.AllowAnonymousToPage("/Index");
            pages.Conventions.AddPageRouteModelConvention("/Index", AnswerBrowsersOnly);
            foreach (var accountPage in AnonymousAccountPages)
            {
                pages.Conventions.AllowAnonymousToPage(accountPage);
            }
            pages.Conventions.AddFolderRouteModelConvention("/Workspace", AddWorkspaceHostRoute);
            pages.Conventions.ConfigureFilter(new PortalSecurityHeaders());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, BrowserPageMatcherPolicy>());
        services.Configure<CookieTempDataProviderOptions>(flash =>
        {
            flash.Cookie.Name = "__Host-hatbox-flash";
            flash.Cookie.Path = "/";
            flash.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        });
        return services;
    }

    /// <summary>
    /// The start page shares <c>GET /</c> with the API's server info; it answers browsers only, and only
    /// GET and HEAD, so any other method still gets the API's <c>405</c>.
    /// </summary>
    static void AnswerBrowsersOnly(PageRouteModel page)
    {
        foreach (var selector in page.Selectors)
        {
            selector.EndpointMetadata.Add(BrowserPage.Instance);
            selector.EndpointMetadata.Add(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        }
    }

    /// <summary>
    /// Each workspace page is written for <c>/w/{slug}/workspace/…</c>; this adds
    /// <c>/workspace/…</c>, where the host names the workspace (<see cref="WorkspaceHosts"/>).
    /// </summary>
    static void AddWorkspaceHostRoute(PageRouteModel page)
    {
        const string PathPrefix = "w/{slug}/";
        foreach (var selector in page.Selectors.ToList())
        {
            if (selector.AttributeRouteModel?.Template is { } template && template.StartsWith(PathPrefix, StringComparison.Ordinal))
            {
                page.Selectors.Add(new SelectorModel
                {
                    AttributeRouteModel = new AttributeRouteModel { Template = template[PathPrefix.Length..] },
                });
            }
        }
    }
}
