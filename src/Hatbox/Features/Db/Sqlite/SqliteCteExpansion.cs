namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// How much a statement grows once SQLite copies each common table expression into every place
/// that names it. SQLite makes those copies inside <c>sqlite3_prepare</c>, where neither the
/// progress handler nor <c>sqlite3_interrupt</c> reach: nine nested CTEs that each name the one
/// before four times (4^9 copies) keep a thread busy for 45 s, past every deadline. So the text is
/// sized first, in tokens, and a statement whose copies would add more than
/// <see cref="MaxCopiedTokens"/> is not compiled at all.
/// </summary>
/// <remarks>
/// The estimate errs high, never low. Any <c>name [(columns)] AS [NOT] [MATERIALIZED] (body)</c> is
/// taken for a CTE (a WINDOW definition is too, harmlessly), and any unqualified mention of such a
/// name, quoted or not, for a use of it, even when it is really a column or an alias. Scopes are
/// ignored: a name stands for the biggest CTE of that name. Since SQLite refuses a CTE whose
/// expansion comes back to itself, one copy holds copies of other CTEs only, so no chain of copies
/// is longer than the number of CTEs; the estimate follows chains that far and no further.
/// </remarks>
internal static class SqliteCteExpansion
{
    /// <summary>
    /// Tokens the copies may add to the text; the largest chain of four-fold copies under it
    /// prepares in well under a second (SqliteCteExpansionTests). Statements without CTEs add none.
    /// </summary>
    public const long MaxCopiedTokens = 10_000;

    /// <summary>Caps the running sums, so a bomb's size cannot overflow.</summary>
    const long Saturated = 1L << 40;

    /// <summary>True when copying the statement's CTEs would add more than <see cref="MaxCopiedTokens"/>.</summary>
    public static bool IsTooLarge(string sql) => CopiedTokens(sql) > MaxCopiedTokens;

    /// <summary>Tokens that copying the CTEs adds to the statement's own.</summary>
    public static long CopiedTokens(string sql)
    {
        var tokens = Significant(sql);
        var partner = MatchParentheses(tokens);
        if (partner is null)
        {
            // Unbalanced: SQLite refuses it while parsing, before it copies anything.
            return 0;
        }
        var ctes = FindCtes(tokens, partner, sql);
        if (ctes.Count == 0)
        {
            return 0;
        }
        var owner = Owners(tokens.Count, ctes);
        var names = ctes.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Node 0 is the statement itself, node i + 1 the i-th CTE.
        var size = new long[ctes.Count + 1];
        var uses = new List<string>[ctes.Count + 1];
        for (var node = 0; node < uses.Length; node++)
        {
            uses[node] = [];
        }
        var nameTokens = ctes.Select(c => c.NameToken).ToHashSet();
        for (var i = 0; i < tokens.Count; i++)
        {
            var node = owner[i];
            size[node]++;
            if (nameTokens.Contains(i) || IsQualified(tokens, i, sql) || NameOf(tokens[i], sql) is not { } name || !names.Contains(name))
            {
                continue;
            }
            // A CTE naming itself is recursive (its rows, not a copy) or refused as circular.
            if (node == 0 || !string.Equals(ctes[node - 1].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                uses[node].Add(name);
            }
        }
        return Math.Max(0, Expand(ctes, size, uses, tokens.Count + MaxCopiedTokens) - tokens.Count);
    }

    /// <summary>
    /// The expanded size of every node, one more link of the chain per round: a round that
    /// changes nothing, the number of CTEs in rounds, or the statement past <paramref name="enough"/> ends it.
    /// </summary>
    static long Expand(List<Cte> ctes, long[] ownSize, List<string>[] uses, long enough)
    {
        var expanded = (long[])ownSize.Clone();
        for (var round = 0; round < ctes.Count; round++)
        {
            var biggest = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < ctes.Count; i++)
            {
                biggest[ctes[i].Name] = Math.Max(biggest.GetValueOrDefault(ctes[i].Name), expanded[i + 1]);
            }
            var changed = false;
            for (var node = 0; node < expanded.Length; node++)
            {
                var total = ownSize[node];
                foreach (var name in uses[node])
                {
                    total = Math.Min(total + biggest[name], Saturated);
                }
                changed |= total != expanded[node];
                expanded[node] = total;
            }
            if (!changed || expanded[0] > enough)
            {
                break;
            }
        }
        return expanded[0];
    }

