using System.Text;
using System.Text.Json;
using Hatbox.Features.Db;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary>A statement and the values bound to its <c>$1</c>, <c>$2</c>…, as <c>/db/query</c> takes them.</summary>
internal sealed record GeneratedSql(string Sql, IReadOnlyList<JsonElement> Parameters)
{
    public SqlParameters Bound => Parameters.Count == 0 ? SqlParameters.None : SqlParameters.Positional(Parameters);
}

/// <summary>
/// Writes a <see cref="QueryPlan"/> as one SELECT that SQLite and PostgreSQL both read: names
/// quoted from the schema, every value a <c>$N</c> parameter.
/// </summary>
internal static class PlanSql
{
    public static GeneratedSql Write(QueryPlan plan)
    {
        var parameters = new List<JsonElement>();
        string Bind(object value)
        {
            parameters.Add(value switch
            {
                long integer => JsonSerializer.SerializeToElement(integer, NlQueryJsonContext.Default.Int64),
                double real => JsonSerializer.SerializeToElement(real, NlQueryJsonContext.Default.Double),
                _ => JsonSerializer.SerializeToElement(value.ToString(), NlQueryJsonContext.Default.String),
            });
            return "$" + parameters.Count;
        }

        var sql = new StringBuilder("SELECT ");
        var aggregateAlias = plan.Aggregate is { } aggregate ? Alias(aggregate, plan.Measure) : null;
        if (plan.Aggregate is { } kind)
        {
            if (plan.Group is { } group)
            {
                sql.Append(SqlNames.Quote(group.Name)).Append(", ");
            }
            sql.Append(Expression(kind, plan.Measure)).Append(" AS ").Append(SqlNames.Quote(aggregateAlias!));
        }
        else
        {
            if (plan.Distinct)
            {
                sql.Append("DISTINCT ");
            }
            sql.Append(plan.Projection.Count == 0 ? "*" : string.Join(", ", plan.Projection.Select(c => SqlNames.Quote(c.Name))));
        }
        sql.Append(" FROM ").Append(SqlNames.Quote(plan.Table.Name));
        if (plan.Filters.Count > 0)
        {
            sql.Append(" WHERE ").Append(string.Join(" AND ", plan.Filters.Select(f => Condition(f, Bind))));
        }
        if (plan.Group is { } grouped)
        {
            sql.Append(" GROUP BY ").Append(SqlNames.Quote(grouped.Name));
        }
        if (plan.OrderByAggregate)
        {
            sql.Append(" ORDER BY ").Append(SqlNames.Quote(aggregateAlias!)).Append(plan.Descending ? " DESC" : " ASC");
        }
        else if (plan.OrderBy is { } order)
        {
            // Rows without a value go last either way: "the 3 cheapest" are not three missing prices.
            sql.Append(" ORDER BY ").Append(SqlNames.Quote(order.Name)).Append(plan.Descending ? " DESC" : " ASC").Append(" NULLS LAST");
        }
        if (plan.OrderBy is not null || plan.OrderByAggregate)
        {
            if (plan.Aggregate is null && plan.Table.PrimaryKey is { } key && key != plan.OrderBy && !plan.Distinct)
            {
                // Equal values in a stable order, so "top 3" answers the same rows every time.
                sql.Append(", ").Append(SqlNames.Quote(key.Name));
            }
        }
        if (plan.Limit is { } limit)
        {
            sql.Append(" LIMIT ").Append(Bind((long)limit));
        }
        return new GeneratedSql(sql.ToString(), parameters);
    }

    static string Condition(Filter filter, Func<object, string> bind)
    {
        var column = SqlNames.Quote(filter.Column.Name);
        return filter.Comparison switch
        {
            Comparison.Equal => $"{column} = {bind(filter.Values[0])}",
            Comparison.In => $"{column} IN ({string.Join(", ", filter.Values.Select(bind))})",
            Comparison.GreaterThan => $"{column} > {bind(filter.Values[0])}",
            Comparison.AtLeast => $"{column} >= {bind(filter.Values[0])}",
            Comparison.LessThan => $"{column} < {bind(filter.Values[0])}",
            Comparison.AtMost => $"{column} <= {bind(filter.Values[0])}",
            _ => $"{column} BETWEEN {bind(filter.Values[0])} AND {bind(filter.Values[1])}",
        };
    }

    static string Expression(Aggregate aggregate, NlColumn? measure)
    {
        var column = measure is null ? "*" : SqlNames.Quote(measure.Name);
        return aggregate switch
        {
            Aggregate.Count => "count(*)",
            Aggregate.CountDistinct => $"count(DISTINCT {column})",
            Aggregate.Sum => $"sum({column})",
            Aggregate.Average => $"avg({column})",
            Aggregate.Min => $"min({column})",
            _ => $"max({column})",
        };
    }

    /// <summary>The answer's column name: <c>count</c>, <c>total_price</c>, <c>average_price</c>, <c>min_price</c>….</summary>
    static string Alias(Aggregate aggregate, NlColumn? measure) => aggregate switch
    {
        Aggregate.Count => "count",
        Aggregate.CountDistinct => "count_" + measure!.Name,
        Aggregate.Sum => "total_" + measure!.Name,
        Aggregate.Average => "average_" + measure!.Name,
        Aggregate.Min => "min_" + measure!.Name,
        _ => "max_" + measure!.Name,
    };
}
