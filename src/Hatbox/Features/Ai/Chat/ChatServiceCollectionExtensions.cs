using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace Hatbox.Features.Ai.Chat;

internal static class ChatServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="IChatClient"/> when <c>Ai:Chat:Provider</c> names one; otherwise none
    /// is registered, and features ask <c>GetService&lt;IChatClient&gt;()</c> and work without it.
    /// A client registered before (a test's stand-in) is kept.
    /// </summary>
    public static IServiceCollection AddChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChatModelOptions>().BindConfiguration(ChatModelOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(ChatModelOptions.SectionName).Get<ChatModelOptions>() ?? new ChatModelOptions();
        if (!options.Enabled || services.Any(s => s.ServiceType == typeof(IChatClient)))
        {
            return services;
        }
        services.AddSingleton(_ => Create(options));
        return services;
    }

    static IChatClient Create(ChatModelOptions options)
    {
        var endpoint = new Uri(options.Endpoint!);
        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        if (options.Provider.Equals("ollama", StringComparison.OrdinalIgnoreCase))
        {
            return new OllamaApiClient(new HttpClient { BaseAddress = endpoint, Timeout = timeout }, options.Model!);
        }
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey), new OpenAIClientOptions
        {
            Endpoint = endpoint,
            NetworkTimeout = timeout,
            // The caller waits; a retry inside the timeout would only hide that the model is down.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
        return client.GetChatClient(options.Model!).AsIChatClient();
    }
}
