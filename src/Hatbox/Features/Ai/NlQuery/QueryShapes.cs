namespace Hatbox.Features.Ai.NlQuery;

/// <summary>
/// Decides which of the understood shapes a parsed question is: a count, an aggregate, the top or
/// bottom rows by a column, the group with the most rows, distinct values, or a list. A question
/// that fits none, or fits with a part left over, is refused.
/// </summary>
internal static class QueryShapes
{
    public static PlanOrRefusal Decide(ParseState s, bool mentions, int maxRows)
    {
        if (s.Limit > maxRows)
        {
            s.Limit = maxRows;
        }
        var plan = new QueryPlan(s.Table) { Filters = s.Filters, Limit = s.Limit };
        var refused = (string reason) => PlanOrRefusal.Refuse(reason, mentions);
        var ok = (QueryPlan p) => PlanOrRefusal.Of(p, mentions);

        if (s.Aggregate == Aggregate.Count)
        {
            if (s.Superlative is not null || s.Rank is not null || s.OrderBy is not null)
            {
                return refused("A count cannot also be ordered or ranked; ask 'which category has the most products'.");
            }
            if (s.Subjects.Count == 1 && s.TableAt is null && s.Group is null)
            {
                return ok(plan with { Aggregate = Aggregate.CountDistinct, Measure = s.Subjects[0] });
            }
            if (s.Subjects.Count > 0)
            {
                return refused($"It is not clear what to do with the column '{s.Subjects[0].Name}' in a count.");
            }
            return ok(plan with { Aggregate = Aggregate.Count, Group = s.Group, OrderBy = s.Group, Limit = s.Group is null ? null : s.Limit });
        }
        if (s.Aggregate is { } aggregate)
        {
            var measure = s.Measure ?? (s.Subjects.Count == 1 ? s.Subjects[0] : null);
            if (measure is null)
            {
                return refused("Name the column to aggregate, as in 'average price'.");
            }
            if (s.Subjects.Count > (s.Measure is null ? 1 : 0) || s.Superlative is not null || s.Rank is not null)
            {
                return refused("Only one column can be aggregated at a time.");
            }
            if (aggregate is Aggregate.Sum or Aggregate.Average && !measure.IsNumeric)
            {
                return refused($"The column '{measure.Name}' is not numeric.");
            }
            return ok(plan with { Aggregate = aggregate, Measure = measure, Group = s.Group, OrderBy = s.Group });
        }
        if (s.Superlative is { } superlative)
        {
            return Superlative(s, superlative, plan, refused, ok);
        }
        if (s.Group is not null)
        {
            return refused($"'per {s.Group.Name}' needs something to count or add up, as in 'how many … per {s.Group.Name}'.");
        }
        if (s.Rank is { } rank)
        {
            if (s.OrderBy is null)
            {
                return refused($"Say by which column, as in '{(rank == Cue.Top ? "top" : "bottom")} 5 by price'.");
            }
            return ok(plan with { OrderBy = s.OrderBy, Descending = Descending(s.Direction, rank == Cue.Top), Limit = s.Limit ?? 1, Projection = s.Subjects });
        }
        // "list the categories": one column named alone, asked for, is its distinct values.
        var distinct = s.Distinct || (s.Subjects.Count == 1 && s.TableAt is null && s.Asks.Count > 0);
        if (distinct)
        {
            if (s.Subjects.Count != 1)
            {
                return refused("Name the one column whose distinct values you want.");
            }
            return ok(plan with { Distinct = true, Projection = s.Subjects, OrderBy = s.OrderBy ?? s.Subjects[0], Descending = Descending(s.Direction, false) });
        }
        if (s.Asks.Count == 0 && s.TableAt is null && s.Filters.Count == 0)
        {
            return refused("Ask for something: how many, list, top, average, ….");
        }
        return ok(plan with { Projection = s.Subjects, OrderBy = s.OrderBy, Descending = Descending(s.Direction, false) });
    }

    static PlanOrRefusal Superlative(ParseState s, Cue superlative, QueryPlan plan, Func<string, PlanOrRefusal> refused, Func<QueryPlan, PlanOrRefusal> ok)
    {
        var most = superlative == Cue.Most;
        if (s.SuperlativeCount)
        {
            // "which category has the most products": the group with the largest count.
            var group = s.Group ?? (s.Subjects.Count == 1 ? s.Subjects[0] : null);
            if (group is null)
            {
                return refused("Say which column to group by, as in 'which category has the most products'.");
            }
            return ok(plan with { Aggregate = Aggregate.Count, Group = group, OrderByAggregate = true, Descending = most, Limit = s.Limit ?? 1 });
        }
        var column = s.SuperlativeColumn!;
        var rowsWanted = s.Asks.Contains(Cue.Which) || s.Asks.Contains(Cue.List) || s.Limit is not null
            || (s.TableAt is { } tableAt && tableAt < s.SuperlativeAt) || s.Subjects.Count > 0;
        if (!rowsWanted)
        {
            // "what is the highest price (of kitchen products)": a value, not a row.
            return ok(plan with { Aggregate = most ? Aggregate.Max : Aggregate.Min, Measure = column, Group = s.Group, OrderBy = s.Group });
        }
        if (s.Group is not null)
        {
            return refused("The top rows per group is beyond the built-in engine.");
        }
        return ok(plan with { OrderBy = column, Descending = most, Limit = s.Limit ?? 1, Projection = s.Subjects });
    }

    static bool Descending(Cue? direction, bool otherwise) => direction switch
    {
        Cue.Descending => true,
        Cue.Ascending => false,
        _ => otherwise,
    };
}
