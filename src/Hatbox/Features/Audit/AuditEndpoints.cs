using System.Globalization;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Accounts;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Audit;

/// <summary><c>/v1/workspaces/{workspaceId}/audit-events</c>: who changed keys, roles, API access and invitations; admins only.</summary>
internal static class AuditEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static RouteGroupBuilder MapAuditEvents(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/workspaces/{workspaceId}/audit-events").WithTags("Audit");

        group.MapGet("/", ListAuditEvents).WithName("ListAuditEvents");
        return group;
    }

    /// <summary><paramref name="limit"/> is read as text so that a bad value gets our 400 with <c>param</c>, not the framework's.</summary>
    static async Task<Results<Ok<Page<AuditEventResponse>>, ApiError>> ListAuditEvents(
        string workspaceId, string? limit, string? cursor, SignedInUser me, WorkspaceAccess access, HatboxDbContext db,
        CancellationToken ct)
    {
        var caller = await access.RequireAsync(me.UserId, workspaceId, WorkspaceRole.Admin, ct);
        if (!caller.Succeeded)
        {
            return caller.Error!;
        }
        var pageSize = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize)
            || pageSize is < 1 or > MaxLimit))
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, $"limit is a whole number from 1 to {MaxLimit}.", "limit");
        }
        var page = await AuditLog.ListAsync(db, caller.Value!.WorkspaceId, pageSize, string.IsNullOrEmpty(cursor) ? null : cursor, ct);
        return page.Succeeded ? TypedResults.Ok(page.Value!) : page.Error!;
    }
}
