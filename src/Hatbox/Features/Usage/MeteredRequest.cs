using System.Diagnostics;
using System.IO.Pipelines;
using Hatbox.Features.ApiKeys;
using Microsoft.AspNetCore.Http.Features;

namespace Hatbox.Features.Usage;

/// <summary>
/// One request being metered. It stands in for the response body feature so that the bytes
/// really written are counted (JSON answers never set <c>Content-Length</c>: issue 17 item 18), and
/// counts the request when its answer starts: a billed one is committed before the first byte of
/// the answer leaves (<see cref="UsageRecorder.CountDurablyAsync"/>), so a crash can never lose a
/// request its caller saw answered. Bytes and time are added when the request ends.
/// </summary>
/// <remarks>
/// Over HTTP/1.1 the answer is written while its count is being synced: until the sync is done, the
/// writer keeps what it is given in Kestrel's output buffer (writes and flushes stay unflushed, up to
/// <see cref="HoldLimit"/>), and the first stage waits for the sync (<see cref="WhenCountedAsync"/>)
/// before the request ends and Kestrel flushes the answer to the socket. Anything that would send
/// bytes sooner (a stream write, a send-file, completing the body, a larger answer) waits for the
/// sync first. Parking the request at the end rather than inside the answer's serializer means
/// only the outermost stages' frames wait, not every async frame between them and the endpoint
/// (bench/README.md). Other protocols wait before the headers, as Kestrel may send them at once.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "The counting wrappers own nothing: the server disposes the streams they wrap.")]
internal sealed class MeteredRequest : IHttpResponseBodyFeature
{
    readonly UsageRecorder _usage;
    readonly HttpContext _context;
    readonly ApiCaller _caller;
    readonly DateTimeOffset _now;
    readonly long _started;
    readonly IHttpResponseBodyFeature _body;
    readonly CountingStream? _requestBody;
    CountingPipeWriter? _writer;
    CountingStream? _stream;
    UsageKey _key;
    bool _counted;
    long _written;
    // The sync of this request's billed count while it runs; no byte of the answer may leave before it completes.
    Task? _synced;
    // Set once nothing will wait for _synced any more (the first stage is done): a count taken after it, when
    // the server starts a bodiless answer itself, is waited for by the server before it sends.
    bool _released;

    /// <summary>Answer bytes kept unflushed at most while the count is synced; past it the writer waits for the sync.</summary>
    internal const int HoldLimit = 64 * 1024;

    public MeteredRequest(UsageRecorder usage, HttpContext context, ApiCaller caller, DateTimeOffset now, long started)
    {
        _usage = usage;
        _context = context;
        _caller = caller;
        _now = now;
        _started = started;
        _body = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Features.Set<IHttpResponseBodyFeature>(this);
        // A chunked request body has no length to read: count it as it is read.
        if (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count > 0)
        {
            _requestBody = new CountingStream(context.Request.Body);
            context.Request.Body = _requestBody;
        }
        context.Response.OnStarting(static state => ((MeteredRequest)state).CountAsync(), this);
    }

    long BytesIn => _requestBody?.Count ?? _context.Request.ContentLength ?? 0;

    /// <summary>Whether the answer must stay in the server's buffer: its billed count is not on disk yet.</summary>
    bool Held => _synced is { IsCompleted: false };

