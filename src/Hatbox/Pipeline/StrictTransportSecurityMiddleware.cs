using System.Globalization;
using Microsoft.Extensions.Options;

namespace Hatbox.Pipeline;

/// <summary>
/// Adds <c>Strict-Transport-Security</c> to every answer sent over HTTPS, API and portal alike, and
/// never to plain HTTP (RFC 6797 §7.2: a browser must ignore it there). ASP.NET's own <c>UseHsts</c>
/// skips localhost, which is where Hatbox runs by default. Set when the answer starts, so error
/// answers whose headers the exception handler cleared carry it too.
/// </summary>
internal sealed class StrictTransportSecurityMiddleware(RequestDelegate next, IOptions<HstsOptions> options)
{
    readonly string _value = string.Create(CultureInfo.InvariantCulture,
        $"max-age={options.Value.MaxAgeSeconds}{(options.Value.IncludeSubDomains ? "; includeSubDomains" : "")}");

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps)
        {
            context.Response.OnStarting(static state =>
            {
                var (response, value) = ((HttpResponse, string))state;
                response.Headers.StrictTransportSecurity = value;
                return Task.CompletedTask;
            }, (context.Response, _value));
        }
        return next(context);
    }
}

internal static class StrictTransportSecurityExtensions
{
    public static IServiceCollection AddStrictTransportSecurity(this IServiceCollection services)
    {
        services.AddOptions<HstsOptions>().BindConfiguration(HstsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
