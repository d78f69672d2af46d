namespace Hatbox.Features.Ai.NlQuery;

/// <summary>
/// The first gate for SQL that an engine generated: exactly one <c>SELECT</c> or
/// <c>WITH … SELECT</c>, no comments (nothing may hide in the text that is shown), no second
/// statement, none of the words that write or reach outside the data. It reads quotes as SQL does,
/// so a word inside a string literal counts for nothing. It is not the only gate: what passes still
/// runs only on a read-only connection, under every /db guardrail.
/// </summary>
internal static class GeneratedSqlCheck
{
    static readonly HashSet<string> Forbidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "insert", "update", "delete", "replace", "merge", "upsert", "create", "drop", "alter", "truncate", "attach",
        "detach", "pragma", "vacuum", "reindex", "analyze", "begin", "commit", "rollback", "savepoint", "release",
        "grant", "revoke", "copy", "call", "do", "lock", "set", "reset", "load_extension", "readfile", "writefile",
        "into", "returning", "execute", "prepare", "listen", "notify", "pg_sleep", "pg_read_file", "lo_import",
        "lo_export", "dblink", "randomblob", "zeroblob",
    };

    /// <summary>Words that start a statement of SQL: an answer starting with one is SQL (maybe unsafe), else it is prose.</summary>
    static readonly HashSet<string> StatementStarts = new(Forbidden, StringComparer.OrdinalIgnoreCase)
    {
        "select", "with", "values", "explain", "show", "table",
    };

    /// <summary>True when <paramref name="text"/> reads as SQL of any kind rather than a sentence.</summary>
    public static bool LooksLikeSql(string text)
    {
        var trimmed = text.TrimStart();
        var end = 0;
        while (end < trimmed.Length && (char.IsLetter(trimmed[end]) || trimmed[end] == '_'))
        {
            end++;
        }
        return end > 0 && StatementStarts.Contains(trimmed[..end]) || trimmed.StartsWith("--", StringComparison.Ordinal) || trimmed.StartsWith("/*", StringComparison.Ordinal);
    }

    /// <summary>The statement without a final <c>;</c>, or null with the reason it is refused.</summary>
    public static (string? Sql, string? Refusal) Check(string sql, int maxLength)
    {
        var text = sql.Trim();
        if (text.EndsWith(';'))
        {
            text = text[..^1].TrimEnd();
        }
        if (text.Length == 0)
        {
            return (null, "The statement is empty.");
        }
        if (text.Length > maxLength)
        {
            return (null, "The statement is too long.");
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return (null, "The statement holds a NUL character.");
        }
        string? first = null;
        var depth = 0;
        var lastTopLevelVerb = (string?)null;
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c is '\'' or '"' or '`')
            {
                var close = Closing(text, i, c);
                if (close < 0)
                {
                    return (null, "A quote is never closed.");
                }
                i = close + 1;
                continue;
            }
            if (c == '[')
            {
                var close = text.IndexOf(']', i + 1);
                if (close < 0)
                {
                    return (null, "A bracket is never closed.");
                }
                i = close + 1;
                continue;
            }
            if ((c == '-' && i + 1 < text.Length && text[i + 1] == '-') || (c == '/' && i + 1 < text.Length && text[i + 1] == '*') || c == '#')
            {
                return (null, "Comments are not allowed in generated SQL.");
            }
            if (c == ';')
            {
                return (null, "Only one statement may run.");
            }
            if (c == '$' && i + 1 < text.Length && !char.IsDigit(text[i + 1]))
            {
                // PostgreSQL's $tag$ quoting could hide anything from this reading.
                return (null, "Dollar quoting is not allowed in generated SQL.");
            }
            if (c == '\\')
            {
                return (null, "Backslashes are not allowed in generated SQL.");
            }
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '$'))
                {
                    i++;
                }
                var word = text[start..i];
                first ??= word;
                if (Forbidden.Contains(word))
                {
                    return (null, $"'{word.ToUpperInvariant()}' is not allowed in generated SQL.");
                }
                if (word.StartsWith("pragma_", StringComparison.OrdinalIgnoreCase) || word.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)
                    || word.StartsWith("pg_", StringComparison.OrdinalIgnoreCase))
                {
                    return (null, $"'{word}' is not allowed in generated SQL.");
                }
                if (depth == 0 && word.Equals("select", StringComparison.OrdinalIgnoreCase))
                {
                    lastTopLevelVerb = word;
                }
                continue;
            }
            i++;
        }
        if (first is null || !(first.Equals("select", StringComparison.OrdinalIgnoreCase) || first.Equals("with", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, "Only a SELECT may run.");
        }
        if (lastTopLevelVerb is null)
        {
            return (null, "A WITH clause must end in a SELECT.");
        }
        return (text, null);
    }

    static int Closing(string text, int open, char quote)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] != quote)
            {
                continue;
            }
            if (i + 1 < text.Length && text[i + 1] == quote)
            {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }
}
