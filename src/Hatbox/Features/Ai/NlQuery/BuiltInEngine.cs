using Microsoft.Extensions.Options;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary>
/// The offline engine: links the question to each candidate table, parses it, and answers the one
/// table it fits. Two tables that fit equally, or none, is a refusal, never a guess.
/// </summary>
internal sealed class BuiltInEngine(SynonymLinker synonyms, IOptions<NlQueryOptions> options)
{
    public async Task<PlanOrRefusal> PlanAsync(NlSchema schema, string question, NlTable? onlyTable, int maxRows, CancellationToken cancellationToken)
    {
        IReadOnlyList<NlTable> candidates = onlyTable is null ? schema.Tables : [onlyTable];
        if (candidates.Count == 0)
        {
            return PlanOrRefusal.Refuse("This environment has no tables yet.", false);
        }
        var tokens = QuestionTokens.Split(question);
        if (tokens.Count == 0)
        {
            return PlanOrRefusal.Refuse("The question has no words.", false);
        }
        var none = new Dictionary<string, string>();
        var results = candidates.Select(t => QuestionParser.Parse(QuestionLinker.Link(tokens, schema, t, none), t, maxRows)).ToList();
        if (!results.Any(r => r.Plan is not null) && synonyms.Available)
        {
            var unknown = results.SelectMany(r => r.Unknown).Distinct(StringComparer.Ordinal).Take(options.Value.MaxDistinctValues + 20).ToList();
            if (unknown.Count > 0)
            {
                var found = await synonyms.FindAsync(unknown, schema, cancellationToken);
                if (found.Count > 0)
                {
                    results = [.. candidates.Select(t => QuestionParser.Parse(QuestionLinker.Link(tokens, schema, t, found), t, maxRows))];
                }
            }
        }
        return Choose(results, candidates);
    }

    static PlanOrRefusal Choose(List<PlanOrRefusal> results, IReadOnlyList<NlTable> candidates)
    {
        var answered = results.Where(r => r.Plan is not null).ToList();
        if (answered.Count == 1)
        {
            return answered[0];
        }
        if (answered.Count > 1)
        {
            var named = answered.Where(r => r.MentionsTable).ToList();
            return named.Count == 1
                ? named[0]
                : PlanOrRefusal.Refuse("The question fits several tables (" + string.Join(", ", answered.Select(r => r.Plan!.Table.Name)) + "); name one, or pass context.table.", false);
        }
        var best = results.FirstOrDefault(r => r.MentionsTable) ?? (candidates.Count == 1 ? results[0] : results.MinBy(r => r.Unknown.Count))!;
        return best;
    }
}
