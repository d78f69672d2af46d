using Hatbox.Features.Flows.Engine;
using Hatbox.Features.Flows.Steps;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Flows;

internal static class FlowsServiceCollectionExtensions
{
    public static IServiceCollection AddFlows(this IServiceCollection services)
    {
        services.AddOptions<FlowOptions>().BindConfiguration(FlowOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<FlowService>();
        services.AddScoped<FlowTriggers>();
        services.AddScoped<FlowFileTrigger>();
        services.AddSingleton<FlowDefinitionCache>();
        services.AddSingleton<ScriptSandbox>();
        services.AddSingleton<ValueResolver>();
        services.AddSingleton<OutboundHttp>();
        services.AddSingleton<HttpStep>();
        services.AddSingleton<DbSteps>();
        services.AddSingleton<FileReadStep>();
        services.AddSingleton<SemanticSearchStep>();
        services.AddSingleton<StepKinds>();
        services.AddSingleton<RunJournal>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<RunCompletions>();
        services.AddSingleton<RunHost>();
        services.AddSingleton(provider =>
        {
            var limits = provider.GetRequiredService<IOptions<FlowOptions>>().Value;
            return new RunSlots(limits.MaxConcurrentRuns, limits.MaxConcurrentRunsPerWorkspace);
        });
        services.AddSingleton<RunDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<RunDispatcher>());
        services.AddScoped<Usage.IUsageMetric, FlowRunsUsageMetric>();
        services.AddSingleton<RunHistorySweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<RunHistorySweeper>());
        return services;
    }
}
