using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Flows;

/// <summary><c>Flows:…</c>: the limits of docs/flows.md. Defaults in code, overrides in configuration.</summary>
internal sealed class FlowOptions
{
    public const string SectionName = "Flows";

    /// <summary>How long a trigger waits for its run before answering 202 with the run id.</summary>
    [Range(0, 300)] public double TriggerWaitSeconds { get; set; } = 30;

    /// <summary>A flow's maximum when its document sets no <c>timeout</c>; a document may not go past <see cref="MaxFlowTimeoutSeconds"/>.</summary>
    [Range(1, 604_800)] public double DefaultFlowTimeoutSeconds { get; set; } = 3600;
    [Range(1, 2_592_000)] public double MaxFlowTimeoutSeconds { get; set; } = 86_400;

    /// <summary>A step's limit when it sets no <c>timeout</c>.</summary>
    [Range(0.01, 3600)] public double DefaultStepTimeoutSeconds { get; set; } = 30;

    /// <summary>Runs of one workspace that execute at once on a node; more wait in its queue.</summary>
    [Range(1, 1000)] public int MaxConcurrentRunsPerWorkspace { get; set; } = 8;

    /// <summary>In-progress runs a workspace may have before triggers answer 429.</summary>
    [Range(1, 1_000_000)] public int MaxQueuedRunsPerWorkspace { get; set; } = 1000;

    /// <summary>Runs that execute at once on a node, all workspaces together.</summary>
    [Range(1, 10_000)] public int MaxConcurrentRuns { get; set; } = 64;

    /// <summary>Finished runs are kept this long. 31 by default so a whole calendar month of runs is there for <c>GET /flows/metrics</c>; counts for the cap and usage do not depend on it (<see cref="FlowRunCount"/>).</summary>
    [Range(1, 3650)] public int HistoryDays { get; set; } = 31;

    /// <summary>How long a node's claim on a run lasts without renewal; another node takes the run over after it.</summary>
    [Range(2, 600)] public double LeaseSeconds { get; set; } = 30;

    [Range(0.05, 60)] public double PollSeconds { get; set; } = 1;

    [Range(1, 10_485_760)] public int MaxInputBytes { get; set; } = 1_048_576;

    /// <summary>A step's output, as JSON, past which the step fails (it is stored with the run).</summary>
    [Range(1, 67_108_864)] public int MaxStepOutputBytes { get; set; } = 4_194_304;

    public ScriptLimits Script { get; set; } = new();

    public HttpStepOptions Http { get; set; } = new();

    /// <summary><c>file.read</c>: bytes read from the triggering file.</summary>
    [Range(1, 104_857_600)] public long MaxFileReadBytes { get; set; } = 10_485_760;

    [Range(1, 10_000)] public int MaxForeachItems { get; set; } = 1000;
}

internal sealed class ScriptLimits
{
    [Range(1, 60_000)] public int TimeoutMilliseconds { get; set; } = 2000;
    [Range(1_048_576, 4_294_967_296)] public long MemoryBytes { get; set; } = 64L * 1024 * 1024;
    [Range(1, 10_000)] public int RecursionDepth { get; set; } = 256;
    [Range(1, int.MaxValue)] public int MaxStatements { get; set; } = 1_000_000;
}

internal sealed class HttpStepOptions
{
    [Range(0.1, 300)] public double TimeoutSeconds { get; set; } = 10;
    [Range(1, 104_857_600)] public int MaxResponseBytes { get; set; } = 1_048_576;
    /// <summary>Loopback, private, link-local and other internal addresses are refused unless this is on.</summary>
    public bool AllowPrivateNetworks { get; set; }
    /// <summary><c>host:port</c> pairs allowed even when they resolve to an internal address (an operator's own services).</summary>
    public string[] AllowedDestinations { get; set; } = [];
    [Range(0, 20)] public int MaxRedirects { get; set; } = 5;
}
