using Hatbox.Features.Ai.Index;
using Hatbox.Features.Db;
using Hatbox.Features.Workspaces;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// The workspace's search indexes in one environment: per table the columns embedded, the
/// model, and how far the backfill has come (rows indexed of total), from the same
/// <see cref="SearchIndexes"/> as <c>GET /v1/…/search-indexes</c> and <c>_meta.index_status</c>.
/// Every member may look, as on the API.
/// </summary>
internal sealed class SearchModel(WorkspaceService workspaces, WorkspaceHosts hosts, SearchIndexes indexes)
    : WorkspacePage(workspaces, hosts)
{
    public string Environment { get; private set; } = "production";

    public string Model => indexes.ModelId;

    public IReadOnlyList<TableIndex> Tables { get; private set; } = [];

    public async Task OnGetAsync(string? environment, CancellationToken ct)
    {
        if (!DbEnvironments.TryParse(environment, out var env))
        {
            env = DbEnvironment.Production;
        }
        Environment = env.Name();
        Tables = await indexes.ListAsync(Workspace.Id, env, ct);
    }

    public static int Percent(IndexStatus status) =>
        status.Total == 0 ? 100 : (int)Math.Clamp(status.Indexed * 100 / status.Total, 0, 100);
}
