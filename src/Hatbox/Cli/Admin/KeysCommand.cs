using System.CommandLine;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Accounts;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Cli.Admin;

/// <summary><c>hatbox admin keys create|list|revoke</c>.</summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "Create, list and revoke API keys.") { CreateKey(), ListKeys(), RevokeKey() };

    static Command CreateKey()
    {
        var workspace = WorkspaceTarget.Create();
        var name = new Option<string?>("--name");
        var user = new Option<string?>("--user") { Description = "E-mail of the member the key acts for (default: the first admin)." };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "Expiry time, ISO 8601." };
        var command = new Command("create", "Create an API key; prints the secret once.") { workspace, name, user, expires };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            if (target is null)
            {
                return WorkspaceTarget.NotFound(parse.GetValue(workspace)!);
            }
            var creator = await FindCreatorAsync(services.GetRequiredService<HatboxDbContext>(), target.Id, parse.GetValue(user), token);
            if (creator is null)
            {
                return CliHost.Fail(ApiError.NotFound(ErrorCodes.NotFound, "No such member in this workspace.", "user"));
            }
            var created = await services.GetRequiredService<ApiKeyService>().CreateAsync(target.Id, creator, Actor.Cli,
                new CreateApiKeyRequest(parse.GetValue(name), parse.GetValue(expires)), token);
            return created.Succeeded ? CliHost.Print(parse, created.Value!) : CliHost.Fail(created.Error!);
        }, ct));
        return command;
    }

    static Command ListKeys()
    {
        var workspace = WorkspaceTarget.Create();
        var command = new Command("list", "List a workspace's keys (never their secrets).") { workspace };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            return target is null
                ? WorkspaceTarget.NotFound(parse.GetValue(workspace)!)
                : CliHost.Print(parse, await services.GetRequiredService<ApiKeyService>().ListAsync(target.Id, token));
        }, ct));
        return command;
    }

    static Command RevokeKey()
    {
        var workspace = WorkspaceTarget.Create();
        var keyId = new Argument<string>("KEY_ID");
        var command = new Command("revoke", "Revoke a key at once.") { workspace, keyId };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            if (target is null)
            {
                return WorkspaceTarget.NotFound(parse.GetValue(workspace)!);
            }
            var revoked = await services.GetRequiredService<ApiKeyService>().RevokeAsync(target.Id, parse.GetValue(keyId)!, Actor.Cli, token);
            return revoked.Succeeded ? CliHost.Print(parse, revoked.Value!) : CliHost.Fail(revoked.Error!);
        }, ct));
        return command;
    }

    static async Task<string?> FindCreatorAsync(HatboxDbContext db, string workspaceId, string? email, CancellationToken cancellationToken)
    {
        if (email is not null)
        {
            var normalized = AccountService.NormalizeEmail(email);
            return await (from m in db.Memberships
                          join u in db.Users on m.UserId equals u.Id
                          where m.WorkspaceId == workspaceId && u.Email == normalized
                          select u.Id).FirstOrDefaultAsync(cancellationToken);
        }
        return await db.Memberships.Where(m => m.WorkspaceId == workspaceId && m.Role == WorkspaceRole.Admin)
            .OrderBy(m => m.CreatedAt).Select(m => m.UserId).FirstOrDefaultAsync(cancellationToken);
    }
}
