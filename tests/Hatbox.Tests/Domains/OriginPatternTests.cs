using Hatbox.Features.Domains;

namespace Hatbox.Tests.Domains;

public sealed class OriginPatternTests
{
    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com")]
    [InlineData("HTTPS://App.Example.com/", "https://app.example.com")]
    [InlineData("https://*.example.com", "https://*.example.com")]
    [InlineData("http://localhost:3000", "http://localhost:3000")]
    public void EntriesAreStoredInCanonicalForm(string typed, string canonical)
    {
        Assert.True(OriginPattern.TryParse(typed, out var pattern));
        Assert.Equal(canonical, pattern.Canonical);
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.com")]
    [InlineData("https://example.com/path")]
    [InlineData("https://*.com")]
    [InlineData("ftp://example.com")]
    [InlineData("https://user@example.com")]
    [InlineData("https://ex*ample.com")]
    [InlineData("null")]
    public void AnythingButABareOriginIsRefused(string typed) => Assert.False(OriginPattern.TryParse(typed, out _));
}
