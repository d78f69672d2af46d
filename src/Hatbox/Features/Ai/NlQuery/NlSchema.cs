namespace Hatbox.Features.Ai.NlQuery;

/// <summary>What the engines may know of a workspace's data: names, types and, for text columns
/// with few distinct values, those values. Never other rows.</summary>
internal sealed record NlSchema(IReadOnlyList<NlTable> Tables)
{
    public NlTable? Find(string name) =>
        Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}

internal sealed record NlTable(string Name, IReadOnlyList<NlColumn> Columns)
{
    public NlColumn? PrimaryKey => Columns.Count(c => c.IsPrimaryKey) == 1 ? Columns.First(c => c.IsPrimaryKey) : null;
}

/// <summary>
/// A column. <see cref="Values"/> holds every distinct value of a low-cardinality text column
/// (so a question's "kitchen" can become <c>category = 'kitchen'</c>), else is empty.
/// </summary>
internal sealed record NlColumn(string Name, string Type, bool IsPrimaryKey, IReadOnlyList<string> Values)
{
    /// <summary>Declared types by SQLite's affinity rules (and PostgreSQL's names): INT, REAL, FLOA, DOUB, NUMERIC, DECIMAL.</summary>
    public bool IsNumeric
    {
        get
        {
            var type = Type.ToUpperInvariant();
            return type.Contains("INT", StringComparison.Ordinal) || type.Contains("REAL", StringComparison.Ordinal)
                || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal)
                || type.Contains("NUM", StringComparison.Ordinal) || type.Contains("DEC", StringComparison.Ordinal);
        }
    }

    /// <summary>SQLite's text affinity (CHAR, CLOB, TEXT), or no declared type at all.</summary>
    public bool IsText
    {
        get
        {
            var type = Type.ToUpperInvariant();
            return type.Length == 0 || type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal)
                || type.Contains("TEXT", StringComparison.Ordinal);
        }
    }
}
