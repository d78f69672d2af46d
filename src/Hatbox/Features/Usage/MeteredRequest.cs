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
            return _usage.CountDurablyAsync(_key, 0);
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
    }

    UsageKey KeyFor(int status) =>
        new(_caller.OrganizationId, _caller.WorkspaceId, _caller.KeyId, BillingMonth.Day(_now), MeteringStage.EndpointGroup(_context), status);

    void Wrote(long bytes) => _written += bytes;

    public Stream Stream => _stream ??= new CountingStream(_body.Stream, Wrote);

    public PipeWriter Writer => _writer ??= new CountingPipeWriter(_body.Writer, this);

    public void DisableBuffering() => _body.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => _body.StartAsync(cancellationToken);

    public Task CompleteAsync() => _body.CompleteAsync();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        Wrote(count ?? (new FileInfo(path).Length - offset));
        return _body.SendFileAsync(path, offset, count, cancellationToken);
    }

    sealed class CountingPipeWriter(PipeWriter inner, MeteredRequest owner) : PipeWriter
    {
        public override void Advance(int bytes)
        {
            owner.Wrote(bytes);
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            owner.Wrote(source.Length);
            return inner.WriteAsync(source, cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;
    }
}
