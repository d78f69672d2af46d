using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Features.Ai;
using Hatbox.Features.Ai.Embeddings;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.Db;
using Hatbox.Features.Db.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hatbox.Benchmarks;

/// <summary>
/// The three ratios of issue 18, each measured in one run against a bare loop over the same
/// model and data, in process (real SQLite, the real model, no HTTP):
/// <c>dotnet run -c Release --project bench/Hatbox.Benchmarks -- ai [rows] [searchRows] [insertSeconds]</c>.
/// </summary>
internal static class AiBenchmarks
{
    static readonly string[] Nouns = ["headphones", "skillet", "lantern", "jacket", "speaker", "knife", "hose", "watch", "tent", "kettle", "drill", "lamp"];
    static readonly string[] Adjectives = ["wireless", "cast iron", "solar", "waterproof", "portable", "stainless", "expandable", "smart", "folding", "electric"];
    static readonly string[] Uses = ["for camping", "for the kitchen", "for running at night", "for the garden", "for music lovers", "for a small flat", "for travel"];

    public static async Task LoopAsync(int rows, int searchRows, int seconds)
    {
        var folder = Directory.CreateTempSubdirectory("hatbox-bench-ai-").FullName;
        try
        {
            using var generator = new MiniLmEmbeddingGenerator(Options.Create(new EmbeddingOptions()));
            var aiOptions = new AiOptions { ChangeDelayMilliseconds = 100 };
            using var engine = new SqliteTenantDatabaseProvider(new TenantDatabasePaths(folder), Options.Create(new DbOptions()), TimeProvider.System);
            var feed = new TenantChangeFeed();
            var databases = new ChangeFeedTenantDatabaseProvider(engine, feed);
            using var stores = new Features.Ai.Index.Sqlite.SqliteIndexStores(new TenantDatabasePaths(folder));
            using var indexes = new SearchIndexes(stores, databases, generator, Options.Create(aiOptions));
            var indexer = new SearchIndexer(indexes, feed, databases, generator, Options.Create(aiOptions), TimeProvider.System, NullLogger<SearchIndexer>.Instance);

            await IndexerVersusBareLoopAsync(databases, indexes, indexer, generator, aiOptions, rows);
            await SearchVersusBareAsync(databases, indexes, generator, searchRows);
            await InsertWithAndWithoutIndexingAsync(databases, indexes, indexer, seconds);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    static async Task IndexerVersusBareLoopAsync(ChangeFeedTenantDatabaseProvider databases, SearchIndexes indexes, SearchIndexer indexer,
        MiniLmEmbeddingGenerator generator, AiOptions options, int rows)
    {
        var database = databases.Get("ws_bench", DbEnvironment.Production);
        await RunAsync(database, "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, description TEXT)");
        var texts = new List<string>();
        for (var start = 0; start < rows; start += 200)
        {
            var values = Enumerable.Range(start, Math.Min(200, rows - start)).Select(i =>
            {
                var name = $"{Adjectives[i % Adjectives.Length]} {Nouns[i / 7 % Nouns.Length]} {i}";
                var description = $"A {Adjectives[(i / 3) % Adjectives.Length]} {Nouns[i % Nouns.Length]} {Uses[i % Uses.Length]}, model {i}";
                texts.Add($"name: {name}\ndescription: {description}\n");
                return $"('{name}', '{description}')";
            });
            await RunAsync(database, $"INSERT INTO products (name, description) VALUES {string.Join(", ", values)}");
        }

        // Warm the model, then bare, Hatbox, bare: the two bare runs bracket the drift of the VM.
        await generator.GenerateAsync(texts.Take(64));
        var bare1 = await BareLoopAsync(generator, texts, options.IndexBatchRows);
        var opened = await indexes.GetAsync("ws_bench", DbEnvironment.Production, "products", CancellationToken.None);
        var started = Stopwatch.GetTimestamp();
        await indexer.ReconcileAsync(opened.Value!, CancellationToken.None);
        var hatbox = rows / Stopwatch.GetElapsedTime(started).TotalSeconds;
        var bare2 = await BareLoopAsync(generator, texts, options.IndexBatchRows);
        var bare = (bare1 + bare2) / 2;
        Console.WriteLine(FormattableString.Invariant(
            $"indexer: {hatbox:0} rows/s vs bare model loop {bare:0} rows/s ({bare1:0}, {bare2:0}): ratio {hatbox / bare:P1} (target >= 80%); {opened.Value!.Vectors.Count} vectors"));

        // A second pass over unchanged rows embeds nothing.
        started = Stopwatch.GetTimestamp();
        await indexer.ReconcileAsync(opened.Value!, CancellationToken.None);
        Console.WriteLine(FormattableString.Invariant($"  reconcile of {rows} unchanged rows: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms"));
    }

    static async Task<double> BareLoopAsync(MiniLmEmbeddingGenerator generator, List<string> texts, int batch)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var chunk in texts.Chunk(batch))
            await generator.GenerateAsync(chunk);
        return texts.Count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// Hatbox's search path (embed the query, exact top-10 over the table index, read the ten rows
    /// from the tenant database) against a bare embed + dot-product loop over a plain array.
    /// Vectors are random unit vectors: the cost of a scan does not depend on their values.
    /// </summary>
    static async Task SearchVersusBareAsync(ChangeFeedTenantDatabaseProvider databases, SearchIndexes indexes, MiniLmEmbeddingGenerator generator, int rows)
    {
        var database = databases.Get("ws_bench", DbEnvironment.Staging);
        await RunAsync(database, "CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)");
        await RunAsync(database, $"INSERT INTO docs (id, body) WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {rows}) SELECT x, 'document ' || x FROM n");
        var index = new TableIndex("ws_bench", DbEnvironment.Staging, "docs", null!, MiniLmModel.Dimensions);
        // Real-shaped vectors: the model's embeddings of product-like texts, each repeated with a
        // little noise. A scan's cost does not depend on the values, but an HNSW graph's recall does.
        var texts = (from a in Adjectives from n in Nouns from u in Uses select $"name: {a} {n}\ndescription: a {a} {n} {u}\n").ToList();
        var real = await generator.GenerateAsync(texts);
        var random = new Random(7);
        var plain = new float[rows * MiniLmModel.Dimensions];
        for (var i = 0; i < rows; i++)
        {
            var vector = plain.AsSpan(i * MiniLmModel.Dimensions, MiniLmModel.Dimensions);
            real[i % real.Count].Vector.Span.CopyTo(vector);
            for (var d = 0; d < vector.Length; d++)
                vector[d] += (float)(random.NextDouble() - 0.5) * 0.04f;
            TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
            index.Vectors.Set((i + 1).ToString(CultureInfo.InvariantCulture), vector);
        }
        var raw = (long)rows * MiniLmModel.Dimensions * sizeof(float);
        Console.WriteLine(FormattableString.Invariant($"resident vectors: {index.Vectors.ResidentBytes / 1048576.0:0.0} MiB for {raw / 1048576.0:0.0} MiB raw ({(double)index.Vectors.ResidentBytes / raw:0.00}x)"));

        string[] queries = ["a light for camping", "wireless music", "kitchen knife", "garden hose", "running jacket"];
        async Task HatboxAsync(int q)
        {
            var vector = (await generator.GenerateAsync([queries[q % queries.Length]]))[0].Vector.ToArray();
            var hits = index.Vectors.Nearest(vector, 10);
            await AiRecords.FetchAsync(database, index, [.. hits.Select(h => h.Key)], CancellationToken.None);
        }
        async Task BareAsync(int q)
        {
            var vector = (await generator.GenerateAsync([queries[q % queries.Length]]))[0].Vector.ToArray();
            var top = new PriorityQueue<int, float>(11);
            for (var i = 0; i < rows; i++)
            {
                top.Enqueue(i, TensorPrimitives.Dot(vector, plain.AsSpan(i * MiniLmModel.Dimensions, MiniLmModel.Dimensions)));
                if (top.Count > 10)
                    top.Dequeue();
            }
        }
        var (bare, hatbox) = await PairedAsync(BareAsync, HatboxAsync, TimeSpan.FromSeconds(3), rounds: 5);
        Console.WriteLine(FormattableString.Invariant(
            $"semantic search over {rows} rows: {hatbox:0.0} q/s vs bare embed + exact search {bare:0.0} q/s: ratio {hatbox / bare:P1} (target >= 70%)"));

        var started = Stopwatch.GetTimestamp();
        index.Vectors.SyncApproximate(aboveRows: 1);
        Console.WriteLine(FormattableString.Invariant(
            $"approximate index over {rows} rows: built in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s, {index.Vectors.ApproximateBytes / 1048576.0:0.0} MiB native beside the {index.Vectors.ResidentBytes / 1048576.0:0.0} MiB of vectors"));
        var probes = (from n in Nouns from u in Uses select $"something {u} like a {n}").ToList();
        var probeVectors = await generator.GenerateAsync(probes);
        double overlap = 0, exactMs = 0, approximateMs = 0;
        foreach (var probe in probeVectors)
        {
            var t0 = Stopwatch.GetTimestamp();
            var exact = index.Vectors.NearestExactly(probe.Vector.Span, 10).Select(h => h.Key).ToHashSet();
            var t1 = Stopwatch.GetTimestamp();
            var approximate = index.Vectors.Nearest(probe.Vector.Span, 10);
            exactMs += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
            approximateMs += Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
            overlap += approximate.Count(h => exact.Contains(h.Key));
        }
        Console.WriteLine(FormattableString.Invariant(
            $"  recall@10 against exact search: {overlap / (probeVectors.Count * 10):0.000} over {probeVectors.Count} queries; top-10 {approximateMs / probeVectors.Count:0.00} ms approximate vs {exactMs / probeVectors.Count:0.00} ms exact"));
        var (bareAgain, approximateRate) = await PairedAsync(BareAsync, HatboxAsync, TimeSpan.FromSeconds(3), rounds: 5);
        Console.WriteLine(FormattableString.Invariant(
            $"semantic search over {rows} rows, approximate: {approximateRate:0.0} q/s vs bare embed + exact search {bareAgain:0.0} q/s: ratio {approximateRate / bareAgain:P1}"));
        index.Vectors.Drop();
        _ = indexes;
    }

    /// <summary>Inserts through the change-feed provider, first with no index on the table, then with one the indexer keeps in step.</summary>
    static async Task InsertWithAndWithoutIndexingAsync(ChangeFeedTenantDatabaseProvider databases, SearchIndexes indexes, SearchIndexer indexer, int seconds)
    {
        var database = databases.Get("ws_bench", DbEnvironment.Development);
        await RunAsync(database, "CREATE TABLE plain (id INTEGER PRIMARY KEY, name TEXT, note TEXT)");
        await RunAsync(database, "CREATE TABLE indexed (id INTEGER PRIMARY KEY, name TEXT, note TEXT)");
        using var stop = new CancellationTokenSource();
        await indexer.StartAsync(stop.Token);
        await indexes.GetAsync("ws_bench", DbEnvironment.Development, "indexed", CancellationToken.None);
        var counter = 0;
        async Task InsertAsync(string table)
        {
            var n = Interlocked.Increment(ref counter);
            var values = new[]
            {
                new ColumnValue("name", JsonSerializer.SerializeToElement($"item {n}", AiJsonContext.Default.String), "data.name"),
                new ColumnValue("note", JsonSerializer.SerializeToElement($"{Adjectives[n % Adjectives.Length]} {Nouns[n % Nouns.Length]} {Uses[n % Uses.Length]}", AiJsonContext.Default.String), "data.note"),
            };
            var outcome = await database.InsertAsync(table, values, CancellationToken.None);
            if (!outcome.Succeeded)
                throw new InvalidOperationException(outcome.Error!.Code);
        }
        var opened = await indexes.GetAsync("ws_bench", DbEnvironment.Development, "indexed", CancellationToken.None);
        // Each "off" run starts with the indexer idle: the backlog of the "on" run before it is
        // drained first, or its catch-up would slow the "off" run and flatter the ratio.
        var (off, on) = await PairedAsync(_ => InsertAsync("plain"), _ => InsertAsync("indexed"), TimeSpan.FromSeconds(seconds), rounds: 3,
            between: async () =>
            {
                while (!opened.Value!.Ready)
                    await Task.Delay(50);
            });
        Console.WriteLine(FormattableString.Invariant(
            $"/db/insert path: {on:0} inserts/s with indexing on vs {off:0} off: ratio {on / off:P1} (target >= 90%); {opened.Value!.Indexed} of {opened.Value.Total} rows indexed"));
        await stop.CancelAsync();
        await indexer.StopAsync(CancellationToken.None);
    }

    /// <summary>Rounds of <paramref name="each"/> per side, taking turns; returns the median operations/s of each side.</summary>
    static async Task<(double Baseline, double Hatbox)> PairedAsync(
        Func<int, Task> baseline, Func<int, Task> hatbox, TimeSpan each, int rounds, Func<Task>? between = null)
    {
        var a = new List<double>();
        var b = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            a.Add(await RateAsync(baseline, each));
            b.Add(await RateAsync(hatbox, each));
            if (between is not null)
                await between();
        }
        return (a.Order().ElementAt(rounds / 2), b.Order().ElementAt(rounds / 2));
    }

    static async Task<double> RateAsync(Func<int, Task> operation, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        var count = 0;
        // Two callers at once, one per core, as concurrent requests would.
        async Task Worker()
        {
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                await operation(Interlocked.Increment(ref count));
            }
        }
        await Task.WhenAll(Worker(), Worker());
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    static async Task RunAsync(ITenantDatabase database, string sql)
    {
        var outcome = await database.QueryAsync(new TenantQuery(sql, SqlParameters.None, _ => Task.FromResult<ApiError?>(null)), CancellationToken.None);
        if (!outcome.Succeeded)
            throw new InvalidOperationException(outcome.Error!.Message);
    }
}
