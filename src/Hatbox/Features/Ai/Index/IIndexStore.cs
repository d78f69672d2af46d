using Hatbox.Features.Db;

namespace Hatbox.Features.Ai.Index;

/// <summary>
/// Where one workspace and environment keeps its search index: each indexed table's column
/// choice, per row its key, content hash, model and vector, the row's text for keyword scores,
/// and the rows embedded each month (the usage metric). A SQLite file beside the tenant's
/// database (<see cref="Sqlite.SqliteIndexStore"/>) or a platform-owned companion schema next to
/// the tenant's own (<see cref="Postgres.PostgresIndexStore"/>), shared by every node.
/// </summary>
internal interface IIndexStore
{
    /// <summary>Whether other processes write here too, so an index in memory must check <see cref="VersionAsync"/> before it answers.</summary>
    bool Shared { get; }

    Task<IReadOnlyList<IndexedTable>> TablesAsync(CancellationToken cancellationToken);

    Task SaveTableAsync(string name, string? columns, CancellationToken cancellationToken);

    /// <summary>
    /// The table's rows written after <paramref name="sinceVersion"/> (0: every live row), deletions
    /// as <see cref="StoredRow.Deleted"/>, and the version they bring the caller to. A store that
    /// forgets old deletions answers every live row instead, marked <see cref="StoredRows.Complete"/>,
    /// when <paramref name="sinceVersion"/> is older than what it forgot.
    /// </summary>
    Task<StoredRows> LoadAsync(string table, long sinceVersion, CancellationToken cancellationToken);

    /// <summary>The table's latest version: it grows with every write; a store nobody else writes may answer 0.</summary>
    Task<long> VersionAsync(string table, CancellationToken cancellationToken);

    /// <summary>
    /// One transaction: a batch is either wholly stored or not at all, and so is its count in
    /// <paramref name="month"/>'s embedded rows: a crash neither loses nor doubles it. Answers the table's new version.
    /// </summary>
    Task<long> ApplyAsync(string table, IReadOnlyList<IndexUpsert> upserts, IReadOnlyList<string> deletes, string? month, CancellationToken cancellationToken);

    /// <summary>BM25 of each row matching any of <paramref name="terms"/> (higher is better), summed over <paramref name="columns"/>.</summary>
    Task<Dictionary<string, double>> KeywordsAsync(string table, IReadOnlyList<string> terms, IReadOnlyCollection<string> columns, int limit,
        CancellationToken cancellationToken);

    /// <summary>Each row's indexed text (for cluster labels), from the index rather than the tenant's table.</summary>
    Task<Dictionary<string, string>> TextsAsync(string table, CancellationToken cancellationToken);

    /// <summary>Rows embedded in <paramref name="month"/> (yyyy-MM), for usage.</summary>
    Task<long> EmbeddedRowsAsync(string month, CancellationToken cancellationToken);

    /// <summary>
    /// The right to index <paramref name="table"/>, held by one process at a time across every
    /// node, or null while another holds it. Dispose to give it back.
    /// </summary>
    Task<IAsyncDisposable?> TryLockAsync(string table, CancellationToken cancellationToken);
}

/// <summary>Every workspace's index stores, of one engine, chosen by <c>Tenants:Provider</c>.</summary>
internal interface IIndexStores
{
    /// <summary>What <c>/health</c> shows as <c>services.vectors</c>: <c>pgvector</c> or <c>in-process</c>.</summary>
    string VectorEngine { get; }

    IIndexStore Get(string workspaceId, DbEnvironment environment);

    /// <summary>Whether the workspace has an index in that environment (no store is made to answer).</summary>
    Task<bool> ExistsAsync(string workspaceId, DbEnvironment environment, CancellationToken cancellationToken);

    /// <summary>Every workspace and environment that has an index, so the start-up pass can reconcile its tables.</summary>
    Task<IReadOnlyList<(string WorkspaceId, DbEnvironment Environment)>> ListAsync(CancellationToken cancellationToken);
}

internal sealed record IndexedTable(string Name, string? Columns);

internal sealed record StoredRow(string Key, byte[] Hash, string Model, float[] Vector, bool Deleted = false);

/// <summary><paramref name="Complete"/>: every live row, not the rows since a version; the copy is replaced with these, not merged.</summary>
internal sealed record StoredRows(IReadOnlyList<StoredRow> Rows, long Version, bool Complete = false);

internal sealed record IndexUpsert(string Key, byte[] Hash, string Model, float[]? Vector, IReadOnlyList<(string Column, string Text)> Fields);
