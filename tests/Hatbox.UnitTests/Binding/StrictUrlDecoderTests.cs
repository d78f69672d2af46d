using System.Text;
using Hatbox.Common.Binding;

namespace Hatbox.UnitTests.Binding;

public sealed class StrictUrlDecoderTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a+b", "a b")]
    [InlineData("%2B", "+")]
    [InlineData("100%25", "100%")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("%e2%82%ac", "€")]
    [InlineData("data%5Bname%5D", "data[name]")]
    [InlineData("", "")]
    public void ValidEncodingsDecodeToTheirText(string raw, string expected)
    {
        Assert.True(StrictUrlDecoder.TryDecode(Encoding.ASCII.GetBytes(raw), out var decoded, out var byteCount));

        Assert.Equal(expected, decoded);
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), byteCount);
    }

    [Theory]
    [InlineData("%zz")]
    [InlineData("%4")]
    [InlineData("%")]
    [InlineData("abc%")]
    [InlineData("%4g")]
    [InlineData("%C3%28")]
    [InlineData("%FF")]
    [InlineData("%E2%82")]
    [InlineData("%C0%AF")]
    [InlineData("%ED%A0%80")]
    public void BadPercentEncodingOrInvalidUtf8IsRefused(string raw)
    {
        Assert.False(StrictUrlDecoder.TryDecode(Encoding.ASCII.GetBytes(raw), out _, out _));
    }

    [Fact]
    public void RawBytesThatAreNotUtf8AreRefused()
    {
        Assert.False(StrictUrlDecoder.TryDecode([(byte)'a', 0xFF, (byte)'b'], out _, out _));
    }

    [Fact]
    public void RawUtf8WithoutPercentEncodingIsAccepted()
    {
        Assert.True(StrictUrlDecoder.TryDecode("naïve"u8, out var decoded, out _));

        Assert.Equal("naïve", decoded);
    }

    [Fact]
    public void LongValuesDecodeBeyondTheStackBuffer()
    {
        var raw = string.Concat(Enumerable.Repeat("%C3%A9+", 1000));

        Assert.True(StrictUrlDecoder.TryDecode(Encoding.ASCII.GetBytes(raw), out var decoded, out _));

        Assert.Equal(string.Concat(Enumerable.Repeat("é ", 1000)), decoded);
    }
}
