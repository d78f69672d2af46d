using Hatbox.Common.Redis;
using Npgsql;

namespace Hatbox.Common.Errors;

/// <summary>Tells a shared store not answering apart from a fault of ours.</summary>
internal static class StoreOutage
{
    /// <summary>
    /// The store that did not answer (one of <see cref="StoreNames"/>), if that is what the exception
    /// says. The tenant and file stores name themselves; a transient failure of Npgsql that nobody
    /// wrapped comes from the platform's EF Core context (bare, inside a <c>DbUpdateException</c>, or
    /// inside the execution strategy's "likely due to a transient failure").
    /// </summary>
    public static string? StoreOf(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StoreUnavailableException store:
                    return store.Service;
                case RedisUnavailableException:
                    return StoreNames.Redis;
                case NpgsqlException { IsTransient: true }:
                    return StoreNames.Platform;
            }
        }
        return null;
    }
}
