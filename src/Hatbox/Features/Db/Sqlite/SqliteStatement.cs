using System.Globalization;
using System.Text.Json;
using Hatbox.Common;
using Hatbox.Common.Errors;
using SQLitePCL;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// One prepared statement on a tenant connection, driven through SQLitePCLRaw directly rather than
/// <c>SqliteCommand</c>: the statement whose tail, read-only flag and parameters are checked is the
/// very one that runs, and Microsoft.Data.Sqlite would run every statement of a batch
/// (reference/security.md §0.3). Values are bound with <c>sqlite3_bind_*</c>, the calls
/// <c>SqliteParameter</c> makes, and never spliced into the text.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    readonly SqliteTenantConnection _connection;
    readonly sqlite3_stmt _statement;

    SqliteStatement(SqliteTenantConnection connection, sqlite3_stmt statement)
    {
        _connection = connection;
        _statement = statement;
    }

    /// <summary>True when the statement makes no direct change to the database (<c>sqlite3_stmt_readonly</c>).</summary>
    public bool IsReadOnly => raw.sqlite3_stmt_readonly(_statement) != 0;

    public int ParameterCount => raw.sqlite3_bind_parameter_count(_statement);

    /// <summary>Compiles exactly one statement; anything but blanks and comments after it is refused, never run.</summary>
    public static Outcome<SqliteStatement> Prepare(SqliteTenantConnection connection, string sql, DbEnvironment environment, DbOptions options)
    {
        connection.Guard.Reset();
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement, out string tail);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            return SqliteErrors.Map(connection, rc, environment, options);
        }
        // A leading ";" is an empty first statement: what follows it is a second one all the same.
        if (!string.IsNullOrEmpty(tail) && !SqliteStatementText.IsBlank(tail))
        {
            statement?.Dispose();
            return DbErrors.NotAllowed("More than one statement per request");
        }
        if (statement is null || statement.IsInvalid)
        {
            statement?.Dispose();
            return DbErrors.Missing("query", "The query holds no statement.");
        }
        return new SqliteStatement(connection, statement);
    }

    /// <summary>Binds every parameter the statement names; one without a value is refused before anything runs.</summary>
    public ApiError? Bind(SqlParameters parameters, DbEnvironment environment, DbOptions options)
    {
        for (var index = 1; index <= ParameterCount; index++)
        {
            var name = raw.sqlite3_bind_parameter_name(_statement, index).utf8_to_string();
            var found = Resolve(name, parameters, out var value);
            if (found is not null)
            {
                return found;
            }
            var rc = BindValue(index, value);
            if (rc != raw.SQLITE_OK)
            {
                return SqliteErrors.Map(_connection, rc, environment, options);
            }
        }
        return null;
    }

    /// <summary><c>$N</c> takes the N-th of an array of params; <c>:name</c> (from <c>{name}</c>), <c>@name</c> and <c>$name</c> a property of an object.</summary>
    static ApiError? Resolve(string? name, SqlParameters parameters, out JsonElement value)
    {
        value = default;
        if (string.IsNullOrEmpty(name) || name[0] == '?')
        {
            return DbErrors.Invalid("query", "Use $1, $2… or {name} for parameters, not ?.");
        }
        var bare = name[1..];
        if (name[0] == '$' && int.TryParse(bare, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return parameters.TryGetPositional(number, out value) ? null : SqlParameters.MissingPositional(number);
        }
        return parameters.TryGetNamed(bare, out value) ? null : SqlParameters.MissingNamed(bare);
    }

    int BindValue(int index, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => raw.sqlite3_bind_text(_statement, index, value.GetString()),
        JsonValueKind.Number when value.TryGetInt64(out var integer) => raw.sqlite3_bind_int64(_statement, index, integer),
        JsonValueKind.Number => raw.sqlite3_bind_double(_statement, index, value.GetDouble()),
        JsonValueKind.True => raw.sqlite3_bind_int64(_statement, index, 1),
        JsonValueKind.False => raw.sqlite3_bind_int64(_statement, index, 0),
        // Objects and arrays are stored as JSON text, which SQLite's json functions read.
        JsonValueKind.Object or JsonValueKind.Array => raw.sqlite3_bind_text(_statement, index, value.GetRawText()),
        _ => raw.sqlite3_bind_null(_statement, index),
    };

    /// <summary>
    /// Steps to the end under the connection's deadline. Reads stop at the row or size cap; writes
    /// always run to completion (their RETURNING rows are cut at the cap, the change is not).
    /// </summary>
    public Outcome<QueryResult> Run(DbEnvironment environment, DbOptions options)
    {
        var columns = new string[raw.sqlite3_column_count(_statement)];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = raw.sqlite3_column_name(_statement, i).utf8_to_string() ?? "";
        }
        var result = new QueryResult(columns);
        var readOnly = IsReadOnly;
        long bytes = 0;
        while (true)
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_DONE)
            {
                break;
            }
            if (rc != raw.SQLITE_ROW)
            {
                return SqliteErrors.Map(_connection, rc, environment, options);
            }
            if (!result.Truncated && result.Rows.Count < options.MaxRows && ReadRow(columns.Length, ref bytes, options.MaxResultBytes) is { } row)
            {
                result.Rows.Add(row);
                continue;
            }
            result.Truncated = true;
            if (readOnly)
            {
                break;
            }
        }
        result.Changes = readOnly ? 0 : raw.sqlite3_changes(_connection.Handle);
        return result;
    }

    /// <summary>The current row, or null when it would take the answer past <paramref name="maxBytes"/>; values are sized before they are copied.</summary>
    object?[]? ReadRow(int count, ref long bytes, long maxBytes)
    {
        var row = new object?[count];
        for (var i = 0; i < count; i++)
        {
            var type = raw.sqlite3_column_type(_statement, i);
            var size = 8L + (type is raw.SQLITE_TEXT or raw.SQLITE_BLOB ? raw.sqlite3_column_bytes(_statement, i) : 0);
            bytes += size;
            if (bytes > maxBytes)
            {
                return null;
            }
            row[i] = type switch
            {
                raw.SQLITE_INTEGER => raw.sqlite3_column_int64(_statement, i),
                raw.SQLITE_FLOAT => raw.sqlite3_column_double(_statement, i),
                raw.SQLITE_TEXT => raw.sqlite3_column_text(_statement, i).utf8_to_string(),
                raw.SQLITE_BLOB => raw.sqlite3_column_blob(_statement, i).ToArray(),
                _ => null,
            };
        }
        return row;
    }

    public void Dispose() => _statement.Dispose();
}
