using BenchmarkDotNet.Running;

if (args is ["pipeline", ..])
{
    await Hatbox.Benchmarks.PipelineBenchmarks.LoopAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000,
        args.Length > 2 ? args[2] : null);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Hatbox.Benchmarks.KeyVerificationBenchmarks).Assembly).Run(args);
