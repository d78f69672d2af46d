using System.CommandLine;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Accounts;
using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Cli.Admin;

/// <summary><c>hatbox admin members list|invite|update|remove</c>.</summary>
internal static class MembersCommand
{
    public static Command Create() => new("members", "List, invite, change and remove workspace members.")
    {
        List(), Invite(), Update(), Remove(),
    };

    static Command List()
    {
        var workspace = WorkspaceTarget.Create();
        var command = new Command("list", "List members with roles and API access.") { workspace };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            return target is null
                ? WorkspaceTarget.NotFound(parse.GetValue(workspace)!)
                : CliHost.Print(parse, await services.GetRequiredService<MemberService>().ListAsync(target.Id, token));
        }, ct));
        return command;
    }

    static Command Invite()
    {
        var workspace = WorkspaceTarget.Create();
        var email = new Argument<string>("EMAIL");
        var role = new Option<string>("--role") { DefaultValueFactory = _ => "member" };
        var command = new Command("invite", "Invite an e-mail address; accepted when it signs up or signs in.") { workspace, email, role };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var target = await WorkspaceTarget.ResolveAsync(services, parse.GetValue(workspace)!, token);
            if (target is null)
            {
                return WorkspaceTarget.NotFound(parse.GetValue(workspace)!);
            }
            var invited = await services.GetRequiredService<InvitationService>()
                .InviteAsync(target.Id, parse.GetValue(email), parse.GetValue(role), Actor.Cli, token);
            return invited.Succeeded ? CliHost.Print(parse, invited.Value!) : CliHost.Fail(invited.Error!);
        }, ct));
        return command;
    }

    static Command Update()
    {
        var workspace = WorkspaceTarget.Create();
        var email = new Argument<string>("EMAIL");
        var role = new Option<string?>("--role");
        var apiAccess = new Option<bool?>("--api-access");
        var command = new Command("update", "Change a member's role or API access.") { workspace, email, role, apiAccess };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var (target, userId) = await ResolveMemberAsync(services, parse.GetValue(workspace)!, parse.GetValue(email)!, token);
            if (target is null || userId is null)
            {
                return CliHost.Fail(ApiError.NotFound(ErrorCodes.NotFound, "No such workspace or member."));
            }
            var updated = await services.GetRequiredService<MemberService>().UpdateAsync(target.Id, userId,
                new UpdateMemberRequest(parse.GetValue(role), parse.GetValue(apiAccess)), Actor.Cli, token);
            return updated.Succeeded ? CliHost.Print(parse, updated.Value!) : CliHost.Fail(updated.Error!);
        }, ct));
        return command;
    }

    static Command Remove()
    {
        var workspace = WorkspaceTarget.Create();
        var email = new Argument<string>("EMAIL");
        var command = new Command("remove", "Remove a member; their keys stop working.") { workspace, email };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var (target, userId) = await ResolveMemberAsync(services, parse.GetValue(workspace)!, parse.GetValue(email)!, token);
            if (target is null || userId is null)
            {
                return CliHost.Fail(ApiError.NotFound(ErrorCodes.NotFound, "No such workspace or member."));
            }
            var error = await services.GetRequiredService<MemberService>().RemoveAsync(target.Id, userId, Actor.Cli, token);
            return error is null ? CliHost.Print(parse, new { removed = true, userId }) : CliHost.Fail(error);
        }, ct));
        return command;
    }

    static async Task<(Workspace?, string?)> ResolveMemberAsync(IServiceProvider services, string slug, string email, CancellationToken token)
    {
        var target = await WorkspaceTarget.ResolveAsync(services, slug, token);
        if (target is null)
        {
            return (null, null);
        }
        var normalized = AccountService.NormalizeEmail(email);
        var db = services.GetRequiredService<HatboxDbContext>();
        var userId = await (from m in db.Memberships
                            join u in db.Users on m.UserId equals u.Id
                            where m.WorkspaceId == target.Id && u.Email == normalized
                            select u.Id).FirstOrDefaultAsync(token);
        return (target, userId);
    }
}