    /// <summary>
    /// Completes once the answer may leave: at once unless <paramref name="context"/> is a metered request
    /// whose billed count is still being synced. The first stage awaits it before the request ends.
    /// </summary>
    internal static Task WhenCountedAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpResponseBodyFeature>() is not MeteredRequest metered)
        {
            return Task.CompletedTask;
        }
        metered._released = true;
        return metered.Held ? metered._synced! : Task.CompletedTask;
    }

    /// <summary>The answer is about to start: its status is final.</summary>
    Task CountAsync()
    {
        if (_counted)
        {
            return Task.CompletedTask;
        }
        _counted = true;
        _key = KeyFor(_context.Response.StatusCode);
        if (UsageDaily.IsBilledStatus(_key.StatusCode))
        {
            var synced = _usage.CountDurablyAsync(_key, 0);
            if (_released || !HttpProtocol.IsHttp11(_context.Request.Protocol))
            {
                return synced;
            }
            _synced = synced;
            return Task.CompletedTask;
        }
        _usage.Record(_key, 1, 0, 0, TimeSpan.Zero);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The request is over. <paramref name="failedWith"/> is the status of an exception's answer not
    /// yet written (the exception handler writes it later), else 0. A request whose answer never
    /// started (an exception's, or a caller who hung up) is counted here, durably when billed.
    /// </summary>
    public async ValueTask EndAsync(int failedWith)
    {
        var duration = Stopwatch.GetElapsedTime(_started);
        if (!_counted)
        {
            _counted = true;
            _key = KeyFor(failedWith != 0 ? failedWith : _context.Response.StatusCode);
            if (UsageDaily.IsBilledStatus(_key.StatusCode) && !_context.Response.HasStarted)
            {
                await _usage.CountDurablyAsync(_key, 0);
            }
            else
            {
                _usage.Record(_key, 1, 0, 0, TimeSpan.Zero);
            }
        }
        _usage.Record(_key, 0, BytesIn, Volatile.Read(ref _written), duration);
        // The first stage finds the sync to wait for through the body feature; should a stage have left
        // another feature in this one's place, the answer waits here instead.
        if (!ReferenceEquals(_context.Features.Get<IHttpResponseBodyFeature>(), this))
        {
            _released = true;
            await WaitForSync();
        }
    }

    UsageKey KeyFor(int status) =>
        new(_caller.OrganizationId, _caller.WorkspaceId, _caller.KeyId, BillingMonth.Day(_now), MeteringStage.EndpointGroup(_context), status);

    void Wrote(long bytes) => _written += bytes;

    // Kestrel's stream flushes every write, so a write waits for the sync (as do the idempotency replay and captured answers, which write there).
    public Stream Stream => _stream ??= new CountingStream(_body.Stream, Wrote, BeforeSend);

    public PipeWriter Writer => _writer ??= new CountingPipeWriter(_body.Writer, this);

    public void DisableBuffering() => _body.DisableBuffering();

    // Kestrel's StartAsync writes the headers into its output buffer without flushing them.
    public Task StartAsync(CancellationToken cancellationToken = default) => _body.StartAsync(cancellationToken);

    public async Task CompleteAsync()
    {
        await BeforeSend();
        await _body.CompleteAsync();
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await BeforeSend();
        Wrote(count ?? (new FileInfo(path).Length - offset));
        await _body.SendFileAsync(path, offset, count, cancellationToken);
    }

    Task WaitForSync() => _synced ?? Task.CompletedTask;

    // Starting the answer runs the OnStarting callbacks, this one's count among them, without sending anything (Kestrel).
    Task StartIfNotStarted() => _context.Response.HasStarted ? Task.CompletedTask : _body.StartAsync();

    // Before anything that sends at once: start the answer (an unstarted one would be started and sent
    // in one step, its count deferred), then wait for the count's sync.
    Task BeforeSend()
    {
        var started = StartIfNotStarted();
        return started.IsCompletedSuccessfully ? WaitForSync() : StartThenSyncAsync(started);
    }

    async Task StartThenSyncAsync(Task started)
    {
        await started;
        await WaitForSync();
    }

    sealed class CountingPipeWriter(PipeWriter inner, MeteredRequest owner) : PipeWriter
    {
        // Bytes advanced since the last flush that reached the server.
        long _unflushed;

        bool MayHold(long more) => owner.Held && _unflushed + more <= HoldLimit;

        public override void Advance(int bytes)
        {
            owner.Wrote(bytes);
            _unflushed += bytes;
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            // A flush of an answer not started yet would start it and send it at once, before its count is
            // synced: start it first (its headers go into the buffer, and the count is taken), then decide.
            var started = owner.StartIfNotStarted();
            if (!started.IsCompletedSuccessfully)
            {
                return FlushAfterSyncAsync(started, cancellationToken);
            }
            return MayHold(0) ? ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false)) : FlushAfterSyncAsync(started, cancellationToken);
        }

        async ValueTask<FlushResult> FlushAfterSyncAsync(Task started, CancellationToken cancellationToken)
        {
            await started;
            await owner.WaitForSync();
            _unflushed = 0;
            return await inner.FlushAsync(cancellationToken);
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            var started = owner.StartIfNotStarted();
            if (started.IsCompletedSuccessfully && MayHold(source.Length))
            {
                // Into the buffer without the flush a pipe's WriteAsync makes.
                source.Span.CopyTo(inner.GetSpan(source.Length));
                Advance(source.Length);
                return ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false));
            }
            return WriteAfterSyncAsync(started, source, cancellationToken);
        }

        async ValueTask<FlushResult> WriteAfterSyncAsync(Task started, ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
        {
            await started;
            await owner.WaitForSync();
            owner.Wrote(source.Length);
            _unflushed = 0;
            return await inner.WriteAsync(source, cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            // Completing flushes. Rare (the server completes the body itself when the request ends), and a sync takes a fraction of a millisecond.
            owner.BeforeSend().GetAwaiter().GetResult();
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            await owner.BeforeSend();
            await inner.CompleteAsync(exception);
        }

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;
    }
}
