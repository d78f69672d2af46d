using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.Db;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Ai;

/// <summary>
/// <c>/v1/workspaces/{workspaceId}/search-indexes</c>: which tables are indexed for search, on
/// which columns, and how far a backfill has come. Members read; admins choose the columns.
/// </summary>
internal static class SearchIndexEndpoints
{
    public static RouteGroupBuilder MapSearchIndexes(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/workspaces/{workspaceId}/search-indexes").WithTags("Search indexes");

        group.MapGet("/", ListSearchIndexes).WithName("ListSearchIndexes");
        group.MapPut("/{table}", ConfigureSearchIndex).WithName("ConfigureSearchIndex");
        return group;
    }

    static async Task<Results<Ok<SearchIndexList>, ApiError>> ListSearchIndexes(
        string workspaceId, string? environment, SignedInUser me, WorkspaceAccess access, SearchIndexes indexes, CancellationToken ct)
    {
        var member = await access.RequireAsync(me.UserId, workspaceId, WorkspaceRole.Member, ct);
        if (!member.Succeeded)
            return member.Error!;
        if (!DbEnvironments.TryParse(environment, out var env))
            return DbErrors.InvalidEnvironment();
        var items = await indexes.ListAsync(member.Value!.WorkspaceId, env, ct);
        return TypedResults.Ok(new SearchIndexList([.. items.Select(i => Info(i, indexes.ModelId))], null));
    }

    static async Task<Results<Ok<SearchIndexInfo>, ApiError>> ConfigureSearchIndex(
        string workspaceId, string table, Body<ConfigureSearchIndexRequest> body, SignedInUser me, WorkspaceAccess access,
        SearchIndexes indexes, CancellationToken ct)
    {
        var member = await access.RequireAsync(me.UserId, workspaceId, WorkspaceRole.Admin, ct);
        if (!member.Succeeded)
            return member.Error!;
        if (!DbEnvironments.TryParse(body.Value.Environment, out var env))
            return DbErrors.InvalidEnvironment();
        var configured = await indexes.ConfigureAsync(member.Value!.WorkspaceId, env, table, body.Value.Columns, ct);
        return configured.Succeeded ? TypedResults.Ok(Info(configured.Value!, indexes.ModelId)) : configured.Error!;
    }

    /// <summary>The answer for one table's index, as <c>/v1</c> and the admin CLI print it.</summary>
    internal static SearchIndexInfo Info(TableIndex index, string model) =>
        new(index.Table, index.Environment.Name(), index.TextColumns, model, index.Status());
}
