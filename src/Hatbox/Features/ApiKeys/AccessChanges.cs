using Hatbox.Data;

namespace Hatbox.Features.ApiKeys;

/// <summary>Marks, in the same unit of work, that cached keys must be re-read on every node.</summary>
internal static class AccessChanges
{
    public static void Record(HatboxDbContext db, TimeProvider time, string reason) =>
        db.AccessChanges.Add(new AccessChange { Reason = reason, At = time.GetUtcNow() });
}
