using System.Globalization;
using System.Text;
using System.Text.Json;
using Hatbox.Hosting;
using Hatbox.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Hatbox.UnitTests;

public sealed class AccessLogTests
{
    [Theory]
    [InlineData("2026-01-02T03:04:05.0060000Z")]
    [InlineData("2025-12-31T23:59:59.9999999Z")]
    [InlineData("0001-01-01T00:00:00.0000000Z")]
    [InlineData("9999-12-31T23:59:59.9990000Z")]
    public void TimestampsAreFormattedAsTheOtherLogLinesAre(string instant)
    {
        var utc = DateTime.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Span<byte> formatted = stackalloc byte[AccessLog.TimestampLength];

        AccessLog.FormatTimestamp(utc, formatted);

        Assert.Equal(utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), Encoding.ASCII.GetString(formatted));
    }

    [Fact]
    public void TheSameLineGoesToABufferedConsoleAsToAnyOtherWriter()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero));
        var text = new StringWriter();
        using var stdout = new MemoryStream();
        using var console = new BufferedConsole(stdout);

        new AccessLog(text, time).Write("POST", "/authentication", 200, TimeSpan.FromMicroseconds(1234.5), "req_1");
        new AccessLog(console, time).Write("POST", "/authentication", 200, TimeSpan.FromMicroseconds(1234.5), "req_1");
        console.FlushNow();

        var line = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.Equal(text.ToString(), line);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("2026-03-04T05:06:07.890Z", json.GetProperty("Timestamp").GetString());
        Assert.Equal("Hatbox.AccessLog", json.GetProperty("Category").GetString());
        Assert.Equal("/authentication", json.GetProperty("State").GetProperty("Path").GetString());
        Assert.Equal(1.234, json.GetProperty("State").GetProperty("DurationMs").GetDouble());
    }

    [Theory]
    [InlineData("/authentication")]
    [InlineData("/db/tables/orders/count")]
    [InlineData("")]
    [InlineData("/a\"b\\c")]
    [InlineData("/<script>alert('x')</script>&a+b")]
    [InlineData("/line\nbreak\t\u0001")]
    [InlineData("/café/€/😀")]
    [InlineData("/half\uD83D")]
    public void TextIsQuotedAsUtf8JsonWriterQuotesIt(string text)
    {
        using var expected = new MemoryStream();
        using (var json = new Utf8JsonWriter(expected))
        {
            json.WriteStringValue(text);
        }
        var quoted = new byte[2 + 6 * text.Length];

        var length = AccessLog.WriteQuoted(text, quoted);

        Assert.Equal(expected.ToArray(), quoted[..length]);
    }

    [Theory]
    [InlineData(0, "0.000")]
    [InlineData(7, "0.007")]
    [InlineData(1_234, "1.234")]
    [InlineData(60_000_001, "60000.001")]
    [InlineData(-5, "0.000")]
    public void DurationsAreMillisecondsWithThreeDecimals(long microseconds, string expected)
    {
        Span<byte> text = stackalloc byte[AccessLog.MaxMillisecondsLength];
        var length = AccessLog.FormatMilliseconds(TimeSpan.FromMicroseconds(microseconds), text);
        Assert.Equal(expected, Encoding.UTF8.GetString(text[..length]));
    }

    [Fact]
    public async Task BufferedConsoleKeepsEveryLineAndEachWritersOrderUnderConcurrentWriters()
    {
        // A slow disk: each write out takes long enough for the writers to fill the other buffer meanwhile.
        using var stdout = new SlowStream();
        using var console = new BufferedConsole(stdout);
        const int Writers = 4;
        const int LinesEach = 5000;

        // Each writer's lines fill the buffer many times over, while another thread flushes as the timer would.
        using var stop = new CancellationTokenSource();
        var flusher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                console.FlushNow();
                await Task.Yield();
            }
        }, TestContext.Current.CancellationToken);
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(() =>
        {
            for (var i = 0; i < LinesEach; i++)
            {
                console.WriteUtf8Line(Encoding.UTF8.GetBytes($"{writer} {i} {new string('x', i % 40)}"));
            }
        }, TestContext.Current.CancellationToken)));
        await stop.CancelAsync();
        await flusher;
        console.FlushNow();

        var lines = Encoding.UTF8.GetString(stdout.ToArray()).Split(console.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Writers * LinesEach, lines.Length);
        for (var writer = 0; writer < Writers; writer++)
        {
            var numbers = lines.Select(line => line.Split(' ')).Where(parts => parts[0] == writer.ToString(CultureInfo.InvariantCulture))
                .Select(parts => int.Parse(parts[1], CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, LinesEach), numbers);
        }
    }

    [Fact]
    public void BufferedConsoleKeepsTextAndUtf8LinesInOrderAcrossFlushes()
    {
        using var stdout = new MemoryStream();
        using var console = new BufferedConsole(stdout);
        var expected = new StringBuilder();
        // Enough to fill the 64 KiB buffer several times, with characters of every UTF-8 length and
        // a surrogate pair written in two halves.
        for (var i = 0; i < 3000; i++)
        {
            var text = $"line {i}: é € 😀 {new string('x', i % 50)}";
            if (i % 3 == 0)
            {
                console.WriteUtf8Line(Encoding.UTF8.GetBytes(text));
                expected.Append(text).Append(console.NewLine);
            }
            else
            {
                console.Write('\uD83D');
                console.Write('\uDE00');
                console.WriteLine(text);
                expected.Append("😀").Append(text).Append(console.NewLine);
            }
        }
        console.FlushNow();

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(stdout.ToArray()));
    }

    sealed class SlowStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            Thread.Sleep(2);
            base.Write(buffer, offset, count);
        }
    }
}
