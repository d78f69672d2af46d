using Hatbox.Data;
using Hatbox.Features.Accounts;
using Hatbox.Features.Ai;
using Hatbox.Features.Ai.NlQuery;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Db;
using Hatbox.Features.Domains;
using Hatbox.Features.Flows;
using Hatbox.Features.Organizations;
using Hatbox.Features.Plans;
using Hatbox.Features.Storage;
using Hatbox.Features.Usage;
using Hatbox.Features.Versions;
using Hatbox.Features.Workspaces;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hatbox.Hosting;

/// <summary>
/// Everything that works on the platform's data, shared by the server and the admin CLI (which
/// runs on the same data folder without starting a web host).
/// </summary>
internal static class HatboxServices
{
    public static ServerOptions AddHatboxCore(this IServiceCollection services, IConfiguration configuration)
    {
        PrivateFileCreation.Apply();
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var server = configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
        var dataDirectory = Path.GetFullPath(server.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        services.AddPlatformDatabase(configuration, dataDirectory);

        services.AddAccounts(configuration);
        services.AddWorkspaces();
        services.AddApiKeys();
        services.AddScoped<OrganizationAccess>();
        services.AddPlans();
        services.AddStorage(dataDirectory);
        services.AddDb(dataDirectory);
        services.AddNlQuery(configuration);
        services.AddVersions();
        services.AddDomains();
        services.AddScoped<OrganizationService>();
        services.AddUsage(configuration);
        services.AddAi(configuration);
        services.AddFlows();
        return server;
    }
}
