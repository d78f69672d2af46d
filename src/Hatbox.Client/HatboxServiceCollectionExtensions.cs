using Hatbox.Client;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class HatboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HatboxClient"/> as a typed client of <c>IHttpClientFactory</c>; the returned
    /// builder configures its handler (a private certificate authority, a proxy, logging).
    /// </summary>
    public static IHttpClientBuilder AddHatboxClient(this IServiceCollection services, Action<HatboxClientOptions> configure)
    {
        services.AddOptions<HatboxClientOptions>().Configure(configure);
        return services.AddHttpClient<HatboxClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<HatboxClientOptions>>().Value;
            http.BaseAddress = options.BaseAddress;
        });
    }
}
