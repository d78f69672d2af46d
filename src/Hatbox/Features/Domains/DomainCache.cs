using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Domains;

/// <summary>
/// Every workspace's allowed origins in memory. Domain changes are access changes, so this reloads
/// whenever the key cache's generation moves (a change on this node, or one seen on another node
/// within a second). Calls without an <c>Origin</c> header never touch it.
/// </summary>
internal sealed class DomainCache(ApiKeyCache keys, IServiceScopeFactory scopes)
{
    sealed record Snapshot(long Generation, ILookup<string, OriginPattern> ByWorkspace, OriginPattern[] All);

    Snapshot? _snapshot;

    public async ValueTask<IEnumerable<OriginPattern>> ForWorkspaceAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).ByWorkspace[workspaceId];

    /// <summary>True when some workspace allows the origin: the rule for answering a preflight before any key is seen.</summary>
    public async ValueTask<bool> AnyWorkspaceAllowsAsync(OriginPattern origin, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).All.Any(p => p.Matches(origin));

    async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var generation = keys.Generation;
        if (_snapshot is { } snapshot && snapshot.Generation == generation)
        {
            return snapshot;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var rows = await db.AllowedDomains.AsNoTracking().Select(d => new { d.WorkspaceId, d.Origin }).ToListAsync(cancellationToken);
        var parsed = rows
            .Select(r => (r.WorkspaceId, Ok: OriginPattern.TryParse(r.Origin, out var pattern), pattern))
            .Where(r => r.Ok)
            .ToList();
        var fresh = new Snapshot(generation, parsed.ToLookup(r => r.WorkspaceId, r => r.pattern), parsed.Select(r => r.pattern).ToArray());
        _snapshot = fresh;
        return fresh;
    }
}
