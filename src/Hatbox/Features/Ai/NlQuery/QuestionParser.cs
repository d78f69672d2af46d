namespace Hatbox.Features.Ai.NlQuery;

/// <summary>
/// Turns a linked question into a <see cref="QueryPlan"/> over one table, or refuses. Every item
/// must find a role (filter, measure, group, order, projection, limit); a word or a column that
/// finds none makes the question not understood rather than silently ignored.
/// </summary>
internal static class QuestionParser
{
    public static PlanOrRefusal Parse(List<LinkedItem> linked, NlTable table, int maxRows)
    {
        var unknown = linked.OfType<UnknownItem>().Select(u => u.Text).Distinct().ToList();
        var items = linked.Where(i => i is not CueItem { Cue: Cue.Stop }).ToList();
        var mentions = items.Any(i => i is TableItem t && t.Table == table || i is CueItem { Cue: Cue.Rows });
        if (unknown.Count > 0)
        {
            return PlanOrRefusal.Refuse("Some words could not be linked to the data: " + string.Join(", ", unknown.Select(w => $"'{w}'")) + ".", mentions, unknown);
        }
        if (items.OfType<TableItem>().FirstOrDefault(t => t.Table != table) is { } other)
        {
            return PlanOrRefusal.Refuse($"The question names the table '{other.Table.Name}' as well as '{table.Name}'; ask about one table at a time.", mentions);
        }
        var state = new ParseState(table);
        var refusal = Walk(items, state);
        return refusal is not null ? PlanOrRefusal.Refuse(refusal, mentions) : Shape(state, mentions, maxRows);
    }

