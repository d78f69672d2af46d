namespace Hatbox.Features.Ai.NlQuery;

/// <summary>What <see cref="QuestionParser"/> has read so far of one question.</summary>
internal sealed class ParseState(NlTable table)
{
    public NlTable Table { get; } = table;

    /// <summary>Index of the first mention of the table (or "records", "rows").</summary>
    public int? TableAt { get; set; }

    public Aggregate? Aggregate { get; set; }

    /// <summary>The next column is what the aggregate measures ("average price").</summary>
    public bool ExpectMeasure { get; set; }

    public NlColumn? Measure { get; set; }

    public NlColumn? Group { get; set; }

    public Cue? Superlative { get; set; }

    public int SuperlativeAt { get; set; }

    public NlColumn? SuperlativeColumn { get; set; }

    /// <summary>"the most products": a superlative of the row count, per group.</summary>
    public bool SuperlativeCount { get; set; }

    /// <summary>Top or Bottom.</summary>
    public Cue? Rank { get; set; }

    public bool Distinct { get; set; }

    public HashSet<Cue> Asks { get; } = [];

    public NlColumn? OrderBy { get; set; }

    public Cue? Direction { get; set; }

    public int? Limit { get; set; }

    public List<Filter> Filters { get; } = [];

    /// <summary>Columns named with no other role: the projection, or the column of distinct values.</summary>
    public List<NlColumn> Subjects { get; } = [];

    /// <summary>"kitchen or garden products": values of one column become one IN.</summary>
    public void AddEquality(NlColumn column, IEnumerable<object> values)
    {
        var index = Filters.FindIndex(f => f.Column == column && f.Comparison is Comparison.Equal or Comparison.In);
        if (index < 0)
        {
            var list = values.Distinct().ToList();
            Filters.Add(new Filter(column, list.Count == 1 ? Comparison.Equal : Comparison.In, list));
            return;
        }
        var merged = Filters[index].Values.Concat(values).Distinct().ToList();
        Filters[index] = new Filter(column, Comparison.In, merged);
    }
}
