using Microsoft.Data.Sqlite;

namespace Hatbox.Data;

/// <summary>Where the embedded platform database lives and how connections to it are opened.</summary>
internal sealed class PlatformDatabase
{
    public PlatformDatabase(string dataDirectory)
    {
        FilePath = Path.Combine(Path.GetFullPath(dataDirectory), "hatbox.db");
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

    public string FilePath { get; }

    public string ConnectionString { get; }

    public string ProbeConnectionString { get; }
}
