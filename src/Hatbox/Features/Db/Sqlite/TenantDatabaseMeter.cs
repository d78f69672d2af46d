using Hatbox.Data;
using Hatbox.Features.Plans;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// The organization's tenant databases, in bytes on disk: the database, WAL and shared-memory files
/// of every workspace and environment (<see cref="StorageQuota"/> adds the other features' share).
/// </summary>
internal sealed class TenantDatabaseMeter(HatboxDbContext db, TenantDatabasePaths paths) : IStorageMeter
{
    public async Task<long> MeasureBytesAsync(string organizationId, CancellationToken cancellationToken)
    {
        var workspaces = await db.Workspaces.AsNoTracking()
            .Where(w => w.OrganizationId == organizationId)
            .Select(w => w.Id)
            .ToListAsync(cancellationToken);
        long bytes = 0;
        foreach (var workspace in workspaces)
        {
            var folder = new DirectoryInfo(paths.WorkspaceDirectory(workspace));
            if (folder.Exists)
            {
                bytes += folder.EnumerateFiles().Sum(file => file.Length);
            }
        }
        return bytes;
    }
}
