using System.CommandLine;
using System.Text.Json;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Features.Flows;

namespace Hatbox.Cli.Admin;

/// <summary><c>hatbox admin flows create|list|show|update|delete|runs</c>: a workspace's flows, through the same service as <c>/v1</c>.</summary>
internal static class FlowsCommand
{
    public static Command Create() => new("flows", "Flow definitions and their runs.") { CreateFlow(), List(), Show(), Update(), Delete(), Runs() };

    static Command CreateFlow()
    {
        var workspace = WorkspaceTarget.Create();
        var file = FileOption();
        var command = new Command("create", "Save a new flow from a JSON document.") { workspace, file };
        command.SetAction((parse, ct) => OnWorkspace(parse, workspace, async (services, workspaceId, token) =>
        {
            var document = await ReadDocumentAsync(parse.GetValue(file)!, token);
            if (!document.Succeeded)
            {
                return CliHost.Fail(document.Error!);
            }
            var created = await services.GetRequiredService<FlowService>().CreateAsync(workspaceId, document.Value, Actor.Cli, token);
            return created.Succeeded ? CliHost.Print(parse, Summary(created.Value!)) : CliHost.Fail(created.Error!);
        }, ct));
        return command;
    }

    static Command Update()
    {
        var workspace = WorkspaceTarget.Create();
        var file = FileOption();
        var flowId = new Argument<string>("FLOW_ID");
        var command = new Command("update", "Save a new version of a flow.") { workspace, file, flowId };
        command.SetAction((parse, ct) => OnWorkspace(parse, workspace, async (services, workspaceId, token) =>
        {
            var document = await ReadDocumentAsync(parse.GetValue(file)!, token);
            if (!document.Succeeded)
            {
                return CliHost.Fail(document.Error!);
            }
            var updated = await services.GetRequiredService<FlowService>().UpdateAsync(workspaceId, parse.GetValue(flowId)!, document.Value, Actor.Cli, token);
            return updated.Succeeded ? CliHost.Print(parse, Summary(updated.Value!)) : CliHost.Fail(updated.Error!);
        }, ct));
        return command;
    }

    static Command List()
    {
        var workspace = WorkspaceTarget.Create();
        var command = new Command("list", "List the workspace's flows.") { workspace };
        command.SetAction((parse, ct) => OnWorkspace(parse, workspace, async (services, workspaceId, token) =>
            CliHost.Print(parse, (await services.GetRequiredService<FlowService>().ListAsync(workspaceId, token)).Select(Summary).ToList()), ct));
        return command;
    }

    static Command Show()
    {
        var workspace = WorkspaceTarget.Create();
        var flowId = new Argument<string>("FLOW_ID");
        var command = new Command("show", "A flow with its current document.") { workspace, flowId };
        command.SetAction((parse, ct) => OnWorkspace(parse, workspace, async (services, workspaceId, token) =>
        {
            var flow = await services.GetRequiredService<FlowService>().GetAsync(workspaceId, parse.GetValue(flowId)!, token);
            return flow.Succeeded ? CliHost.Print(parse, flow.Value!) : CliHost.Fail(flow.Error!);
        }, ct));
        return command;
    }

    static Command Delete()
    {
        var workspace = WorkspaceTarget.Create();
        var flowId = new Argument<string>("FLOW_ID");
        var command = new Command("delete", "Delete a flow and its versions (its runs stay in the history).") { workspace, flowId };
        command.SetAction((parse, ct) => OnWorkspace(parse, workspace, async (services, workspaceId, token) =>
        {
            var id = parse.GetValue(flowId)!;
            return await services.GetRequiredService<FlowService>().DeleteAsync(workspaceId, id, token)
                ? CliHost.Print(parse, new { deleted = true, flowId = id })
                : CliHost.Fail(FlowErrors.FlowNotFound);
        }, ct));
        return command;
    }

    static Command Runs()
    {
        var workspace = WorkspaceTarget.Create();
        var flowId = new Argument<string?>("FLOW_ID") { Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 50 };
        var command = new Command("runs", "Recent runs, newest first (of one flow, or all).") { workspace, flowId, limit };
        command.SetAction((parse, ct) => OnWorkspace(parse, workspace, async (services, workspaceId, token) =>
        {
            var runs = await services.GetRequiredService<FlowService>().ListRunsAsync(workspaceId, parse.GetValue(flowId), parse.GetValue(limit), token);
            return CliHost.Print(parse, runs.Select(r => new
            {
                analyticsId = r.Id,
                r.FlowId,
                r.FlowVersion,
                r.Status,
                r.StartedAt,
                r.EndedAt,
                r.DurationMs,
                error = r.Error?.Code,
                step = r.Error?.Step,
            }).ToList());
        }, ct));
        return command;
    }

    static Option<string> FileOption() => new("--file") { Description = "The flow document (JSON).", Required = true };

    static object Summary(FlowResponse flow) => new { flowId = flow.FlowId, name = flow.Name, version = flow.Version, workspaceId = flow.WorkspaceId, flow.CreatedAt, flow.UpdatedAt };

    static Task<int> OnWorkspace(ParseResult parse, Option<string> workspace, Func<IServiceProvider, string, CancellationToken, Task<int>> action,
        CancellationToken ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            return target is null ? WorkspaceTarget.NotFound(parse.GetValue(workspace)!) : await action(services, target.Id, token);
        }, ct);

    static async Task<Outcome<JsonElement>> ReadDocumentAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            return document.RootElement.Clone();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, $"Cannot read {path}: {error.Message}", "file");
        }
        catch (JsonException error)
        {
            return ApiError.BadRequest(ErrorCodes.InvalidJson, $"{path} is not JSON: {error.Message}", "file");
        }
    }
}
