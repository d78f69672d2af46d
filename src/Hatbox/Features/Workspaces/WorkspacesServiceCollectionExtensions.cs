using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Hatbox.Features.Workspaces;

internal static class WorkspacesServiceCollectionExtensions
{
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordHasherOptions>().Configure<Microsoft.Extensions.Options.IOptions<AccountOptions>>(
            (hasher, accounts) => hasher.IterationCount = accounts.Value.PasswordIterations);
        services.AddScoped<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<AccountService>();
        services.AddScoped<InvitationService>();
        services.AddScoped<WorkspaceService>();
        services.AddScoped<MemberService>();
        return services;
    }
}
