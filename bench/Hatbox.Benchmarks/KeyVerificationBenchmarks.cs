using BenchmarkDotNet.Attributes;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Hatbox.Benchmarks;

/// <summary>
/// The hot path of every API request: check the key's format and checksum, hash it, find it in the
/// cache. Target (DESIGN.md §9): under 1 µs. The clock is frozen so the cache stays trusted for the
/// whole run; the code measured is the production code.
/// </summary>
[MemoryDiagnoser]
public class KeyVerificationBenchmarks
{
    readonly string _key = ApiKeySecret.Generate();
    readonly string _tampered;
    ApiKeyVerifier _verifier = null!;

    public KeyVerificationBenchmarks() => _tampered = _key[..^1] + (_key[^1] == 'a' ? 'b' : 'a');

    [GlobalSetup]
    public void Setup()
    {
        var time = new FakeTimeProvider();
        var cache = new ApiKeyCache(time);
        var hash = ApiKeySecret.Hash(_key);
        cache.Add(hash, new ApiCaller("key_1", "ws_1", "bench", "org_1", "free", null, "usr_1", WorkspaceRole.Admin, true,
            null, null, hash.ToBytes()), cache.Generation);
        cache.Confirm();
        using var services = new ServiceCollection().BuildServiceProvider();
        _verifier = new ApiKeyVerifier(cache, services.GetRequiredService<IServiceScopeFactory>(), time);
    }

    [Benchmark(Baseline = true)]
    public bool VerifyCachedKey() => _verifier.TryVerifyCached(_key, source: null, out var result) && result.Outcome == ApiKeyVerifier.Outcome.Valid;

    [Benchmark]
    public bool RefuseBadChecksum() => _verifier.TryVerifyCached(_tampered, source: null, out var result) && result.Outcome == ApiKeyVerifier.Outcome.Invalid;
}