    /// <summary>Tokens that are not blanks or comments, cut at a NUL as SQLite reads it.</summary>
    static List<SqlToken> Significant(string sql)
    {
        var end = sql.IndexOf('\0', StringComparison.Ordinal);
        var lexer = new SqliteLexer(end < 0 ? sql : sql.AsSpan(0, end));
        var tokens = new List<SqlToken>();
        while (lexer.Next(out var token))
        {
            if (!token.IsBlank)
            {
                tokens.Add(token);
            }
        }
        return tokens;
    }

    /// <summary>For each parenthesis the index of its partner; null when they do not pair up.</summary>
    static int[]? MatchParentheses(List<SqlToken> tokens)
    {
        var partner = new int[tokens.Count];
        var open = new Stack<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            switch (tokens[i].Kind)
            {
                case SqlTokenKind.Open:
                    open.Push(i);
                    break;
                case SqlTokenKind.Close when open.Count == 0:
                    return null;
                case SqlTokenKind.Close:
                    partner[i] = open.Pop();
                    partner[partner[i]] = i;
                    break;
            }
        }
        return open.Count == 0 ? partner : null;
    }

    /// <summary>Every <c>name [(columns)] AS [NOT] [MATERIALIZED] (body)</c>, in the order of their bodies.</summary>
    static List<Cte> FindCtes(List<SqlToken> tokens, int[] partner, string sql)
    {
        var ctes = new List<Cte>();
        for (var i = 1; i < tokens.Count; i++)
        {
            if (!IsWord(tokens[i], "AS", sql))
            {
                continue;
            }
            var body = i + 1;
            if (body < tokens.Count && IsWord(tokens[body], "NOT", sql))
            {
                body++;
            }
            if (body < tokens.Count && IsWord(tokens[body], "MATERIALIZED", sql))
            {
                body++;
            }
            if (body >= tokens.Count || tokens[body].Kind != SqlTokenKind.Open)
            {
                continue;
            }
            var nameToken = i - 1;
            if (tokens[nameToken].Kind == SqlTokenKind.Close)
            {
                // The column list: step back to its "(" and take the token before it.
                nameToken = partner[nameToken] - 1;
            }
            if (nameToken >= 0 && NameOf(tokens[nameToken], sql) is { } name)
            {
                ctes.Add(new Cte(name, nameToken, body, partner[body]));
            }
        }
        return ctes;
    }

    /// <summary>For each token, the node it belongs to: the innermost CTE body around it (i + 1), else the statement (0).</summary>
    static int[] Owners(int count, List<Cte> ctes)
    {
        var owner = new int[count];
        var opening = new Dictionary<int, int>();
        for (var i = 0; i < ctes.Count; i++)
        {
            opening[ctes[i].Open] = i + 1;
        }
        var inside = new Stack<int>();
        for (var i = 0; i < count; i++)
        {
            while (inside.Count > 0 && ctes[inside.Peek() - 1].Close < i)
            {
                inside.Pop();
            }
            owner[i] = inside.Count > 0 ? inside.Peek() : 0;
            if (opening.TryGetValue(i, out var node))
            {
                inside.Push(node);
            }
        }
        return owner;
    }

    /// <summary>Next to a ".": a schema, table or column name, never a CTE in a FROM clause.</summary>
    static bool IsQualified(List<SqlToken> tokens, int i, string sql) =>
        (i > 0 && IsDot(tokens[i - 1], sql)) || (i + 1 < tokens.Count && IsDot(tokens[i + 1], sql));

    static bool IsDot(SqlToken token, string sql) => token.Kind == SqlTokenKind.Other && sql[token.Start] == '.';

    static bool IsWord(SqlToken token, string word, string sql) =>
        token.Kind == SqlTokenKind.Word && sql.AsSpan(token.Start, token.Length).Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>The identifier a token spells, quotes removed; SQLite also takes a '…' string where a name may stand.</summary>
    static string? NameOf(SqlToken token, string sql) => token.Kind switch
    {
        SqlTokenKind.Word => sql.Substring(token.Start, token.Length),
        SqlTokenKind.QuotedName or SqlTokenKind.String when token.Length >= 2 => Unquote(sql.Substring(token.Start, token.Length)),
        _ => null,
    };

    static string Unquote(string quoted)
    {
        var close = quoted[0] == '[' ? ']' : quoted[0];
        var inner = quoted[1..^1];
        return close == ']' ? inner : inner.Replace(new string(close, 2), close.ToString(), StringComparison.Ordinal);
    }

    readonly record struct Cte(string Name, int NameToken, int Open, int Close);
}
