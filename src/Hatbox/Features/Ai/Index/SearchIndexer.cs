using System.Diagnostics;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Features.Db;
using Hatbox.Features.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Ai.Index;

/// <summary>
/// Keeps every open table index in step with its table, off the write path: the change feed
/// says which tables to look at, and a pass reads the table's text columns, compares each row's
/// content hash with the one stored, embeds only what changed and drops what is gone. On start
/// it reopens every table an earlier run indexed, so writes made while it was down are caught up.
/// A pass holds the store's lock on the table: on a store shared by several nodes one of them
/// indexes a table at a time, after loading what the others stored, so nothing is embedded twice;
/// a node that finds the lock taken tries again shortly (its change may be newer than that pass).
/// </summary>
internal sealed partial class SearchIndexer(
    SearchIndexes indexes, ITenantChangeFeed feed, ITenantDatabaseProvider databases,
    IEmbeddingGenerator<string, Embedding<float>> generator, IOptions<AiOptions> options, TimeProvider time, ILogger<SearchIndexer> logger,
    Common.Readiness.PlatformReadiness? readiness = null)
    : BackgroundService
{
    readonly AiOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: the host is already serving when this runs.
        await Task.Yield();
        await Common.Readiness.PlatformReadiness.WhenReadyAsync(readiness, stoppingToken);
        var listening = ForwardChangesAsync(stoppingToken);
        var evicting = EvictIdleAsync(stoppingToken);
        await ReopenStoredAsync(stoppingToken);

        await foreach (var index in indexes.Queue.ReadAllAsync(stoppingToken))
        {
            if (_options.ChangeDelayMilliseconds > 0)
                await Task.Delay(_options.ChangeDelayMilliseconds, stoppingToken);
            index.MarkClean();
            var done = true;
            try
            {
                done = await ReconcileAsync(index, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                index.NeedFullPass();
                LogPassFailed(logger, e, index.WorkspaceId, index.Table);
            }
            finally
            {
                if (done)
                    index.FirstPass.TrySetResult();
            }
            if (!done)
                _ = RetryLaterAsync(index, stoppingToken);
        }
        await Task.WhenAll(listening, evicting);
    }

    async Task ReopenStoredAsync(CancellationToken stoppingToken)
    {
        List<(string WorkspaceId, DbEnvironment Environment, string Table)> stored;
        try
        {
            stored = await indexes.StoredAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPassFailed(logger, e, "*", "*");
            return;
        }
        foreach (var (workspaceId, environment, table) in stored)
        {
            try
            {
                await indexes.GetAsync(workspaceId, environment, table, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(logger, e, workspaceId, table);
            }
        }
    }

    /// <summary>Another node is indexing the table: look again once it may be done.</summary>
    async Task RetryLaterAsync(TableIndex index, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(LockRetryMilliseconds), time, stoppingToken);
            indexes.Enqueue(index);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>How soon a node that found a table's lock taken asks again; well inside the 2 s freshness bound.</summary>
    const int LockRetryMilliseconds = 300;

    async Task ForwardChangesAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in feed.Changes.ReadAllAsync(stoppingToken))
                indexes.Changed(change);
        }
        catch (OperationCanceledException)
        {
        }
    }

    async Task EvictIdleAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromSeconds(_options.IdleSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(_options.IdleSeconds / 4, 1, 60)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                indexes.Evict(idle);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// One pass over the table, if no other node is making one (then false); public to the tests
    /// and the bench, which drive it directly.
    /// </summary>
    internal async Task<bool> ReconcileAsync(TableIndex index, CancellationToken cancellationToken)
    {
        await using var held = await index.Store.TryLockAsync(index.Table, cancellationToken);
        if (held is null)
            return false;
        await index.Gate.WaitAsync(cancellationToken);
        try
        {
            // What other nodes stored first: their rows' hashes match, and are not embedded again.
            await indexes.CatchUpLockedAsync(index, cancellationToken);
            await PassAsync(index, cancellationToken);
            return true;
        }
        finally
        {
            index.Gate.Release();
        }
    }

    async Task PassAsync(TableIndex index, CancellationToken cancellationToken)
    {
        var database = databases.Get(index.WorkspaceId, index.Environment);
        var columns = await database.GetColumnsAsync(index.Table, cancellationToken);
        if (!columns.Succeeded)
        {
            // The table is gone: so are its rows.
            await ApplyAsync(index, [], [.. index.Hashes.Keys], cancellationToken: cancellationToken);
            index.Total = index.Indexed = 0;
            return;
        }
        // An insert-only change of a table keyed by integers needs a look at the new rows only;
        // anything else (an update, a delete, raw SQL, a schema change) at every row.
        var full = index.TakeFullPass() || !index.IntegerKey || index.LastKey is null;
        var chosen = (await index.Store.TablesAsync(cancellationToken)).FirstOrDefault(t => string.Equals(t.Name, index.Table, StringComparison.OrdinalIgnoreCase));
        index.TextColumns = SearchIndexes.ChooseColumns(columns.Value!, chosen?.Columns);
        var wasInteger = index.IntegerKey;
        SearchIndexes.Describe(index, columns.Value!);
        full |= wasInteger != index.IntegerKey;

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new List<PendingRow>();
        long? lastKey = full ? null : index.LastKey;
        await foreach (var row in ScanAsync(database, index, full ? null : AiSql.KeyElement(index.LastKey!.Value), cancellationToken))
        {
            seen.Add(row.Key);
            if (index.IntegerKey && long.TryParse(row.Key, out var integer) && integer > (lastKey ?? long.MinValue))
                lastKey = integer;
            if (!index.Hashes.TryGetValue(row.Key, out var stored) || !stored.AsSpan().SequenceEqual(row.Hash))
                pending.Add(row);
        }
        index.LastKey = lastKey;
        if (full)
        {
            var gone = index.Hashes.Keys.Where(k => !seen.Contains(k)).ToList();
            await ApplyAsync(index, [], gone, cancellationToken: cancellationToken);
            index.Total = seen.Count;
            index.Indexed = seen.Count - pending.Count;
        }
        else
        {
            var added = seen.Count(k => !index.Hashes.ContainsKey(k));
            index.Total += added;
            index.Indexed = index.Total - pending.Count;
        }

        for (var start = 0; start < pending.Count; start += _options.IndexBatchRows)
        {
            var batchStarted = Stopwatch.GetTimestamp();
            var batch = pending.GetRange(start, Math.Min(_options.IndexBatchRows, pending.Count - start));
            var texts = batch.Where(r => r.Text.Length > 0).Select(r => r.Text).ToList();
            var vectors = texts.Count > 0 ? await generator.GenerateAsync(texts, cancellationToken: cancellationToken) : null;
            indexes.CountEmbedded(texts.Count);
            var next = 0;
            var upserts = batch.Select(row => new IndexUpsert(row.Key, row.Hash, indexes.ModelId,
                row.Text.Length > 0 ? vectors![next++].Vector.ToArray() : null, row.Fields)).ToList();
            await ApplyAsync(index, upserts, [], BillingMonth.Of(time.GetUtcNow()), cancellationToken);
            index.Indexed += batch.Count;
            await YieldToWritersAsync(index, Stopwatch.GetElapsedTime(batchStarted), cancellationToken);
        }
        // Every row is searchable now (exactly); building the graph can take a while on a large
        // table, and searches need not wait for it.
        index.FirstPass.TrySetResult();
        index.Vectors.SyncApproximate(_options.ApproximateAboveRows);
        indexes.KeepWithinBudget(index);
    }

    /// <summary>While the table is being written to, pauses in proportion to the batch just embedded.</summary>
    Task YieldToWritersAsync(TableIndex index, TimeSpan batch, CancellationToken cancellationToken)
    {
        var writing = Environment.TickCount64 - index.LastWriteTicks < 1_000;
        if (!writing || _options.YieldWhileWriting <= 0)
            return Task.CompletedTask;
        return Task.Delay(batch * (_options.YieldWhileWriting / (1 - _options.YieldWhileWriting)), cancellationToken);
    }

    sealed record PendingRow(string Key, string Text, byte[] Hash, IReadOnlyList<(string Column, string Text)> Fields);

    /// <summary>The table's rows in key order, all of them or those after <paramref name="after"/>.</summary>
    async IAsyncEnumerable<PendingRow> ScanAsync(ITenantDatabase database, TableIndex index, JsonElement? after,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = index.KeyColumn is null ? "rowid" : AiSql.Quote(index.KeyColumn);
        var select = $"SELECT {key} AS \"__hatbox_key\", {string.Join(", ", index.TextColumns.Select(AiSql.Quote))} FROM {AiSql.Quote(index.Table)}";
        while (true)
        {
            var sql = after is null
                ? $"{select} ORDER BY {key} LIMIT {_options.ScanPageRows}"
                : $"{select} WHERE {key} > $1 ORDER BY {key} LIMIT {_options.ScanPageRows}";
            var parameters = after is null ? SqlParameters.None : SqlParameters.Positional([after.Value]);
            var page = await database.QueryAsync(new TenantQuery(sql, parameters, AiSql.NoWrites), cancellationToken);
            if (!page.Succeeded)
                throw new InvalidOperationException($"Reading the table failed: {page.Error!.Code}");
            var rows = page.Value!.Rows;
            foreach (var row in rows)
            {
                var fields = new List<(string, string)>(index.TextColumns.Length);
                for (var c = 0; c < index.TextColumns.Length; c++)
                {
                    var text = RowText.Value(row[c + 1]);
                    if (text.Length > 0)
                        fields.Add((index.TextColumns[c], text));
                }
                var joined = RowText.Join(fields);
                yield return new PendingRow(AiSql.KeyText(row[0]), joined, RowText.Hash(indexes.ModelId, joined), fields);
            }
            if (rows.Count < _options.ScanPageRows)
                yield break;
            after = AiSql.KeyElement(rows[^1][0]);
        }
    }

    static async Task ApplyAsync(TableIndex index, List<IndexUpsert> upserts, List<string> deletes, string? month = null,
        CancellationToken cancellationToken = default)
    {
        if (upserts.Count == 0 && deletes.Count == 0)
            return;
        var version = await index.Store.ApplyAsync(index.Table, upserts, deletes, month, cancellationToken);
        index.Version = Math.Max(index.Version, version);
        foreach (var key in deletes)
        {
            index.Hashes.Remove(key);
            index.Vectors.Remove(key);
        }
        var vectors = new List<(string Key, float[] Vector)>(upserts.Count);
        foreach (var upsert in upserts)
        {
            index.Hashes[upsert.Key] = upsert.Hash;
            if (upsert.Vector is { Length: > 0 } vector && !index.Search.InStore)
                vectors.Add((upsert.Key, vector));
            else
                index.Vectors.Remove(upsert.Key);
        }
        index.Vectors.SetMany(vectors);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search index pass failed for workspace {WorkspaceId} table {Table}")]
    static partial void LogPassFailed(ILogger logger, Exception exception, string workspaceId, string table);
}

/// <summary>The SQL the AI endpoints send through <see cref="ITenantDatabase"/>: quoted names, keys as values.</summary>
internal static class AiSql
{
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Our reads are SELECTs; if one ever tried to write, refuse it.</summary>
    public static Task<ApiError?> NoWrites(CancellationToken cancellationToken) =>
        Task.FromResult<ApiError?>(ApiError.Internal());

    public static string KeyText(object? value) => RowText.Value(value);

    public static JsonElement KeyElement(object? value) => value switch
    {
        long integer => JsonSerializer.SerializeToElement(integer, AiJsonContext.Default.Int64),
        double real => JsonSerializer.SerializeToElement(real, AiJsonContext.Default.Double),
        _ => JsonSerializer.SerializeToElement(RowText.Value(value), AiJsonContext.Default.String),
    };

    /// <summary>A key as the index stores it (text), bound with the column's type.</summary>
    public static JsonElement KeyElement(string key, bool integer) =>
        integer && long.TryParse(key, out var number) ? KeyElement(number) : KeyElement((object)key);
}
