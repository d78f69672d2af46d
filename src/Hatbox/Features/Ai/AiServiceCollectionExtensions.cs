using Hatbox.Features.Ai.Embeddings;
using Hatbox.Features.Ai.Index;
using Microsoft.Extensions.AI;

namespace Hatbox.Features.Ai;

internal static class AiServiceCollectionExtensions
{
    /// <summary>
    /// AI over tenant data: the embedding model (local by default, <c>Ai:Embeddings:*</c>), the
    /// per-table vector indexes and the background indexer that keeps them in step.
    /// </summary>
    public static IServiceCollection AddAi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmbeddingOptions>().BindConfiguration(EmbeddingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        var provider = configuration.GetSection(EmbeddingOptions.SectionName)[nameof(EmbeddingOptions.Provider)] ?? EmbeddingProviders.Local;
        if (string.Equals(provider, EmbeddingProviders.Local, StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<MiniLmEmbeddingGenerator>();
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<MiniLmEmbeddingGenerator>());
        }
        else
        {
            services.AddHttpClient<RemoteEmbeddingGenerator>();
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<RemoteEmbeddingGenerator>());
        }
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSearchIndexStores();
        services.AddSingleton<SearchIndexes>();
        services.AddScoped<Usage.IUsageMetric, EmbeddedRowsMetric>();
        services.AddSingleton<AiRequests>();
        services.AddSingleton<SearchIndexer>();
        services.AddHostedService(sp => sp.GetRequiredService<SearchIndexer>());
        return services;
    }
}
