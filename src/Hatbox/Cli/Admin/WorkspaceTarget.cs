using System.CommandLine;
using Hatbox.Common.Errors;
using Hatbox.Features.Workspaces;

namespace Hatbox.Cli.Admin;

/// <summary>The <c>--workspace SLUG</c> option that names a command's target.</summary>
internal static class WorkspaceTarget
{
    public static Option<string> Create() => new("--workspace") { Description = "The workspace slug.", Required = true };

    public static async Task<Workspace?> ResolveAsync(IServiceProvider services, string slug, CancellationToken cancellationToken) =>
        await services.GetRequiredService<WorkspaceService>().FindBySlugAsync(slug.Trim().ToLowerInvariant(), cancellationToken);

    public static int NotFound(string slug) =>
        CliHost.Fail(ApiError.NotFound(ErrorCodes.NotFound, $"No workspace with slug '{slug}'."));
}
