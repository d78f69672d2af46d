using System.CommandLine;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Accounts;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Plans;
using Hatbox.Features.Workspaces;

namespace Hatbox.Cli.Admin;

/// <summary>
/// <c>hatbox admin bootstrap</c>: the first user, organization, workspace (user as admin with API
/// access) and one API key, in one go.
/// </summary>
internal static class BootstrapCommand
{
    public sealed record Result(string UserId, string OrganizationId, string OrgKey, string WorkspaceId, string Workspace, string ApiKey, string KeyId);

    public static Command Create()
    {
        var email = new Option<string>("--email") { Required = true };
        var password = new Option<string>("--password") { Required = true };
        var org = new Option<string>("--org") { Description = "Organization name.", Required = true };
        var workspace = new Option<string>("--workspace") { Description = "Workspace slug.", Required = true };
        var plan = new Option<string>("--plan") { DefaultValueFactory = _ => WorkspaceService.DefaultPlan };
        var command = new Command("bootstrap", "Create a user, organization, workspace and API key.") { email, password, org, workspace, plan };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            if (!services.GetRequiredService<PlanCatalog>().Exists(parse.GetValue(plan)!))
            {
                return CliHost.Fail(ApiError.BadRequest(ErrorCodes.ParameterInvalid, "Unknown plan; plans come from the Plans configuration section.", "plan"));
            }
            // All or nothing: a taken slug must not leave a user behind.
            await using var transaction = await services.GetRequiredService<HatboxDbContext>().Database.BeginTransactionAsync(token);
            var user = await services.GetRequiredService<AccountService>()
                .SignUpAsync(parse.GetValue(email), parse.GetValue(password), null, token, emailVouchedFor: true);
            if (!user.Succeeded)
            {
                return CliHost.Fail(user.Error!);
            }
            var created = await services.GetRequiredService<WorkspaceService>().CreateAsync(user.Value!.Id,
                new CreateWorkspaceRequest(null, parse.GetValue(workspace), parse.GetValue(org), parse.GetValue(plan)), token);
            if (!created.Succeeded)
            {
                return CliHost.Fail(created.Error!);
            }
            var key = await services.GetRequiredService<ApiKeyService>().CreateAsync(created.Value!.Id, user.Value.Id, Actor.Cli,
                new CreateApiKeyRequest("Bootstrap key", null), token);
            if (!key.Succeeded)
            {
                return CliHost.Fail(key.Error!);
            }
            await transaction.CommitAsync(token);
            return CliHost.Print(parse, new Result(user.Value.Id, created.Value.OrganizationId, created.Value.OrgKey,
                created.Value.Id, created.Value.Slug, key.Value!.ApiKey, key.Value.KeyId));
        }, ct));
        return command;
    }
}
