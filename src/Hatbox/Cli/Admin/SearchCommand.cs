using System.CommandLine;
using Hatbox.Features.Ai;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.Db;

namespace Hatbox.Cli.Admin;

/// <summary>
/// <c>hatbox admin search list|columns</c>: which tables are indexed for search and on which
/// columns. A running server picks a new column choice up at the table's next write or restart.
/// </summary>
internal static class SearchCommand
{
    public static Command Create() => new("search", "Semantic search indexes: tables and their text columns.") { List(), Columns() };

    static Option<string> Environment() => new("--environment") { Description = "production (default), staging or development." };

    static Command List()
    {
        var workspace = WorkspaceTarget.Create();
        var environment = Environment();
        var command = new Command("list", "List the indexed tables and their columns.") { workspace, environment };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            if (target is null)
                return WorkspaceTarget.NotFound(parse.GetValue(workspace)!);
            if (!DbEnvironments.TryParse(parse.GetValue(environment), out var env))
                return CliHost.Fail(DbErrors.InvalidEnvironment());
            var indexes = services.GetRequiredService<SearchIndexes>();
            var items = await indexes.ListAsync(target.Id, env, token);
            return CliHost.Print(parse, items.Select(index => SearchIndexEndpoints.Info(index, indexes.ModelId)).ToList());
        }, ct));
        return command;
    }

    static Command Columns()
    {
        var workspace = WorkspaceTarget.Create();
        var environment = Environment();
        var table = new Argument<string>("TABLE");
        var columns = new Argument<string[]>("COLUMN") { Arity = ArgumentArity.ZeroOrMore, Description = "The columns to embed; none means every text column." };
        var command = new Command("columns", "Choose the columns a table's rows are embedded from.") { workspace, environment, table, columns };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            if (target is null)
                return WorkspaceTarget.NotFound(parse.GetValue(workspace)!);
            if (!DbEnvironments.TryParse(parse.GetValue(environment), out var env))
                return CliHost.Fail(DbErrors.InvalidEnvironment());
            var chosen = parse.GetValue(columns) is { Length: > 0 } names ? names : null;
            var indexes = services.GetRequiredService<SearchIndexes>();
            var configured = await indexes.ConfigureAsync(target.Id, env, parse.GetValue(table)!, chosen, token);
            return configured.Succeeded
                ? CliHost.Print(parse, SearchIndexEndpoints.Info(configured.Value!, indexes.ModelId))
                : CliHost.Fail(configured.Error!);
        }, ct));
        return command;
    }
}