    static string? Walk(List<LinkedItem> items, ParseState s)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var next = i + 1 < items.Count ? items[i + 1] : null;
            switch (item)
            {
                case TableItem or CueItem { Cue: Cue.Rows }:
                    s.TableAt ??= i;
                    break;
                case CueItem { Cue: Cue.Count }:
                    s.Aggregate = Aggregate.Count;
                    break;
                case CueItem { Cue: Cue.Sum or Cue.Average or Cue.Min or Cue.Max } cue:
                    // "the total number of products" counts; it does not sum.
                    if (s.Aggregate != Aggregate.Count)
                    {
                        s.Aggregate = cue.Cue switch { Cue.Sum => Aggregate.Sum, Cue.Average => Aggregate.Average, Cue.Min => Aggregate.Min, _ => Aggregate.Max };
                        s.ExpectMeasure = true;
                    }
                    break;
                case CueItem { Cue: Cue.Most or Cue.Least } cue:
                    s.Superlative = cue.Cue;
                    s.SuperlativeAt = i;
                    if (next is ColumnItem ranked)
                    {
                        s.SuperlativeColumn = ranked.Column;
                        i++;
                    }
                    else if (next is TableItem or CueItem { Cue: Cue.Rows })
                    {
                        s.SuperlativeCount = true;
                    }
                    else
                    {
                        return $"'{cue.Text}' needs a column after it, as in '{cue.Text} price'.";
                    }
                    break;
                case CueItem { Cue: Cue.Top or Cue.Bottom or Cue.First } cue:
                    s.Rank = cue.Cue == Cue.First ? s.Rank : cue.Cue;
                    if (next is NumberItem count)
                    {
                        if (SetLimit(s, count) is { } badCount)
                        {
                            return badCount;
                        }
                        i++;
                    }
                    else if (cue.Cue == Cue.First)
                    {
                        return "'first' needs a number, as in 'first 5'.";
                    }
                    break;
                case CueItem { Cue: Cue.Distinct }:
                    s.Distinct = true;
                    break;
                case CueItem { Cue: Cue.List or Cue.Which or Cue.What } cue:
                    s.Asks.Add(cue.Cue);
                    break;
                case CueItem { Cue: Cue.Per } cue:
                    if (next is not ColumnItem group)
                    {
                        return $"'{cue.Text}' needs a column after it, as in '{cue.Text} category'.";
                    }
                    s.Group = group.Column;
                    i++;
                    break;
                case CueItem { Cue: Cue.By or Cue.OrderBy } cue:
                    if (next is not ColumnItem by)
                    {
                        return $"'{cue.Text}' needs a column after it.";
                    }
                    if (cue.Cue == Cue.By && s.Aggregate is not null && s.Rank is null)
                    {
                        s.Group = by.Column;
                    }
                    else
                    {
                        s.OrderBy = by.Column;
                    }
                    i++;
                    break;
                case CueItem { Cue: Cue.Ascending or Cue.Descending } cue:
                    s.Direction = cue.Cue;
                    break;
                case CueItem { Cue: Cue.And }:
                    break;
                case CueItem { Cue: Cue.Named } cue:
                    var nameColumn = s.Table.Columns.FirstOrDefault(c => c.Name.Equals("name", StringComparison.OrdinalIgnoreCase) || c.Name.Equals("title", StringComparison.OrdinalIgnoreCase));
                    if (nameColumn is null || next is not (QuotedItem or ValueItem))
                    {
                        return $"'{cue.Text}' needs a name column and a value, as in named 'Kettle'.";
                    }
                    s.Filters.Add(new Filter(nameColumn, Comparison.Equal, [ValueText(next, nameColumn)]));
                    i++;
                    break;
                case CueItem { Cue: Cue.GreaterThan or Cue.AtLeast or Cue.LessThan or Cue.AtMost or Cue.EqualTo or Cue.Between } cue:
                    // "with more than 10 stock": the column after the number.
                    var consumed = NumericFilter(items, i, s, column: null);
                    if (consumed == 0)
                    {
                        return $"'{cue.Text}' needs a column and a number.";
                    }
                    i += consumed - 1;
                    break;
                case NumberItem number:
                    // "5 products", "the 3 most ...": a limit.
                    if (next is not (TableItem or CueItem { Cue: Cue.Rows or Cue.Most or Cue.Least }))
                    {
                        return $"The number {number.Text} has no clear role here.";
                    }
                    if (SetLimit(s, number) is { } bad)
                    {
                        return bad;
                    }
                    break;
                case QuotedItem quoted:
                    return $"The quoted text '{quoted.Text}' needs a column before it, as in name = '{quoted.Text}'.";
                case ValueItem value when next is ColumnItem named && value.Candidates.Any(c => c.Column == named.Column):
                    // "the garden category": the column after a value only says whose value it is.
                    s.AddEquality(named.Column, value.Candidates.Where(c => c.Column == named.Column).Select(c => (object)c.Value));
                    i++;
                    break;
                case ValueItem value:
                    if (value.Candidates.Select(c => c.Column).Distinct().Count() > 1)
                    {
                        return $"'{value.Text}' is a value of several columns ({string.Join(", ", value.Candidates.Select(c => c.Column.Name).Distinct())}); name the column.";
                    }
                    s.AddEquality(value.Candidates[0].Column, value.Candidates.Select(c => (object)c.Value));
                    break;
                case ColumnItem column:
                    var used = ColumnFilter(items, i, s, column.Column);
                    if (used > 0)
                    {
                        i += used - 1;
                    }
                    else if (s.ExpectMeasure)
                    {
                        s.Measure = column.Column;
                        s.ExpectMeasure = false;
                    }
                    else
                    {
                        s.Subjects.Add(column.Column);
                    }
                    break;
                default:
                    return $"'{item.Text}' has no clear role here.";
            }
        }
        return null;
    }

    /// <summary>A filter that starts with <paramref name="column"/> at <paramref name="at"/>: answers how many items it took, 0 if none.</summary>
    static int ColumnFilter(List<LinkedItem> items, int at, ParseState s, NlColumn column)
    {
        var next = at + 1 < items.Count ? items[at + 1] : null;
        switch (next)
        {
            case ValueItem value when value.Candidates.Any(c => c.Column == column):
                s.AddEquality(column, value.Candidates.Where(c => c.Column == column).Select(c => (object)c.Value));
                return 2;
            case QuotedItem quoted:
                s.Filters.Add(new Filter(column, Comparison.Equal, [quoted.Text]));
                return 2;
            case CueItem { Cue: Cue.EqualTo } when at + 2 < items.Count && items[at + 2] is QuotedItem or ValueItem:
                s.Filters.Add(new Filter(column, Comparison.Equal, [ValueText(items[at + 2], column)]));
                return 3;
            case CueItem { Cue: Cue.GreaterThan or Cue.AtLeast or Cue.LessThan or Cue.AtMost or Cue.EqualTo or Cue.Between }:
                var used = NumericFilter(items, at + 1, s, column);
                return used == 0 ? 0 : used + 1;
            default:
                return 0;
        }
    }

    /// <summary>A comparison cue at <paramref name="at"/> and its number(s); the column given, or the one right after. Items taken, 0 if none.</summary>
    static int NumericFilter(List<LinkedItem> items, int at, ParseState s, NlColumn? column)
    {
        var cue = ((CueItem)items[at]).Cue;
        var take = cue == Cue.Between ? 4 : 2;
        if (at + take > items.Count || items[at + 1] is not NumberItem first
            || (cue == Cue.Between && (items[at + 2] is not CueItem { Cue: Cue.And } || items[at + 3] is not NumberItem)))
        {
            return 0;
        }
        if (column is null)
        {
            if (at + take >= items.Count || items[at + take] is not ColumnItem after)
            {
                return 0;
            }
            column = after.Column;
            take++;
        }
        object[] values = cue == Cue.Between ? [Number(first), Number((NumberItem)items[at + 3])] : [Number(first)];
        var comparison = cue switch
        {
            Cue.GreaterThan => Comparison.GreaterThan,
            Cue.AtLeast => Comparison.AtLeast,
            Cue.LessThan => Comparison.LessThan,
            Cue.AtMost => Comparison.AtMost,
            Cue.Between => Comparison.Between,
            _ => Comparison.Equal,
        };
        s.Filters.Add(new Filter(column, comparison, values));
        return take;
    }

    /// <summary>Whole numbers bind as integers, so "stock = 5" compares as SQLite and PostgreSQL expect.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "A long and a double are both answers; as double the integer would bind as REAL.")]
    static object Number(NumberItem number)
    {
        if (number.Value == Math.Floor(number.Value) && Math.Abs(number.Value) < 1e15)
        {
            return (long)number.Value;
        }
        return number.Value;
    }

    static string ValueText(LinkedItem item, NlColumn column) => item switch
    {
        ValueItem value => value.Candidates.FirstOrDefault(c => c.Column == column).Value ?? value.Candidates[0].Value,
        _ => item.Text,
    };

    static string? SetLimit(ParseState s, NumberItem number)
    {
        if (number.Value < 1 || number.Value != Math.Floor(number.Value))
        {
            return $"{number.Text} is not a number of rows.";
        }
        s.Limit = (int)Math.Min(number.Value, int.MaxValue);
        return null;
    }

    static PlanOrRefusal Shape(ParseState s, bool mentions, int maxRows) =>
        QueryShapes.Decide(s, mentions, maxRows);
}
