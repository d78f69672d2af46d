using System.Text;
using System.Text.Json;
using Hatbox.Common;

namespace Hatbox.Features.Db.Postgres;

/// <summary>A caller's statement made ready for PostgreSQL: <c>{name}</c> turned into <c>$N</c>, every value positional.</summary>
internal sealed record PgStatement(string Sql, List<JsonElement> Values, bool MayGrow);

/// <summary>
/// The text checks of the PostgreSQL engine, through <see cref="PostgresLexer"/> so that literals,
/// names and comments never count. They are not the only defence: the tenant's own role, with no
/// privilege outside its schema, decides what a statement can touch (PostgresTenantProvisioner).
/// </summary>
internal static class PostgresStatementText
{
    // What the database API runs: queries, changes and table DDL. Transaction control, SET/RESET,
    // COPY, DO, LISTEN, LOCK, PREPARE, GRANT, CREATE EXTENSION/ROLE/FUNCTION… are refused by name.
    static readonly HashSet<string> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "WITH", "VALUES", "TABLE", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP",
    };

    // Every command word PostgreSQL 15 knows. One of these outside Verbs is refused here; a word that
    // is no command at all ("SELEKT") goes to the server, whose syntax error is the caller's sql_error.
    static readonly HashSet<string> Commands = new(StringComparer.OrdinalIgnoreCase)
    {
        "ABORT", "ALTER", "ANALYZE", "BEGIN", "CALL", "CHECKPOINT", "CLOSE", "CLUSTER", "COMMENT", "COMMIT", "COPY",
        "CREATE", "DEALLOCATE", "DECLARE", "DELETE", "DISCARD", "DO", "DROP", "END", "EXECUTE", "EXPLAIN", "FETCH",
        "GRANT", "IMPORT", "INSERT", "LISTEN", "LOAD", "LOCK", "MERGE", "MOVE", "NOTIFY", "PREPARE", "REASSIGN",
        "REFRESH", "REINDEX", "RELEASE", "RESET", "REVOKE", "ROLLBACK", "SAVEPOINT", "SECURITY", "SELECT", "SET",
        "SHOW", "START", "TABLE", "TRUNCATE", "UNLISTEN", "UPDATE", "VACUUM", "VALUES", "WITH",
    };

    static readonly HashSet<string> DdlObjects = new(StringComparer.OrdinalIgnoreCase) { "TABLE", "INDEX", "UNIQUE", "VIEW" };

    public static Outcome<PgStatement> Prepare(string sql, SqlParameters parameters, DbOptions options)
    {
        if (sql.Contains('\0', StringComparison.Ordinal))
        {
            return DbErrors.NotAllowed("A NUL character in a statement");
        }
        var words = new List<string>(2);
        var depth = 0;
        var ended = false;
        var hasWhere = false;
        var highestPositional = 0;
        var placeholders = new List<PgToken>();
        var lexer = new PostgresLexer(sql);
        while (lexer.Next(out var token))
        {
            if (token.Kind == PgTokenKind.Blank)
            {
                continue;
            }
            if (ended && token.Kind != PgTokenKind.Semicolon)
            {
                return DbErrors.NotAllowed("More than one statement");
            }
            switch (token.Kind)
            {
                case PgTokenKind.Semicolon when depth == 0:
                    ended = words.Count > 0;
                    break;
                case PgTokenKind.Open:
                    depth++;
                    break;
                case PgTokenKind.Close:
                    depth = Math.Max(0, depth - 1);
                    break;
                case PgTokenKind.Positional:
                    if (!int.TryParse(sql.AsSpan(token.Start + 1, token.Length - 1), out var number) || number > options.MaxParameters)
                    {
                        return DbErrors.TooManyParameters(options.MaxParameters);
                    }
                    highestPositional = Math.Max(highestPositional, number);
                    break;
                case PgTokenKind.Placeholder:
                    placeholders.Add(token);
                    break;
                case PgTokenKind.Word:
                    if (words.Count < 2)
                    {
                        words.Add(sql.Substring(token.Start, token.Length));
                    }
                    hasWhere |= depth == 0 && sql.AsSpan(token.Start, token.Length).Equals("WHERE", StringComparison.OrdinalIgnoreCase);
                    break;
            }
        }
        if (words.Count == 0)
        {
            return DbErrors.Invalid("query", "The statement is empty.");
        }
        var verb = words[0];
        if (!Commands.Contains(verb))
        {
            return Bind(sql, parameters, highestPositional, placeholders, mayGrow: false);
        }
        if (!Verbs.Contains(verb) || (verb.ToUpperInvariant() is "CREATE" or "ALTER" or "DROP" && (words.Count < 2 || !DdlObjects.Contains(words[1]))))
        {
            return DbErrors.NotAllowed(words.Count > 1 && verb.ToUpperInvariant() is "CREATE" or "ALTER" or "DROP"
                ? $"{verb.ToUpperInvariant()} {words[1].ToUpperInvariant()}"
                : verb.ToUpperInvariant());
        }
        if (verb.ToUpperInvariant() is "UPDATE" or "DELETE" && !hasWhere)
        {
            return DbErrors.NotAllowed($"{verb.ToUpperInvariant()} without WHERE");
        }
        // DROP only gives files back, and on PostgreSQL it is the one way a tenant over its storage quota
        // frees space (a DELETE leaves the table's files their size): it must not be refused for the quota.
        return Bind(sql, parameters, highestPositional, placeholders,
            mayGrow: !(verb.ToUpperInvariant() is "SELECT" or "VALUES" or "TABLE" or "DELETE" or "DROP"));
    }

    static Outcome<PgStatement> Bind(string sql, SqlParameters parameters, int highestPositional, List<PgToken> placeholders, bool mayGrow)
    {
        var values = new List<JsonElement>(highestPositional + placeholders.Count);
        for (var number = 1; number <= highestPositional; number++)
        {
            if (!parameters.TryGetPositional(number, out var value))
            {
                return SqlParameters.MissingPositional(number);
            }
            values.Add(value);
        }
        if (placeholders.Count == 0)
        {
            return new PgStatement(sql, values, mayGrow);
        }
        var rewritten = new StringBuilder(sql.Length + placeholders.Count * 2);
        var copied = 0;
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in placeholders)
        {
            var name = sql.Substring(token.Start + 1, token.Length - 2);
            if (!numbers.TryGetValue(name, out var number))
            {
                if (!parameters.TryGetNamed(name, out var value))
                {
                    return SqlParameters.MissingNamed(name);
                }
                values.Add(value);
                number = numbers[name] = values.Count;
            }
            rewritten.Append(sql, copied, token.Start - copied).Append('$').Append(number);
            copied = token.Start + token.Length;
        }
        return new PgStatement(rewritten.Append(sql, copied, sql.Length - copied).ToString(), values, mayGrow);
    }
}
