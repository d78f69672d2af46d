using Hatbox.Features.Ai.Chat;
using Microsoft.Extensions.AI;

namespace Hatbox.Features.Ai.NlQuery;

internal static class NlQueryServiceCollectionExtensions
{
    /// <summary>nl-query's engines, and the chat model when <c>Ai:Chat</c> configures one.</summary>
    public static IServiceCollection AddNlQuery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NlQueryOptions>().BindConfiguration(NlQueryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddChat(configuration);
        services.AddSingleton<ChatTokenMeter>();
        services.AddSingleton<NlSchemaReader>();
        services.AddSingleton<SynonymLinker>();
        services.AddSingleton<BuiltInEngine>();
        services.AddSingleton(provider => new ChatEngine(
            provider.GetRequiredService<IChatClient>(), provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatModelOptions>>(),
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<NlQueryOptions>>(), provider.GetRequiredService<ChatTokenMeter>(),
            provider.GetRequiredService<ILogger<ChatEngine>>()));
        services.AddSingleton<NlQueryService>();
        return services;
    }
}
