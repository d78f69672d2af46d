namespace Hatbox.Pipeline;

/// <summary>
/// The app's logging scope provider: the scopes code opens with <c>BeginScope</c>, as ASP.NET's default
/// provider keeps them, preceded by the current request's id (<see cref="RequestLogScope"/>), so every
/// log line written during a request carries <c>RequestId</c>.
/// </summary>
/// <remarks>
/// The id lives in one <see cref="AsyncLocal{T}"/> that the first stage sets, and the scope object is made
/// only when a line is written. A <c>BeginScope</c> per request cost two objects and two AsyncLocal
/// writes (open and close); this is one write, undone by itself when the first stage's async method
/// returns. LoggerFactory takes an <see cref="IExternalScopeProvider"/> from the services; with one
/// given, it no longer adds an Activity's TraceId and SpanId to scopes, which Hatbox does not create.
/// </remarks>
internal sealed class RequestScopeProvider : IExternalScopeProvider
{
    static readonly AsyncLocal<string?> CurrentRequestId = new();

    readonly LoggerExternalScopeProvider _scopes = new();

    /// <summary>Sets the id for the rest of the calling async method and everything it calls.</summary>
    public static void SetRequestId(string requestId) => CurrentRequestId.Value = requestId;

    public void ForEachScope<TState>(Action<object?, TState> callback, TState state)
    {
        if (CurrentRequestId.Value is { } requestId)
        {
            callback(new RequestLogScope(requestId), state);
        }
        _scopes.ForEachScope(callback, state);
    }

    public IDisposable Push(object? state) => _scopes.Push(state);
}
