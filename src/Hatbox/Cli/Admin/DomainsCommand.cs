using System.CommandLine;
using Hatbox.Common;
using Hatbox.Features.Domains;

namespace Hatbox.Cli.Admin;

/// <summary><c>hatbox admin domains add|list|remove</c>: a workspace's Allowed Domains.</summary>
internal static class DomainsCommand
{
    public static Command Create() => new("domains", "Allowed Domains for browser calls.") { Add(), List(), Remove() };

    static Command Add()
    {
        var workspace = WorkspaceTarget.Create();
        var origin = new Argument<string>("ORIGIN") { Description = "https://app.example.com or https://*.example.com" };
        var command = new Command("add", "Allow browser calls from an origin.") { workspace, origin };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            if (target is null)
            {
                return WorkspaceTarget.NotFound(parse.GetValue(workspace)!);
            }
            var added = await services.GetRequiredService<DomainService>().AddAsync(target.Id, parse.GetValue(origin), Actor.Cli, token);
            return added.Succeeded ? CliHost.Print(parse, added.Value!) : CliHost.Fail(added.Error!);
        }, ct));
        return command;
    }

    static Command List()
    {
        var workspace = WorkspaceTarget.Create();
        var command = new Command("list", "List the Allowed Domains.") { workspace };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            return target is null
                ? WorkspaceTarget.NotFound(parse.GetValue(workspace)!)
                : CliHost.Print(parse, await services.GetRequiredService<DomainService>().ListAsync(target.Id, token));
        }, ct));
        return command;
    }

    static Command Remove()
    {
        var workspace = WorkspaceTarget.Create();
        var origin = new Argument<string>("ORIGIN");
        var command = new Command("remove", "Stop allowing an origin.") { workspace, origin };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            if (target is null)
            {
                return WorkspaceTarget.NotFound(parse.GetValue(workspace)!);
            }
            var error = await services.GetRequiredService<DomainService>().RemoveAsync(target.Id, parse.GetValue(origin), Actor.Cli, token);
            return error is null ? CliHost.Print(parse, new { removed = true, origin = parse.GetValue(origin) }) : CliHost.Fail(error);
        }, ct));
        return command;
    }
}
