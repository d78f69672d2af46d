namespace Hatbox.Features.Workspaces;

internal static class WorkspacesServiceCollectionExtensions
{
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.AddScoped<InvitationService>();
        services.AddScoped<WorkspaceService>();
        services.AddScoped<MemberService>();
        services.AddScoped<WorkspaceAccess>();
        return services;
    }
}
