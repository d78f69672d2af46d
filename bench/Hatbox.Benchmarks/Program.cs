using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Hatbox.Benchmarks.KeyVerificationBenchmarks).Assembly).Run(args);
