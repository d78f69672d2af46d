namespace Hatbox.Features.Ai.NlQuery;

internal enum Aggregate
{
    Count,
    CountDistinct,
    Sum,
    Average,
    Min,
    Max,
}

internal enum Comparison
{
    Equal,
    In,
    GreaterThan,
    AtLeast,
    LessThan,
    AtMost,
    Between,
}

/// <summary>A condition on one column; <see cref="Values"/> are bound, never spliced.</summary>
internal sealed record Filter(NlColumn Column, Comparison Comparison, IReadOnlyList<object> Values);

/// <summary>
/// What the built-in engine understood, over one table: rows (with projection, order and limit),
/// distinct values of a column, or an aggregate, optionally per value of a group column.
/// </summary>
internal sealed record QueryPlan(NlTable Table)
{
    public Aggregate? Aggregate { get; init; }

    public NlColumn? Measure { get; init; }

    public NlColumn? Group { get; init; }

    public bool Distinct { get; init; }

    public IReadOnlyList<NlColumn> Projection { get; init; } = [];

    public IReadOnlyList<Filter> Filters { get; init; } = [];

    /// <summary>The column to order by; with <see cref="OrderByAggregate"/> the aggregate instead.</summary>
    public NlColumn? OrderBy { get; init; }

    public bool OrderByAggregate { get; init; }

    public bool Descending { get; init; }

    public int? Limit { get; init; }
}
