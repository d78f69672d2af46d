using System.Globalization;
using System.Numerics.Tensors;
using Hatbox.Features.Ai.Embeddings;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.Ai.Index.Sqlite;
using Hatbox.Features.Db;
using Hatbox.Features.Db.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Hatbox.Benchmarks;

/// <summary>
/// <c>Hatbox.Benchmarks search-seed DATA WORKSPACE_ID ROWS FIXTURE</c>: the <c>semantic_search</c>
/// scenario of bench/run.sh. Embedding 100,000 rows through the indexer takes minutes here, so the
/// rows' vectors are made once (the model's embeddings of 840 product-like texts, each repeated with
/// a little noise, as the in-process <c>ai</c> bench does) and kept in FIXTURE; each run writes them
/// into a stopped server's data folder: the table <c>docs</c> of the workspace's production database
/// and its index file, with the content hashes the indexer computes, so the server finds every row
/// already embedded and embeds none. bench/Baseline reads the same FIXTURE (<c>--vectors</c>).
/// </summary>
internal static class SearchSeed
{
    public static async Task RunAsync(string data, string workspaceId, int rows, string fixture)
    {
        var (texts, vectors) = File.Exists(fixture) ? Baseline.SearchFixture.Read(fixture) : ([], []);
        if (texts.Length != rows)
        {
            (texts, vectors) = await MakeAsync(rows);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(fixture))!);
            Baseline.SearchFixture.Write(fixture, texts, vectors);
        }

        var paths = new TenantDatabasePaths(data);
        using (var engine = new SqliteTenantDatabaseProvider(paths, Options.Create(new DbOptions()), TimeProvider.System))
        {
            var database = engine.Get(workspaceId, DbEnvironment.Production);
            var created = await database.QueryAsync(new TenantQuery("CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
                SqlParameters.None, _ => Task.FromResult<Common.Errors.ApiError?>(null)), CancellationToken.None);
            if (!created.Succeeded)
                throw new InvalidOperationException(created.Error!.Message);
        }
        SqliteConnection.ClearAllPools();
        // The rows themselves go in through a plain connection: one transaction, no API in the way.
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = paths.DatabaseFile(workspaceId, DbEnvironment.Production), Pooling = false }.ToString()))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO docs (id, body) VALUES ($id, $body)";
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var body = insert.Parameters.Add("$body", SqliteType.Text);
            for (var i = 0; i < rows; i++)
            {
                id.Value = i + 1;
                body.Value = texts[i];
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }

        // The index file as Hatbox makes it (its schema), filled in one transaction with the rows'
        // vectors from the fixture, so that nothing is embedded at run time.
        var indexFile = Path.Combine(paths.WorkspaceDirectory(workspaceId), DbEnvironment.Production.Name() + SqliteIndexStores.IndexFileExtension);
        new SqliteIndexStore(indexFile).Dispose();
        using (var index = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = indexFile, Pooling = false }.ToString()))
        {
            index.Open();
            using var transaction = index.BeginTransaction();
            using var vector = index.CreateCommand();
            vector.CommandText = "INSERT INTO vectors (tbl, key, hash, model, vector) VALUES ('docs', $k, $h, $m, $v)";
            var key = vector.Parameters.Add("$k", SqliteType.Text);
            var hash = vector.Parameters.Add("$h", SqliteType.Blob);
            vector.Parameters.AddWithValue("$m", MiniLmModel.ModelId);
            var blob = vector.Parameters.Add("$v", SqliteType.Blob);
            using var words = index.CreateCommand();
            words.CommandText = "INSERT INTO keywords (content, tbl, key, col) VALUES ($c, 'docs', $k, 'body'); INSERT INTO keyword_rows (tbl, key, id) VALUES ('docs', $k, last_insert_rowid())";
            var content = words.Parameters.Add("$c", SqliteType.Text);
            var wordsKey = words.Parameters.Add("$k", SqliteType.Text);
            for (var i = 0; i < rows; i++)
            {
                key.Value = wordsKey.Value = (i + 1).ToString(CultureInfo.InvariantCulture);
                hash.Value = RowText.Hash(MiniLmModel.ModelId, RowText.Join([("body", texts[i])]));
                blob.Value = System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors[i].AsSpan()).ToArray();
                vector.ExecuteNonQuery();
                content.Value = texts[i];
                words.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        SqliteConnection.ClearAllPools();
        Console.WriteLine($"seeded {rows} rows and their vectors into {workspaceId}/production (fixture {fixture})");
    }

    static readonly string[] Nouns = ["headphones", "skillet", "lantern", "jacket", "speaker", "knife", "hose", "watch", "tent", "kettle", "drill", "lamp"];
    static readonly string[] Adjectives = ["wireless", "cast iron", "solar", "waterproof", "portable", "stainless", "expandable", "smart", "folding", "electric"];
    static readonly string[] Uses = ["for camping", "for the kitchen", "for running at night", "for the garden", "for music lovers", "for a small flat", "for travel"];

    static async Task<(string[] Texts, float[][] Vectors)> MakeAsync(int rows)
    {
        var kinds = (from a in Adjectives from n in Nouns from u in Uses select $"a {a} {n} {u}").ToList();
        using var generator = new MiniLmEmbeddingGenerator(Options.Create(new EmbeddingOptions()));
        var real = await generator.GenerateAsync(kinds.Select(kind => RowText.Join([("body", kind)])));
        var random = new Random(7);
        var texts = new string[rows];
        var vectors = new float[rows][];
        for (var i = 0; i < rows; i++)
        {
            texts[i] = kinds[i % kinds.Count] + " #" + (i + 1).ToString(CultureInfo.InvariantCulture);
            var vector = real[i % real.Count].Vector.ToArray();
            for (var d = 0; d < vector.Length; d++)
                vector[d] += (float)(random.NextDouble() - 0.5) * 0.04f;
            TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
            vectors[i] = vector;
        }
        return (texts, vectors);
    }
}
