using System.Numerics.Tensors;

namespace Hatbox.Features.Ai.Index;

/// <summary>
/// One table's vectors in memory: one contiguous array (row-major, unit-length rows) so a query
/// is a run of SIMD dot products. Grows by a quarter at a time, so resident vectors cost at most
/// 1.25× their raw size. Many readers at once; the indexer is the one writer.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "The lock lives exactly as long as the vectors; it holds no handle the collector would not free with it.")]
internal sealed class TableVectors(int dimensions)
{
    readonly ReaderWriterLockSlim _lock = new();
    readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    readonly List<string> _keys = [];
    float[] _matrix = [];

    public int Dimensions { get; } = dimensions;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _keys.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    public long ResidentBytes => (long)_matrix.Length * sizeof(float);

    public void Set(string key, ReadOnlySpan<float> vector)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = _keys.Count;
                EnsureCapacity(slot + 1);
                _keys.Add(key);
                _slots[key] = slot;
            }
            vector.CopyTo(_matrix.AsSpan(slot * Dimensions, Dimensions));
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Removes by moving the last row into the hole, so the array stays dense.</summary>
    public void Remove(string key)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.Remove(key, out var slot))
                return;
            var last = _keys.Count - 1;
            if (slot != last)
            {
                _matrix.AsSpan(last * Dimensions, Dimensions).CopyTo(_matrix.AsSpan(slot * Dimensions, Dimensions));
                _keys[slot] = _keys[last];
                _slots[_keys[slot]] = slot;
            }
            _keys.RemoveAt(last);
        }
        finally { _lock.ExitWriteLock(); }
    }

    public float[]? Get(string key)
    {
        _lock.EnterReadLock();
        try { return _slots.TryGetValue(key, out var slot) ? _matrix.AsSpan(slot * Dimensions, Dimensions).ToArray() : null; }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The <paramref name="limit"/> rows most similar to <paramref name="query"/> (cosine, descending) that <paramref name="allow"/> lets through.</summary>
    public List<(string Key, float Score)> Nearest(ReadOnlySpan<float> query, int limit, Func<string, bool>? allow = null)
    {
        _lock.EnterReadLock();
        try
        {
            var top = new PriorityQueue<(string Key, float Score), float>(limit + 1);
            for (var slot = 0; slot < _keys.Count; slot++)
            {
                var score = TensorPrimitives.Dot(query, _matrix.AsSpan(slot * Dimensions, Dimensions));
                if (top.Count == limit && score <= top.Peek().Score)
                    continue;
                if (allow is not null && !allow(_keys[slot]))
                    continue;
                top.Enqueue((_keys[slot], score), score);
                if (top.Count > limit)
                    top.Dequeue();
            }
            var found = new List<(string, float)>(top.Count);
            while (top.Count > 0)
                found.Add(top.Dequeue());
            found.Reverse();
            return found;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>A copy of every key and vector, for the analyses that look at all rows at once.</summary>
    public (string[] Keys, float[] Matrix) Snapshot()
    {
        _lock.EnterReadLock();
        try { return ([.. _keys], _matrix.AsSpan(0, _keys.Count * Dimensions).ToArray()); }
        finally { _lock.ExitReadLock(); }
    }

    void EnsureCapacity(int rows)
    {
        if (_matrix.Length >= rows * Dimensions)
            return;
        var capacity = Math.Max(rows, Math.Max(16, _matrix.Length / Dimensions * 5 / 4));
        Array.Resize(ref _matrix, capacity * Dimensions);
    }
}
