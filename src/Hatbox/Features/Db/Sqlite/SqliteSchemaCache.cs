using System.Collections.Concurrent;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// The tables insert, update, delete and the catalog have looked up, so a single-row insert does
/// not compile a catalog query first. Only the caller's statements change a schema, and every one
/// that writes clears this; a lookup that raced with such a change is not kept.
/// </summary>
internal sealed class SqliteSchemaCache
{
    readonly ConcurrentDictionary<string, SqliteTable> _tables = new(StringComparer.Ordinal);
    long _generation;

    public long Generation => Volatile.Read(ref _generation);

    public bool TryGet(string name, out SqliteTable table) => _tables.TryGetValue(SqliteNames.Key(name), out table!);

    /// <summary>Keeps <paramref name="table"/> unless the schema may have changed since <paramref name="generation"/>.</summary>
    public void Add(string name, SqliteTable table, long generation)
    {
        var key = SqliteNames.Key(name);
        _tables[key] = table;
        if (Generation != generation)
        {
            _tables.TryRemove(new KeyValuePair<string, SqliteTable>(key, table));
        }
    }

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _tables.Clear();
    }
}

/// <summary>SQLite compares names ignoring case for ASCII letters only (sqlite3StrICmp); so do we.</summary>
internal static class SqliteNames
{
    public static bool Equal(string a, string b) => string.Equals(a, b, StringComparison.Ordinal) || Key(a) == Key(b);

    public static string Key(string name) =>
        name.Any(char.IsAsciiLetterUpper) ? string.Create(name.Length, name, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] + 32) : source[i];
            }
        }) : name;
}
