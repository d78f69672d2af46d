using Hatbox.Features.Db;

namespace Hatbox.Features.Ai.Index;

/// <summary>
/// The search index of one table in one workspace and environment: vectors in memory (loaded
/// from an <see cref="IIndexStore"/>), the content hash of every row the indexer has seen, and the
/// progress of the pass that brings them up to date.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "The gate lives exactly as long as the index, which is dropped, not disposed, on eviction.")]
internal sealed class TableIndex(string workspaceId, DbEnvironment environment, string table, IIndexStore store, int dimensions)
{
    int _dirty;
    int _fullPass = 1;
    long _total;
    long _indexed;

    public string WorkspaceId { get; } = workspaceId;
    public DbEnvironment Environment { get; } = environment;
    public string Table { get; } = table;
    public IIndexStore Store { get; } = store;
    public TableVectors Vectors { get; } = new(dimensions);

    /// <summary>Who answers nearest-neighbour questions: <see cref="Vectors"/> in memory unless the store searches itself (pgvector).</summary>
    public IVectorSearch Search { get => _search ??= new InProcessVectorSearch(Vectors); set => _search = value; }

    IVectorSearch? _search;

    /// <summary>
    /// Held by whoever changes <see cref="Hashes"/>, <see cref="Vectors"/> and <see cref="Version"/>:
    /// this node's indexer, or a search bringing in what other nodes stored.
    /// </summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The store's version this copy has caught up with (shared stores only).</summary>
    public long Version { get; set; }

    /// <summary>When a search last asked the shared store for its version (<see cref="System.Environment.TickCount64"/>).</summary>
    public long LastVersionCheckTicks { get; set; }

    /// <summary>Key → hash of model and text, as stored; touched under <see cref="Gate"/> only.</summary>
    public Dictionary<string, byte[]> Hashes { get; } = new(StringComparer.Ordinal);

    /// <summary>The text columns the last pass embedded (the admin's choice, else every text column).</summary>
    public string[] TextColumns { get; set; } = [];

    /// <summary>The primary key column, or null for SQLite's rowid.</summary>
    public string? KeyColumn { get; set; }

    /// <summary>Whether the key is an integer (rowid or an INTEGER primary key), for binding lookups.</summary>
    public bool IntegerKey { get; set; } = true;

    public TaskCompletionSource FirstPass { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Ready => FirstPass.Task.IsCompleted && Volatile.Read(ref _dirty) == 0 && Indexed >= Total;

    public long Total { get => Interlocked.Read(ref _total); set => Interlocked.Exchange(ref _total, value); }

    public long Indexed { get => Interlocked.Read(ref _indexed); set => Interlocked.Exchange(ref _indexed, value); }

    public long LastUsedTicks { get; set; } = System.Environment.TickCount64;

    /// <summary>When a write notice last arrived for this table (<see cref="System.Environment.TickCount64"/>).</summary>
    public long LastWriteTicks { get; set; }

    /// <summary>True when this call is the one that marked a clean index dirty (and so must queue it).</summary>
    public bool MarkDirty() => Interlocked.Exchange(ref _dirty, 1) == 0;

    public void MarkClean() => Volatile.Write(ref _dirty, 0);

    /// <summary>The largest integer key the last pass saw; rows added since have larger ones.</summary>
    public long? LastKey { get; set; }

    /// <summary>Something other than an insert happened: the next pass must look at every row.</summary>
    public void NeedFullPass() => Volatile.Write(ref _fullPass, 1);

    public bool TakeFullPass() => Interlocked.Exchange(ref _fullPass, 0) == 1;

    public IndexStatus Status() => new(Ready ? "ready" : "indexing", Indexed, Total);
}

/// <summary><c>_meta.index_status</c>: whether every row is searchable yet.</summary>
internal sealed record IndexStatus(string State, long Indexed, long Total);
