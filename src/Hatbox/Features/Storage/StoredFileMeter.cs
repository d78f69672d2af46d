using Hatbox.Data;
using Hatbox.Features.Plans;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Storage;

/// <summary>Files' share of an organization's storage: the sum of its workspaces' file sizes.</summary>
internal sealed class StoredFileMeter(HatboxDbContext db) : IStorageMeter
{
    public Task<long> MeasureBytesAsync(string organizationId, CancellationToken cancellationToken) =>
        db.StoredFiles
            .Where(f => db.Workspaces.Any(w => w.Id == f.WorkspaceId && w.OrganizationId == organizationId))
            .SumAsync(f => f.Size, cancellationToken);
}
