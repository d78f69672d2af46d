namespace Hatbox.Features.Workspaces;

internal static class WorkspacesServiceCollectionExtensions
{
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.AddOptions<AccountCapsOptions>().BindConfiguration(AccountCapsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AccountCaps>();
        services.AddScoped<InvitationService>();
        services.AddScoped<InvitationEmail>();
        services.AddScoped<WorkspaceService>();
        services.AddScoped<MemberService>();
        services.AddScoped<WorkspaceAccess>();
        return services;
    }
}
