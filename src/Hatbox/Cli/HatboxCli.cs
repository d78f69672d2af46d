using System.CommandLine;

namespace Hatbox.Cli;

/// <summary>The command tree of the one <c>hatbox</c> binary.</summary>
internal static class HatboxCli
{
    public static RootCommand Create() => new("Hatbox: a self-hosted, WorqHat-compatible API platform.")
    {
        ServeCommand.Create(),
        MigrateCommand.Create(),
        TlsCommand.Create(),
        Admin.AdminCommand.Create(),
    };
}
