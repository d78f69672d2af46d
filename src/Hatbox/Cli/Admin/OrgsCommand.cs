using System.CommandLine;
using Hatbox.Common;
using Hatbox.Features.Organizations;
using Hatbox.Features.Versions;

namespace Hatbox.Cli.Admin;

/// <summary><c>hatbox admin orgs set-version</c>: organization-wide settings.</summary>
internal static class OrgsCommand
{
    public static readonly Option<string> Org = new("--org") { Description = "The organization id (org_…, the ORG key).", Required = true };

    public static Command Create() => new("orgs", "Organization settings: plan and API version.") { SetPlan(), SetVersion() };

    static Command SetPlan()
    {
        var plan = new Argument<string>("PLAN") { Description = "A plan name from configuration, e.g. free or pro." };
        var command = new Command("set-plan", "Move the organization to another plan.") { Org, plan };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var result = await services.GetRequiredService<OrganizationService>().SetPlanAsync(parse.GetValue(Org)!, parse.GetValue(plan), Actor.Cli, token);
            return result.Succeeded ? CliHost.Print(parse, result.Value!) : CliHost.Fail(result.Error!);
        }, ct));
        return command;
    }

    static Command SetVersion()
    {
        var version = new Argument<string>("VERSION") { Description = "An API version date, e.g. 2025-10-28." };
        var command = new Command("set-version", "Pin the organization to an API version (operators may also move it back).") { Org, version };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var result = await services.GetRequiredService<ApiVersionService>()
                .SetAsync(parse.GetValue(Org)!, parse.GetValue(version), allowDowngrade: true, token);
            return result.Succeeded ? CliHost.Print(parse, result.Value!) : CliHost.Fail(result.Error!);
        }, ct));
        return command;
    }
}
