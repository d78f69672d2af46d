using System.Text;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// What the guard reads from a statement's text, through <see cref="SqliteLexer"/> so that
/// literals and comments never count. The text is never the only line of defence: SQLite's own
/// prepare, the authorizer and the limits decide what runs (<see cref="SqliteGuard"/>).
/// </summary>
internal static class SqliteStatementText
{
    /// <summary>
    /// Turns the SDK's <c>{name}</c> into SQLite's <c>:name</c>, which is then bound like any other
    /// parameter. Only a <c>{</c> outside literals, quoted names and comments, followed by a plain
    /// identifier and <c>}</c>, is a parameter; <c>'{name}'</c> stays a string.
    /// </summary>
    public static string Rewrite(string sql)
    {
        StringBuilder? rewritten = null;
        var copied = 0;
        var lexer = new SqliteLexer(sql);
        while (lexer.Next(out var token))
        {
            if (token.Kind != SqlTokenKind.Placeholder)
            {
                continue;
            }
            rewritten ??= new StringBuilder(sql.Length);
            rewritten.Append(sql, copied, token.Start - copied).Append(':').Append(sql, token.Start + 1, token.Length - 2);
            copied = token.Start + token.Length;
        }
        return rewritten is null ? sql : rewritten.Append(sql, copied, sql.Length - copied).ToString();
    }

    /// <summary>True when nothing but blanks, comments and semicolons remain: no second statement.</summary>
    public static bool IsBlank(ReadOnlySpan<char> text)
    {
        var lexer = new SqliteLexer(text);
        while (lexer.Next(out var token))
        {
            if (!token.IsBlank && token.Kind != SqlTokenKind.Semicolon)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The statement's verb and, for UPDATE and DELETE, whether it has a top-level WHERE (one
    /// inside a sub-select does not count). A leading WITH clause is skipped: its bodies are in
    /// parentheses, so the first verb outside them is the statement's.
    /// </summary>
    public static SqlShape Shape(string sql)
    {
        // SQLite reads the text only up to a NUL; so must the checks, or "DELETE FROM t\0 WHERE 1"
        // would look bounded here and run unbounded there.
        var nul = sql.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            sql = sql[..nul];
        }
        var lexer = new SqliteLexer(sql);
        var depth = 0;
        var verb = (SqlVerb?)null;
        var inWith = false;
        while (lexer.Next(out var token))
        {
            switch (token.Kind)
            {
                case SqlTokenKind.Open:
                    depth++;
                    continue;
                case SqlTokenKind.Close:
                    depth = Math.Max(0, depth - 1);
                    continue;
                // SQLite skips empty statements before the first one: "; DELETE FROM t" is a DELETE.
                case SqlTokenKind.Semicolon when depth == 0 && verb is null && !inWith:
                    continue;
                case SqlTokenKind.Semicolon when depth == 0:
                    return new SqlShape(verb ?? SqlVerb.Other, HasWhere: false);
                case not SqlTokenKind.Word:
                    continue;
            }
            if (depth > 0)
            {
                continue;
            }
            var word = sql.AsSpan(token.Start, token.Length);
            if (verb is null)
            {
                var found = VerbOf(word);
                if (found == SqlVerb.Other)
                {
                    if (!inWith && !word.Equals("WITH", StringComparison.OrdinalIgnoreCase))
                    {
                        return new SqlShape(SqlVerb.Other, HasWhere: false);
                    }
                    inWith = true;
                    continue;
                }
                if (found is not (SqlVerb.Update or SqlVerb.Delete))
                {
                    return new SqlShape(found, HasWhere: false);
                }
                verb = found;
            }
            else if (word.Equals("WHERE", StringComparison.OrdinalIgnoreCase))
            {
                return new SqlShape(verb.Value, HasWhere: true);
            }
        }
        return new SqlShape(verb ?? SqlVerb.Other, HasWhere: false);
    }

    static SqlVerb VerbOf(ReadOnlySpan<char> word) =>
        word.Equals("SELECT", StringComparison.OrdinalIgnoreCase) || word.Equals("VALUES", StringComparison.OrdinalIgnoreCase) ? SqlVerb.Select
        : word.Equals("INSERT", StringComparison.OrdinalIgnoreCase) || word.Equals("REPLACE", StringComparison.OrdinalIgnoreCase) ? SqlVerb.Insert
        : word.Equals("UPDATE", StringComparison.OrdinalIgnoreCase) ? SqlVerb.Update
        : word.Equals("DELETE", StringComparison.OrdinalIgnoreCase) ? SqlVerb.Delete
        : word.Equals("VACUUM", StringComparison.OrdinalIgnoreCase) ? SqlVerb.Vacuum
        : SqlVerb.Other;
}

internal enum SqlVerb
{
    Other,
    Select,
    Insert,
    Update,
    Delete,
    /// <summary>
    /// Refused by the authorizer only while it runs (its internal ATTACH), after it would have
    /// taken the writer and created the file; named here so it is refused before that.
    /// </summary>
    Vacuum,
}

internal readonly record struct SqlShape(SqlVerb Verb, bool HasWhere)
{
    /// <summary>An UPDATE or DELETE of every row: refused, as a mistake far more often than a wish.</summary>
    public bool IsUnboundedChange => Verb is SqlVerb.Update or SqlVerb.Delete && !HasWhere;
}
