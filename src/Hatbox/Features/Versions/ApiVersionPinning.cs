using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Versions;

/// <summary>Pins an organization to the current version on its first API request (seed S5), once.</summary>
internal sealed class ApiVersionPinning(IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task<string> PinAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var organization = await db.Organizations.FirstAsync(o => o.Id == organizationId, cancellationToken);
        if (organization.ApiVersion is null)
        {
            organization.ApiVersion = ApiVersions.Current.Name;
            organization.ApiVersionChangedAt = time.GetUtcNow();
            // Cached keys carry the pin; this makes every node re-read it.
            AccessChanges.Record(db, time, "organization.version_pinned");
            await db.SaveChangesAsync(cancellationToken);
        }
        return organization.ApiVersion;
    }
}
