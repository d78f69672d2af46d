namespace Hatbox.Features.Ai.NlQuery;

/// <summary>
/// Links a question's tokens to one candidate table: at each position the longest match among
/// cue phrases, the table's stored values, its columns and the workspace's table names wins (on a
/// tie: value, column, table, cue). Exact words and stems first; a word still unknown may then be a
/// synonym the embedding model found (word → schema name).
/// </summary>
internal static class QuestionLinker
{
    public static List<LinkedItem> Link(
        IReadOnlyList<QuestionToken> tokens, NlSchema schema, NlTable table, IReadOnlyDictionary<string, string> synonyms)
    {
        var items = new List<LinkedItem>();
        var i = 0;
        while (i < tokens.Count)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case TokenKind.Number:
                    items.Add(new NumberItem(token.Number, token.Text));
                    i++;
                    continue;
                case TokenKind.Quoted:
                    items.Add(new QuotedItem(token.Text));
                    i++;
                    continue;
            }
            var (length, item) = LongestMatch(tokens, i, schema, table);
            if (length > 0)
            {
                items.Add(item!);
                i += length;
                continue;
            }
            items.Add(Single(token, schema, table, synonyms));
            i++;
        }
        return items;
    }

    static (int Length, LinkedItem? Item) LongestMatch(IReadOnlyList<QuestionToken> tokens, int at, NlSchema schema, NlTable table)
    {
        var best = (Length: 0, Rank: int.MaxValue, Item: (LinkedItem?)null);
        void Offer(int length, int rank, Func<LinkedItem> make)
        {
            if (length > best.Length || (length == best.Length && length > 0 && rank < best.Rank))
            {
                best = (length, rank, make());
            }
        }

        var values = new Dictionary<int, List<(NlColumn, string)>>();
        foreach (var column in table.Columns)
        {
            foreach (var value in column.Values)
            {
                var words = NameWords.OfValue(value);
                var length = MatchWords(tokens, at, words);
                // A stored "in" or "top" must not swallow the question's own words.
                if (length > 0 && !(length == 1 && Vocabulary.IsStructural(words[0])))
                {
                    (values.TryGetValue(length, out var list) ? list : values[length] = []).Add((column, value));
                }
            }
            foreach (var words in NameWords.OfName(column.Name))
            {
                var length = MatchWords(tokens, at, words);
                Offer(length, 1, () => new ColumnItem(column, Text(tokens, at, length)));
            }
        }
        foreach (var (length, candidates) in values)
        {
            Offer(length, 0, () => new ValueItem(candidates, Text(tokens, at, length)));
        }
        foreach (var other in schema.Tables)
        {
            foreach (var words in NameWords.OfName(other.Name))
            {
                var length = MatchWords(tokens, at, words);
                Offer(length, 2, () => new TableItem(other, Text(tokens, at, length)));
            }
        }
        foreach (var (words, cue) in Vocabulary.Phrases)
        {
            var length = MatchCue(tokens, at, words);
            // A one-word cue loses to a name of the schema; a phrase of two or more words does not.
            Offer(length, length > 1 ? -1 : 3, () => new CueItem(cue, Text(tokens, at, length)));
        }
        return (best.Length, best.Item);
    }

    static LinkedItem Single(QuestionToken token, NlSchema schema, NlTable table, IReadOnlyDictionary<string, string> synonyms)
    {
        if (token.Kind == TokenKind.Word && Vocabulary.StopWords.Contains(token.Text))
        {
            return new CueItem(Cue.Stop, token.Text);
        }
        if (token.Kind == TokenKind.Word && synonyms.TryGetValue(token.Text, out var name))
        {
            if (table.Columns.FirstOrDefault(c => c.Name == name) is { } column)
            {
                return new ColumnItem(column, token.Text);
            }
            if (schema.Tables.FirstOrDefault(t => t.Name == name) is { } other)
            {
                return new TableItem(other, token.Text);
            }
        }
        return new UnknownItem(token.Text);
    }

    /// <summary>How many tokens from <paramref name="at"/> spell <paramref name="words"/> (by word or stem); 0 when they do not.</summary>
    static int MatchWords(IReadOnlyList<QuestionToken> tokens, int at, string[] words)
    {
        if (words.Length == 0 || at + words.Length > tokens.Count)
        {
            return 0;
        }
        for (var k = 0; k < words.Length; k++)
        {
            var token = tokens[at + k];
            var matches = token.Kind switch
            {
                TokenKind.Word => token.Text == words[k] || token.Stem == EnglishStem.Of(words[k]),
                TokenKind.Number => token.Text == words[k],
                _ => false,
            };
            if (!matches)
            {
                return 0;
            }
        }
        return words.Length;
    }

    static int MatchCue(IReadOnlyList<QuestionToken> tokens, int at, string[] words)
    {
        if (at + words.Length > tokens.Count)
        {
            return 0;
        }
        for (var k = 0; k < words.Length; k++)
        {
            var token = tokens[at + k];
            if (token.Kind is not (TokenKind.Word or TokenKind.Symbol) || token.Text != words[k])
            {
                return 0;
            }
        }
        return words.Length;
    }

    static string Text(IReadOnlyList<QuestionToken> tokens, int at, int length) =>
        string.Join(' ', tokens.Skip(at).Take(length).Select(t => t.Text));
}
