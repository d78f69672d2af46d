using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Domains;

/// <summary>A workspace's Allowed Domains, for the <c>/v1</c> API, the portal and the admin CLI.</summary>
internal sealed class DomainService(HatboxDbContext db, TimeProvider time)
{
    public const int MaxPerWorkspace = 100;

    public sealed record DomainResponse(string Origin, DateTimeOffset CreatedAt);

    public async Task<List<DomainResponse>> ListAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await db.AllowedDomains.AsNoTracking().Where(d => d.WorkspaceId == workspaceId).ToListAsync(cancellationToken))
        .OrderBy(d => d.Origin, StringComparer.Ordinal).Select(d => new DomainResponse(d.Origin, d.CreatedAt)).ToList();

    public async Task<Outcome<DomainResponse>> AddAsync(string workspaceId, string? origin, Actor actor, CancellationToken cancellationToken)
    {
        if (!OriginPattern.TryParse(origin, out var pattern))
        {
            return DomainErrors.InvalidOrigin;
        }
        var canonical = pattern.Canonical;
        var existing = await db.AllowedDomains.AsNoTracking()
            .FirstOrDefaultAsync(d => d.WorkspaceId == workspaceId && d.Origin == canonical, cancellationToken);
        if (existing is not null)
        {
            return new DomainResponse(existing.Origin, existing.CreatedAt);
        }
        if (await db.AllowedDomains.CountAsync(d => d.WorkspaceId == workspaceId, cancellationToken) >= MaxPerWorkspace)
        {
            return new ApiError(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, "domain_limit_reached",
                $"A workspace lists at most {MaxPerWorkspace} allowed domains.");
        }
        var domain = new AllowedDomain { WorkspaceId = workspaceId, Origin = canonical, CreatedAt = time.GetUtcNow() };
        db.AllowedDomains.Add(domain);
        AuditLog.Record(db, time, workspaceId, actor, "domain.added", canonical);
        AccessChanges.Record(db, time, "domain.added");
        await db.SaveChangesAsync(cancellationToken);
        return new DomainResponse(domain.Origin, domain.CreatedAt);
    }

    public async Task<ApiError?> RemoveAsync(string workspaceId, string? origin, Actor actor, CancellationToken cancellationToken)
    {
        var canonical = OriginPattern.TryParse(origin, out var pattern) ? pattern.Canonical : origin;
        var domain = await db.AllowedDomains.FirstOrDefaultAsync(d => d.WorkspaceId == workspaceId && d.Origin == canonical, cancellationToken);
        if (domain is null)
        {
            return ApiError.NotFound(ErrorCodes.NotFound, "That origin is not in this workspace's Allowed Domains.", "origin");
        }
        db.AllowedDomains.Remove(domain);
        AuditLog.Record(db, time, workspaceId, actor, "domain.removed", domain.Origin);
        AccessChanges.Record(db, time, "domain.removed");
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
