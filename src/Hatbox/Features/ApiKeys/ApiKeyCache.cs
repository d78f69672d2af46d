using System.Collections.Concurrent;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// Verified keys by secret hash. An entry is trusted only while the <see cref="AccessChangeWatcher"/>
/// has confirmed, within the last second, that nothing changed; any change empties the cache, so a
/// revoked key, a demoted creator or a removed member is refused on every node within a second.
/// </summary>
internal sealed class ApiKeyCache(TimeProvider time)
{
    public static readonly TimeSpan TrustWindow = TimeSpan.FromSeconds(1);

    readonly ConcurrentDictionary<SecretHash, ApiCaller> _entries = new();
    readonly Lock _gate = new();
    long _generation;
    long _trustedUntil;

    public long Generation => Volatile.Read(ref _generation);

    public bool TryGet(SecretHash hash, out ApiCaller? caller)
    {
        if (time.GetTimestamp() > Volatile.Read(ref _trustedUntil))
        {
            caller = null;
            return false;
        }
        return _entries.TryGetValue(hash, out caller);
    }

    /// <summary>Adds what was read from the database, unless a change arrived since the read began.</summary>
    public void Add(SecretHash hash, ApiCaller caller, long generationAtRead)
    {
        lock (_gate)
        {
            if (generationAtRead == _generation)
            {
                _entries[hash] = caller;
            }
        }
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _generation++;
            _entries.Clear();
        }
    }

    /// <summary>Called after each successful check for changes.</summary>
    public void Confirm() =>
        Volatile.Write(ref _trustedUntil, time.GetTimestamp() + (long)(TrustWindow.TotalSeconds * time.TimestampFrequency));
}
