namespace Hatbox.Features.Ai.NlQuery;

/// <summary>A span of a question after linking: a cue, a name of the schema, a stored value, a number, quoted text, or a word nobody knows.</summary>
internal abstract record LinkedItem(string Text);

internal sealed record CueItem(Cue Cue, string Text) : LinkedItem(Text);

internal sealed record TableItem(NlTable Table, string Text) : LinkedItem(Text);

internal sealed record ColumnItem(NlColumn Column, string Text) : LinkedItem(Text);

/// <summary>A stored value; more than one candidate when several low-cardinality columns hold it.</summary>
internal sealed record ValueItem(IReadOnlyList<(NlColumn Column, string Value)> Candidates, string Text) : LinkedItem(Text);

internal sealed record NumberItem(double Value, string Text) : LinkedItem(Text);

internal sealed record QuotedItem(string Text) : LinkedItem(Text);

internal sealed record UnknownItem(string Text) : LinkedItem(Text);
