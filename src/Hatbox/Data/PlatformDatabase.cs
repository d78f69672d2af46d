using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hatbox.Data;

/// <summary>
/// Where the platform database lives and how connections to it are opened: the embedded SQLite
/// file in the data folder, or a PostgreSQL database that every node shares.
/// </summary>
internal sealed class PlatformDatabase
{
    public PlatformDatabase(string dataDirectory, PlatformOptions? options = null)
    {
        FilePath = Path.Combine(Path.GetFullPath(dataDirectory), "hatbox.db");
        if (options is { UsesPostgres: true })
        {
            IsPostgres = true;
            ConnectionString = options.ConnectionString!;
            // Unpooled like the SQLite probe, so a server that went away is seen at once.
            ProbeConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 2 }.ToString();
            return;
        }
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            // Writers wait for each other instead of failing with SQLITE_BUSY.
            DefaultTimeout = 30,
        }.ToString();
        ProbeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
    }

    /// <summary>True when the platform store is PostgreSQL, shared by every node.</summary>
    public bool IsPostgres { get; }

    /// <summary>The SQLite file (unused on PostgreSQL).</summary>
    public string FilePath { get; }

    public string ConnectionString { get; }

    public string ProbeConnectionString { get; }

    /// <summary>A fresh, unpooled connection for the health probe.</summary>
    public DbConnection CreateProbeConnection() => IsPostgres
        ? new NpgsqlConnection(ProbeConnectionString)
        : new SqliteConnection(ProbeConnectionString);
}
