using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// Empties this node's key cache right after a save that recorded an <see cref="AccessChange"/>,
/// so a change made here is felt here at once; other nodes hear of it through
/// <see cref="AccessChangeWatcher"/>. After the commit, never before: a read between the two
/// would otherwise put the old state back into the cache.
/// </summary>
internal sealed class AccessChangeInterceptor(ApiKeyCache cache) : SaveChangesInterceptor
{
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        InvalidateIfNeeded(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        InvalidateIfNeeded(eventData.Context);
        return ValueTask.FromResult(result);
    }

    void InvalidateIfNeeded(DbContext? context)
    {
        // Saved AccessChange rows stay tracked (Unchanged) in the saving context.
        if (context?.ChangeTracker.Entries<AccessChange>().Any() == true)
        {
            cache.Invalidate();
        }
    }
}
