using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Hatbox.Common;
using Hatbox.Features.Db;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Ai.Index;

/// <summary>
/// Every table index in memory, found or opened on demand. A table is indexed from the first
/// time it is searched (or configured); opening it loads what is stored and queues a pass that
/// embeds only rows whose content hash changed. Idle tables leave memory and reopen from the store,
/// and so do the least recently searched ones when all of them exceed <c>Ai:MemoryBudgetBytes</c>.
/// When the store is shared by several nodes, a search first loads what the others stored since
/// (at most once per <see cref="VersionCheckMilliseconds"/>), so every node answers alike.
/// </summary>
internal sealed class SearchIndexes(
    IIndexStores stores, ITenantDatabaseProvider databases, IEmbeddingGenerator<string, Embedding<float>> generator,
    IOptions<AiOptions> options) : IDisposable
{
    readonly long _memoryBudget = options.Value.MemoryBudgetBytes;

    /// <summary>How stale a node's copy may be before a search asks the shared store again: well inside the 2 s freshness bound.</summary>
    public const int VersionCheckMilliseconds = 250;

    readonly ConcurrentDictionary<(string, DbEnvironment, string), TableIndex> _tables = new();
    readonly Channel<TableIndex> _queue = Channel.CreateUnbounded<TableIndex>(new UnboundedChannelOptions { SingleReader = true });
    readonly SemaphoreSlim _opening = new(1, 1);

    long _embeddedRows;

    public ChannelReader<TableIndex> Queue => _queue.Reader;

    /// <summary>Rows this process has embedded (not counting rows with no text); a restart that finds everything on disk adds none.</summary>
    public long EmbeddedRows => Interlocked.Read(ref _embeddedRows);

    public void CountEmbedded(int rows) => Interlocked.Add(ref _embeddedRows, rows);

    public string ModelId { get; } = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown";

    public int Dimensions { get; } = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions ?? 0;

    public IEnumerable<TableIndex> Open => _tables.Values;

    /// <summary>The table's index, opened if needed; refuses unknown tables and tables without text.</summary>
    public async Task<Outcome<TableIndex>> GetAsync(string workspaceId, DbEnvironment environment, string table, CancellationToken cancellationToken)
    {
        var columns = await databases.Get(workspaceId, environment).GetColumnsAsync(table, cancellationToken);
        if (!columns.Succeeded)
            return columns.Error!;
        var key = (workspaceId, environment, table.ToLowerInvariant());
        if (_tables.TryGetValue(key, out var open))
        {
            open.LastUsedTicks = Environment.TickCount64;
            if (open.TextColumns.Length == 0)
                return AiErrors.NoTextColumns(table);
            await CatchUpAsync(open, cancellationToken);
            return open;
        }
        var opened = await OpenAsync(key, workspaceId, environment, table, columns.Value!, cancellationToken);
        if (opened.Succeeded)
            KeepWithinBudget(opened.Value!);
        return opened;
    }

    async Task<Outcome<TableIndex>> OpenAsync((string, DbEnvironment, string) key, string workspaceId, DbEnvironment environment,
        string table, IReadOnlyList<DbColumnInfo> columns, CancellationToken cancellationToken)
    {
        var store = stores.Get(workspaceId, environment);
        var settings = (await store.TablesAsync(cancellationToken)).FirstOrDefault(t => string.Equals(t.Name, table, StringComparison.OrdinalIgnoreCase));
        var textColumns = ChooseColumns(columns, settings?.Columns);
        if (textColumns.Length == 0)
            return AiErrors.NoTextColumns(table);

        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_tables.TryGetValue(key, out var open))
                return open;
            var index = new TableIndex(workspaceId, environment, table, store, Dimensions) { TextColumns = textColumns };
            Describe(index, columns);
            if (settings is null)
                await store.SaveTableAsync(table, null, cancellationToken);
            if (store is IStoreVectorSearch searching && await searching.VectorSearchAsync(table, ModelId, Dimensions, cancellationToken) is { } inStore)
                index.Search = inStore;
            var stored = await LoadAsync(index, 0, cancellationToken);
            index.Vectors.Reserve(stored.Rows.Count(row => row.Vector.Length == Dimensions && row.Model == ModelId));
            Take(index, stored);
            index.LastVersionCheckTicks = Environment.TickCount64;
            _tables[key] = index;
            Enqueue(index);
            return index;
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>
    /// The workspace's indexed tables in one environment, opened (so their status is current):
    /// what <c>GET /v1/…/search-indexes</c> and the portal's search page show.
    /// </summary>
    public async Task<List<TableIndex>> ListAsync(string workspaceId, DbEnvironment environment, CancellationToken cancellationToken)
    {
        var items = new List<TableIndex>();
        if (!await stores.ExistsAsync(workspaceId, environment, cancellationToken))
            return items;
        foreach (var table in await stores.Get(workspaceId, environment).TablesAsync(cancellationToken))
        {
            var opened = await GetAsync(workspaceId, environment, table.Name, cancellationToken);
            if (opened.Succeeded)
                items.Add(opened.Value!);
        }
        return items;
    }

    /// <summary>The admin's column choice; null goes back to every text column.</summary>
    public async Task<Outcome<TableIndex>> ConfigureAsync(
        string workspaceId, DbEnvironment environment, string table, IReadOnlyList<string>? columns, CancellationToken cancellationToken)
    {
        var known = await databases.Get(workspaceId, environment).GetColumnsAsync(table, cancellationToken);
        if (!known.Succeeded)
            return known.Error!;
        if (columns is not null)
        {
            if (columns.Count == 0)
                return AiErrors.Invalid("columns", "Name at least one column, or send null for every text column.");
            foreach (var column in columns)
            {
                if (!known.Value!.Any(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase)))
                    return DbErrors.ColumnNotFound(column, "columns");
            }
        }
        await stores.Get(workspaceId, environment).SaveTableAsync(
            table, columns is null ? null : JsonSerializer.Serialize(columns, AiJsonContext.Default.IReadOnlyListString), cancellationToken);
        var opened = await GetAsync(workspaceId, environment, table, cancellationToken);
        if (opened.Succeeded)
        {
            opened.Value!.NeedFullPass();
            opened.Value.TextColumns = ChooseColumns(known.Value!, columns is null ? null : JsonSerializer.Serialize(columns, AiJsonContext.Default.IReadOnlyListString));
            Enqueue(opened.Value);
        }
        return opened;
    }

    /// <summary>Tells the indexer to look at the tables a change may have touched.</summary>
    public void Changed(TenantChange change)
    {
        foreach (var index in _tables.Values)
        {
            if (index.WorkspaceId == change.WorkspaceId && index.Environment == change.Environment
                && (change.Table is null || string.Equals(index.Table, change.Table, StringComparison.OrdinalIgnoreCase)))
            {
                if (!change.InsertOnly)
                    index.NeedFullPass();
                index.LastWriteTicks = Environment.TickCount64;
                Enqueue(index);
            }
        }
    }

    public void Enqueue(TableIndex index)
    {
        if (index.MarkDirty())
            _queue.Writer.TryWrite(index);
    }

    /// <summary>Every table some earlier run (of any node, on a shared store) indexed, so the start-up pass can reconcile it.</summary>
    public async Task<List<(string WorkspaceId, DbEnvironment Environment, string Table)>> StoredAsync(CancellationToken cancellationToken)
    {
        var found = new List<(string, DbEnvironment, string)>();
        foreach (var (workspaceId, environment) in await stores.ListAsync(cancellationToken))
            found.AddRange((await stores.Get(workspaceId, environment).TablesAsync(cancellationToken)).Select(t => (workspaceId, environment, t.Name)));
        return found;
    }

    /// <summary>
    /// On a shared store, loads what other nodes stored since this copy's version; skipped while
    /// this node's indexer holds the index (its pass catches up first, and is the only writer then).
    /// </summary>
    async Task CatchUpAsync(TableIndex index, CancellationToken cancellationToken)
    {
        if (!index.Store.Shared || Environment.TickCount64 - index.LastVersionCheckTicks < VersionCheckMilliseconds)
            return;
        if (!await index.Gate.WaitAsync(0, cancellationToken))
            return;
        try
        {
            await CatchUpLockedAsync(index, cancellationToken);
        }
        finally
        {
            index.Gate.Release();
        }
    }

    /// <summary>The caller holds <see cref="TableIndex.Gate"/>.</summary>
    internal async Task CatchUpLockedAsync(TableIndex index, CancellationToken cancellationToken)
    {
        if (!index.Store.Shared)
            return;
        index.LastVersionCheckTicks = Environment.TickCount64;
        var version = await index.Store.VersionAsync(index.Table, cancellationToken);
        if (version <= index.Version)
            return;
        var added = Take(index, await LoadAsync(index, index.Version, cancellationToken));
        // Rows another node indexed count as indexed here too.
        index.Total += added;
        index.Indexed += added;
    }

    /// <summary>The stored rows since <paramref name="sinceVersion"/>; without their vectors when the store searches them itself.</summary>
    static Task<StoredRows> LoadAsync(TableIndex index, long sinceVersion, CancellationToken cancellationToken) =>
        index.Search.InStore && index.Store is IStoreVectorSearch searching
            ? searching.LoadKeysAsync(index.Table, sinceVersion, cancellationToken)
            : index.Store.LoadAsync(index.Table, sinceVersion, cancellationToken);

    /// <summary>Stored rows into the copy in memory; answers how many keys it did not know.</summary>
    int Take(TableIndex index, StoredRows stored)
    {
        var added = 0;
        if (stored.Complete && index.Hashes.Count > 0)
        {
            // Every live row: a key this copy has that is not among them was deleted.
            var live = stored.Rows.Select(row => row.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in index.Hashes.Keys.Where(key => !live.Contains(key)).ToList())
            {
                index.Hashes.Remove(gone);
                index.Vectors.Remove(gone);
                added--;
            }
        }
        var vectors = new List<(string, float[])>();
        foreach (var row in stored.Rows)
        {
            if (row.Deleted)
            {
                added -= index.Hashes.Remove(row.Key) ? 1 : 0;
                index.Vectors.Remove(row.Key);
                continue;
            }
            added += index.Hashes.ContainsKey(row.Key) ? 0 : 1;
            index.Hashes[row.Key] = row.Hash;
            if (row.Vector.Length == Dimensions && row.Model == ModelId)
                vectors.Add((row.Key, row.Vector));
            else
                index.Vectors.Remove(row.Key);
        }
        index.Vectors.SetMany(vectors);
        index.Version = Math.Max(index.Version, stored.Version);
        return added;
    }

    /// <summary>Drops indexes not used for <paramref name="idle"/>; their vectors stay on disk.</summary>
    public void Evict(TimeSpan idle)
    {
        var cutoff = Environment.TickCount64 - (long)idle.TotalMilliseconds;
        foreach (var (key, index) in _tables)
        {
            if (index.LastUsedTicks < cutoff && index.Ready)
                Evict(key, index);
        }
    }

    /// <summary>
    /// While every open index together holds more than the budget, the least recently searched
    /// one (never <paramref name="current"/>, never one still being indexed) leaves memory.
    /// </summary>
    public void KeepWithinBudget(TableIndex current)
    {
        foreach (var (key, index) in _tables.OrderBy(t => t.Value.LastUsedTicks).ToList())
        {
            if (ResidentBytes <= _memoryBudget)
                return;
            if (!ReferenceEquals(index, current) && index.Ready)
                Evict(key, index);
        }
    }

    void Evict((string, DbEnvironment, string) key, TableIndex index)
    {
        if (_tables.TryRemove(new KeyValuePair<(string, DbEnvironment, string), TableIndex>(key, index)))
        {
            index.Vectors.Drop();
            Interlocked.Increment(ref _evictions);
        }
    }

    long _evictions;

    /// <summary>Indexes that left memory (idle or over budget) since start.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Whether the table's index is in memory now (tests and the portal).</summary>
    public bool IsOpen(string workspaceId, DbEnvironment environment, string table) =>
        _tables.ContainsKey((workspaceId, environment, table.ToLowerInvariant()));

    public long ResidentBytes => _tables.Values.Sum(t => t.Vectors.ResidentBytes + t.Vectors.ApproximateBytes);

    internal static void Describe(TableIndex index, IReadOnlyList<DbColumnInfo> columns)
    {
        var keys = columns.Where(c => c.IsPrimaryKey).ToList();
        index.KeyColumn = keys.Count == 1 ? keys[0].Name : null;
        index.IntegerKey = keys.Count != 1 || RowText.IsIntegerType(keys[0].Type);
    }

    internal static string[] ChooseColumns(IReadOnlyList<DbColumnInfo> columns, string? chosen)
    {
        if (chosen is null)
            return RowText.DefaultColumns(columns);
        var names = JsonSerializer.Deserialize(chosen, AiJsonContext.Default.IReadOnlyListString) ?? [];
        return [.. columns.Where(c => names.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).Select(c => c.Name)];
    }

    /// <summary>Rows embedded for the workspace in <paramref name="month"/>, every environment; no index, none.</summary>
    public async Task<long> EmbeddedRowsInAsync(string workspaceId, string month, CancellationToken cancellationToken)
    {
        long rows = 0;
        foreach (var environment in Enum.GetValues<DbEnvironment>())
        {
            if (await stores.ExistsAsync(workspaceId, environment, cancellationToken))
                rows += await stores.Get(workspaceId, environment).EmbeddedRowsAsync(month, cancellationToken);
        }
        return rows;
    }

    /// <summary>What <c>/health</c> shows as <c>services.vectors</c>.</summary>
    public string VectorEngine => stores.VectorEngine;

    public void Dispose() => _opening.Dispose();
}
