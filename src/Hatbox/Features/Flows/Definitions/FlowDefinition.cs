using System.Text.Json;

namespace Hatbox.Features.Flows.Definitions;

/// <summary>A flow document after it passed <see cref="FlowValidator"/>: what the engine walks.</summary>
internal sealed record FlowDefinition(string Name, IReadOnlyList<FlowStep> Steps, JsonElement? Output, TimeSpan? Timeout);

/// <summary>
/// One step. <see cref="Key"/> is its JSON path in the document (<c>/steps/2/with/then/0</c>),
/// which names its record in a run; inside <c>foreach</c> the item's index is added to it.
/// </summary>
internal sealed record FlowStep(
    string Id, string Uses, JsonElement With, RetryPolicy Retry, TimeSpan? Timeout, string Key,
    IReadOnlyList<FlowStep> Then, IReadOnlyList<FlowStep> Else, IReadOnlyList<FlowStep> Body);

/// <summary><c>retry</c>: up to <see cref="Max"/> more attempts, waiting <see cref="Backoff"/>, then twice that, and so on.</summary>
internal sealed record RetryPolicy(int Max, TimeSpan Backoff)
{
    public static readonly RetryPolicy None = new(0, TimeSpan.FromSeconds(1));

    public TimeSpan DelayBefore(int attempt) =>
        TimeSpan.FromTicks(Math.Min(Backoff.Ticks * (1L << Math.Min(attempt - 2, 20)), TimeSpan.FromMinutes(5).Ticks));
}

/// <summary>A fault in a flow document: the JSON path of the value at fault and what is wrong with it.</summary>
internal sealed record FlowFault(string Path, string Message);
