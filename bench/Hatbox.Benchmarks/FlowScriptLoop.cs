using System.Diagnostics;
using System.Text.Json;
using Hatbox.Features.Flows;
using Hatbox.Features.Flows.Engine;
using Jint;

namespace Hatbox.Benchmarks;

/// <summary>
/// The in-process side of <c>bench/flows.mjs</c>: the 40 scripts of its 40-step flow (each returns a
/// constant), called in a loop in one process, two ways. <c>bareJint</c>: one Jint engine, each script
/// prepared once, as a host calling 40 functions would. <c>sandbox</c>: the flow engine's own
/// <see cref="ScriptSandbox"/> as a <c>script</c> step runs it (a fresh engine with the limits, the
/// run's scope as JSON, growing by one output per step). The durable flow's time per step minus these
/// is what durability and orchestration cost. Usage: <c>Hatbox.Benchmarks flow-scripts [rounds=200]</c>.
/// </summary>
internal static class FlowScriptLoop
{
    const int Steps = 40;

    public static void Run(int rounds)
    {
        var bodies = Enumerable.Range(0, Steps).Select(i => $"return {i};").ToArray();
        var engine = new Jint.Engine(o => o.Strict());
        var prepared = bodies.Select(b => Jint.Engine.PrepareScript($"(function () {{\n{b}\n}}).call(undefined)", strict: true)).ToArray();
        var sandbox = new ScriptSandbox(Microsoft.Extensions.Options.Options.Create(new FlowOptions()));
        var limit = TimeSpan.FromSeconds(30);

        double BareRound()
        {
            var clock = Stopwatch.StartNew();
            foreach (var script in prepared)
            {
                engine.Evaluate(script);
            }
            return clock.Elapsed.TotalMilliseconds / Steps;
        }

        double SandboxRound()
        {
            var scope = RunScope.ForRun("{}", "run", "flow", DateTimeOffset.UnixEpoch);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Steps; i++)
            {
                scope.SetOutput($"s{i}", sandbox.RunScript(bodies[i], scope, limit, CancellationToken.None));
            }
            return clock.Elapsed.TotalMilliseconds / Steps;
        }

        for (var i = 0; i < Math.Max(20, rounds / 5); i++)
        {
            BareRound();
            SandboxRound();
        }
        var bare = new List<double>(rounds);
        var sandboxed = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            bare.Add(BareRound());
            sandboxed.Add(SandboxRound());
        }
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, double>
        {
            ["bareJintPerScriptMsMedian"] = Math.Round(Median(bare), 4),
            ["sandboxPerScriptMsMedian"] = Math.Round(Median(sandboxed), 4),
        }));
    }

    static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
