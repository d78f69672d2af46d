using System.Text;
using System.Text.Json;

namespace Hatbox.Features.Flows.Engine;

/// <summary>
/// What expressions and scripts see (DESIGN.md §10): <c>input</c>, <c>steps.&lt;id&gt;.output</c>,
/// <c>run</c>, and inside <c>foreach</c> <c>item</c> and <c>index</c>. Values are kept as JSON text,
/// which is how they are stored and how the sandbox reads them.
/// </summary>
internal sealed class RunScope
{
    readonly RunScope? _parent;
    readonly Dictionary<string, string> _outputs = new(StringComparer.Ordinal);

    RunScope(string input, string run, RunScope? parent, string? item, int? index)
    {
        Input = input;
        Run = run;
        _parent = parent;
        Item = item;
        Index = index;
    }

    public string Input { get; }

    public string Run { get; }

    public string? Item { get; }

    public int? Index { get; }

    public static RunScope ForRun(string input, string runId, string flowId, DateTimeOffset startedAt) =>
        new(input, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["id"] = runId,
            ["flowId"] = flowId,
            ["startedAt"] = startedAt.ToString("O"),
        }), null, null, null);

    /// <summary>A scope for one <c>foreach</c> item: sees everything so far, and its own steps only itself.</summary>
    public RunScope ForItem(string item, int index) => new(Input, Run, this, item, index);

    public void SetOutput(string stepId, string? outputJson)
    {
        lock (_outputs)
        {
            _outputs[stepId] = outputJson ?? "null";
        }
    }

    /// <summary>The whole scope as one JSON object, for the sandbox.</summary>
    public string ToJson()
    {
        var text = new StringBuilder(256);
        text.Append("{\"input\":").Append(Input).Append(",\"run\":").Append(Run).Append(",\"steps\":{");
        var first = true;
        foreach (var (id, output) in AllOutputs())
        {
            text.Append(first ? "" : ",");
            first = false;
            text.Append(JsonSerializer.Serialize(id)).Append(":{\"output\":").Append(output).Append('}');
        }
        text.Append('}');
        if (Item is not null)
        {
            text.Append(",\"item\":").Append(Item).Append(",\"index\":").Append(Index);
        }
        return text.Append('}').ToString();
    }

    Dictionary<string, string> AllOutputs()
    {
        var all = _parent?.AllOutputs() ?? new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_outputs)
        {
            foreach (var (id, output) in _outputs)
            {
                all[id] = output;
            }
        }
        return all;
    }
}
