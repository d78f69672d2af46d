using System.Numerics.Tensors;

namespace Hatbox.Features.Ai.Index;

/// <summary>
/// One table's vectors in memory: one contiguous array (row-major, unit-length rows) so a query
/// is a run of SIMD dot products. Grows by an eighth at a time, so resident vectors (keys
/// included) cost at most 1.25× their raw size. Above <see cref="SyncApproximate"/>'s row count an
/// <see cref="ApproximateIndex"/> proposes the candidates instead of a full scan, behind the same
/// <see cref="Nearest"/>. Many readers at once; the indexer is the one writer.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "The lock lives exactly as long as the vectors; the native graph is freed by Drop on eviction and by its finalizer otherwise.")]
internal sealed class TableVectors(int dimensions)
{
    readonly ReaderWriterLockSlim _lock = new();
    readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    readonly List<string> _keys = [];
    float[] _matrix = [];
    ApproximateIndex? _approximate;

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

    /// <summary>Native bytes of the approximate graph (0 while search is exact).</summary>
    public long ApproximateBytes => Volatile.Read(ref _approximate)?.ResidentBytes ?? 0;

    public bool Approximate => Volatile.Read(ref _approximate) is not null;

    /// <summary>Sizes the array for <paramref name="rows"/> exactly, before loading that many.</summary>
    public void Reserve(int rows)
    {
        _lock.EnterWriteLock();
        try
        {
            if (_matrix.Length < rows * Dimensions)
                Array.Resize(ref _matrix, rows * Dimensions);
        }
        finally { _lock.ExitWriteLock(); }
    }

    public void Set(string key, ReadOnlySpan<float> vector)
    {
        _lock.EnterWriteLock();
        try
        {
            SetLocked(key, vector);
            _approximate?.Upsert([(key, vector.ToArray())]);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Many rows under one lock, and one batch for the approximate graph.</summary>
    public void SetMany(IReadOnlyList<(string Key, float[] Vector)> rows)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var (key, vector) in rows)
                SetLocked(key, vector);
            _approximate?.Upsert(rows);
        }
        finally { _lock.ExitWriteLock(); }
    }

    void SetLocked(string key, ReadOnlySpan<float> vector)
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

    /// <summary>
    /// Builds the approximate graph once the table has <paramref name="aboveRows"/> rows (0: never),
    /// drops it below half that, and rebuilds it when removed nodes outnumber live ones. Called by
    /// the writer, so no write can slip in between the snapshot and the swap.
    /// </summary>
    public void SyncApproximate(int aboveRows)
    {
        var current = Volatile.Read(ref _approximate);
        var count = Count;
        if (aboveRows <= 0 || count < aboveRows / 2 || (current is null && count < aboveRows))
        {
            Drop();
            return;
        }
        if (current is not null && current.Removed <= current.Count)
            return;
        // Read straight from the matrix (no copy of it): readers go on, and the one writer is the caller.
        ApproximateIndex built;
        _lock.EnterReadLock();
        try { built = new ApproximateIndex(Dimensions, _keys, _matrix); }
        finally { _lock.ExitReadLock(); }
        _lock.EnterWriteLock();
        try
        {
            (_approximate, current) = (built, _approximate);
        }
        finally { _lock.ExitWriteLock(); }
        current?.Dispose();
    }

    /// <summary>Frees the approximate graph (search is exact until it is built again).</summary>
    public void Drop()
    {
        ApproximateIndex? dropped;
        _lock.EnterWriteLock();
        try
        {
            (dropped, _approximate) = (_approximate, null);
        }
        finally { _lock.ExitWriteLock(); }
        dropped?.Dispose();
    }

    /// <summary>Removes by moving the last row into the hole, so the array stays dense.</summary>
    public void Remove(string key)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.Remove(key, out var slot))
                return;
            _approximate?.Remove(key);
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
            if (_approximate is { } approximate && NearestApproximately(approximate, query, limit, allow) is { } found)
                return found;
            return Scan(query, limit, allow);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Every row scanned: the reference the approximate answers are measured against.</summary>
    public List<(string Key, float Score)> NearestExactly(ReadOnlySpan<float> query, int limit, Func<string, bool>? allow = null)
    {
        _lock.EnterReadLock();
        try { return Scan(query, limit, allow); }
        finally { _lock.ExitReadLock(); }
    }

    List<(string Key, float Score)> Scan(ReadOnlySpan<float> query, int limit, Func<string, bool>? allow)
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

    /// <summary>
    /// Candidates from the graph, scored exactly from the matrix. A filter may reject many of them:
    /// ask for more than needed, and when too few pass, answer null so the caller scans instead.
    /// </summary>
    List<(string Key, float Score)>? NearestApproximately(ApproximateIndex approximate, ReadOnlySpan<float> query, int limit, Func<string, bool>? allow)
    {
        var wanted = Math.Min(_keys.Count, allow is null ? limit : limit * 4 + 16);
        var candidates = approximate.Candidates(query.ToArray(), wanted);
        var scored = new List<(string Key, float Score)>(candidates.Count);
        foreach (var key in candidates)
        {
            if ((allow is null || allow(key)) && _slots.TryGetValue(key, out var slot))
                scored.Add((key, TensorPrimitives.Dot(query, _matrix.AsSpan(slot * Dimensions, Dimensions))));
        }
        if (scored.Count < Math.Min(limit, _keys.Count) && (allow is not null || candidates.Count < wanted))
            return null;
        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        return scored.Count > limit ? scored.GetRange(0, limit) : scored;
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
        var capacity = Math.Max(rows, Math.Max(16, _matrix.Length / Dimensions * 9 / 8));
        Array.Resize(ref _matrix, capacity * Dimensions);
    }
}
