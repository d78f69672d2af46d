namespace Hatbox.Features.Ai.NlQuery;

/// <summary>A plan, or why none could be made: <see cref="Unknown"/> lists the words nothing linked.</summary>
internal sealed record PlanOrRefusal(QueryPlan? Plan, string? Reason, IReadOnlyList<string> Unknown, bool MentionsTable)
{
    public static PlanOrRefusal Of(QueryPlan plan, bool mentionsTable) => new(plan, null, [], mentionsTable);

    public static PlanOrRefusal Refuse(string reason, bool mentionsTable, IReadOnlyList<string>? unknown = null) =>
        new(null, reason, unknown ?? [], mentionsTable);
}
