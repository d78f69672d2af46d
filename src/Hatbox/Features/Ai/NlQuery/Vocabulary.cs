namespace Hatbox.Features.Ai.NlQuery;

/// <summary>The words of a question that the built-in engine reads as structure rather than names.</summary>
internal enum Cue
{
    Count,
    Sum,
    Average,
    Min,
    Max,
    /// <summary>highest, most, largest: the top of an ordering.</summary>
    Most,
    /// <summary>lowest, least, smallest: the bottom of one.</summary>
    Least,
    Top,
    Bottom,
    Distinct,
    List,
    /// <summary>which / who: the answer is rows (or a group), not a number.</summary>
    Which,
    /// <summary>what: a number when followed by an aggregate, else rows.</summary>
    What,
    Per,
    By,
    OrderBy,
    Ascending,
    Descending,
    First,
    GreaterThan,
    AtLeast,
    LessThan,
    AtMost,
    EqualTo,
    Between,
    And,
    Named,
    /// <summary>records, rows, entries: the table in question, whichever it is.</summary>
    Rows,
    Stop,
}

internal static class Vocabulary
{
    /// <summary>Phrases, longest first where one starts another; matched on whole words.</summary>
    public static readonly (string[] Words, Cue Cue)[] Phrases = Build(
        ("how many", Cue.Count), ("number of", Cue.Count), ("count of", Cue.Count), ("count", Cue.Count), ("tally", Cue.Count),
        ("how much", Cue.Sum), ("sum of", Cue.Sum), ("sum", Cue.Sum), ("total", Cue.Sum), ("combined", Cue.Sum),
        ("average", Cue.Average), ("avg", Cue.Average), ("mean", Cue.Average),
        ("minimum", Cue.Min), ("min", Cue.Min), ("maximum", Cue.Max), ("max", Cue.Max),
        ("highest", Cue.Most), ("largest", Cue.Most), ("biggest", Cue.Most), ("greatest", Cue.Most), ("most", Cue.Most),
        ("lowest", Cue.Least), ("smallest", Cue.Least), ("least", Cue.Least), ("fewest", Cue.Least),
        ("top", Cue.Top), ("bottom", Cue.Bottom),
        ("distinct", Cue.Distinct), ("different", Cue.Distinct), ("unique", Cue.Distinct),
        ("list", Cue.List), ("show", Cue.List), ("display", Cue.List), ("get", Cue.List), ("find", Cue.List),
        ("fetch", Cue.List), ("give", Cue.List), ("return", Cue.List), ("see", Cue.List),
        ("which", Cue.Which), ("who", Cue.Which), ("what", Cue.What),
        ("for each", Cue.Per), ("for every", Cue.Per), ("in each", Cue.Per), ("by each", Cue.Per), ("per", Cue.Per),
        ("each", Cue.Per), ("grouped by", Cue.Per), ("group by", Cue.Per), ("broken down by", Cue.Per),
        ("sorted by", Cue.OrderBy), ("ordered by", Cue.OrderBy), ("order by", Cue.OrderBy), ("sort by", Cue.OrderBy),
        ("by", Cue.By),
        ("ascending", Cue.Ascending), ("asc", Cue.Ascending), ("alphabetically", Cue.Ascending),
        ("lowest first", Cue.Ascending), ("smallest first", Cue.Ascending),
        ("descending", Cue.Descending), ("desc", Cue.Descending), ("highest first", Cue.Descending), ("largest first", Cue.Descending),
        ("first", Cue.First), ("limit", Cue.First),
        ("more than", Cue.GreaterThan), ("greater than", Cue.GreaterThan), ("higher than", Cue.GreaterThan),
        ("larger than", Cue.GreaterThan), ("bigger than", Cue.GreaterThan), ("over", Cue.GreaterThan),
        ("above", Cue.GreaterThan), ("exceeding", Cue.GreaterThan), (">", Cue.GreaterThan),
        ("at least", Cue.AtLeast), ("no less than", Cue.AtLeast), (">=", Cue.AtLeast),
        ("less than", Cue.LessThan), ("fewer than", Cue.LessThan), ("lower than", Cue.LessThan),
        ("smaller than", Cue.LessThan), ("under", Cue.LessThan), ("below", Cue.LessThan), ("<", Cue.LessThan),
        ("at most", Cue.AtMost), ("no more than", Cue.AtMost), ("up to", Cue.AtMost), ("<=", Cue.AtMost),
        ("equal to", Cue.EqualTo), ("equals", Cue.EqualTo), ("exactly", Cue.EqualTo), ("=", Cue.EqualTo),
        ("between", Cue.Between), ("and", Cue.And),
        ("named", Cue.Named), ("called", Cue.Named),
        ("records", Cue.Rows), ("record", Cue.Rows), ("rows", Cue.Rows), ("row", Cue.Rows), ("entries", Cue.Rows), ("entry", Cue.Rows));

    /// <summary>Words that carry no meaning the engine needs. Anything neither here nor linked makes the engine refuse.</summary>
    public static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "or", "either", "of", "in", "on", "at", "for", "with", "that", "is", "are", "was", "were", "be", "been",
        "do", "does", "did", "we", "i", "me", "my", "our", "us", "you", "your", "have", "has", "had", "there",
        "their", "it", "its", "all", "any", "to", "from", "please", "can", "could", "would", "will", "tell",
        "whose", "where", "whats", "exist", "exists", "currently", "now", "overall", "altogether",
        "them", "those", "these", "this", "as", "so", "far", "value", "values", "kinds", "kind", "types", "type",
        "stored", "saved", "listed", "recorded", "available", "here", "want", "know", "like", "need", "only",
        "just", "some", "whole", "entire", "database", "table", "data", "ones", "having", "got",
    };

    static readonly HashSet<string> CueWords = [.. Phrases.Where(p => p.Words.Length == 1).Select(p => p.Words[0])];

    /// <summary>A stop word or a one-word cue.</summary>
    public static bool IsStructural(string word) => StopWords.Contains(word) || CueWords.Contains(word);

    static (string[] Words, Cue Cue)[] Build(params (string Phrase, Cue Cue)[] phrases) =>
        [.. phrases.Select(p => (p.Phrase.Split(' '), p.Cue)).OrderByDescending(p => p.Item1.Length)];
}
