using Hatbox.Features.ApiKeys;
using Hatbox.Features.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Hatbox.UnitTests.ApiKeys;

/// <summary>
/// The verifier's cached path, and the hashes it remembers by header string: they spare the hashing
/// only, never the cache, so what the cache refuses stays refused.
/// </summary>
public sealed class ApiKeyVerifierTests : IDisposable
{
    readonly FakeTimeProvider _time = new();
    readonly ApiKeyCache _cache;
    readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    readonly ApiKeyVerifier _verifier;
    readonly string _key = ApiKeySecret.Generate();

    public ApiKeyVerifierTests()
    {
        _cache = new ApiKeyCache(_time);
        _verifier = new ApiKeyVerifier(_cache, _services.GetRequiredService<IServiceScopeFactory>(), _time);
    }

    public void Dispose() => _services.Dispose();

    void Cache(string key, DateTimeOffset? revokedAt = null)
    {
        var hash = ApiKeySecret.Hash(key);
        _cache.Add(hash, new ApiCaller("key_1", "ws_1", "ws", "org_1", "free", null, "usr_1", WorkspaceRole.Developer, true,
            null, revokedAt, hash.ToBytes()), _cache.Generation);
        _cache.Confirm();
    }

    [Fact]
    public void ARememberedHeaderIsStillCheckedAgainstTheCache()
    {
        var header = "Bearer " + _key;
        Cache(_key);
        Assert.True(_verifier.TryVerifyCached(_key, header, out var first));
        Assert.Equal(ApiKeyVerifier.Outcome.Valid, first.Outcome);

        // A revocation empties the cache: the remembered hash must not let the key through.
        _cache.Invalidate();
        Assert.False(_verifier.TryVerifyCached(_key, header, out _));

        Cache(_key, revokedAt: _time.GetUtcNow());
        Assert.True(_verifier.TryVerifyCached(_key, header, out var revoked));
        Assert.Equal(ApiKeyVerifier.Outcome.Revoked, revoked.Outcome);
    }

    [Fact]
    public void EachHeaderStringHasItsOwnKey()
    {
        var other = ApiKeySecret.Generate();
        Cache(_key);
        Assert.True(_verifier.TryVerifyCached(_key, "Bearer " + _key, out var valid));
        Assert.Equal(ApiKeyVerifier.Outcome.Valid, valid.Outcome);

        // Equal text in another string instance, and another key: neither rides on the first entry.
        Assert.True(_verifier.TryVerifyCached(_key, string.Concat("Bearer ", _key), out var again));
        Assert.Equal(ApiKeyVerifier.Outcome.Valid, again.Outcome);
        Assert.False(_verifier.TryVerifyCached(other, "Bearer " + other, out _));
    }
}
