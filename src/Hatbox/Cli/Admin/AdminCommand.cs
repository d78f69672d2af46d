using System.CommandLine;

namespace Hatbox.Cli.Admin;

/// <summary><c>hatbox admin …</c>: every management operation, for operators and scripts.</summary>
internal static class AdminCommand
{
    public static Command Create() => new("admin", "Manage users, workspaces, members and keys on this server's data.")
    {
        CliHost.Data,
        CliHost.Config,
        CliHost.Json,
        BootstrapCommand.Create(),
        KeysCommand.Create(),
        MembersCommand.Create(),
        OrgsCommand.Create(),
        DomainsCommand.Create(),
        UsageCommand.Create(),
        SearchCommand.Create(),
        FlowsCommand.Create(),
        MoveToCommand.Create(),
    };
}
