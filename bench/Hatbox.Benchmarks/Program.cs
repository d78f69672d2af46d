using BenchmarkDotNet.Running;

if (args is ["pipeline", ..])
{
    await Hatbox.Benchmarks.PipelineBenchmarks.LoopAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000,
        args.Length > 2 ? args[2] : null);
    return;
}
if (args is ["ai", ..])
{
    static int Arg(string[] a, int i, int fallback) => a.Length > i ? int.Parse(a[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    await Hatbox.Benchmarks.AiBenchmarks.LoopAsync(Arg(args, 1, 1_000), Arg(args, 2, 100_000), Arg(args, 3, 2));
    return;
}
if (args is ["search-seed", var data, var workspace, var rows, var fixture])
{
    await Hatbox.Benchmarks.SearchSeed.RunAsync(data, workspace, int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture), fixture);
    return;
}
if (args is ["flow-scripts", ..])
{
    Hatbox.Benchmarks.FlowScriptLoop.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Hatbox.Benchmarks.KeyVerificationBenchmarks).Assembly).Run(args);
