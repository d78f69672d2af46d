using System.Collections.Concurrent;
using Acornima.Ast;
using Jint;
using Jint.Runtime;
using Microsoft.Extensions.Options;
using JintJsonParser = Jint.Native.Json.JsonParser;
using JintJsonSerializer = Jint.Native.Json.JsonSerializer;

namespace Hatbox.Features.Flows.Engine;

/// <summary>
/// Runs expressions and <c>script</c> steps in Jint: strict mode, no CLR access (Jint exposes none
/// unless asked), no <c>Date.now</c>, and limits on time, memory, recursion depth and statements,
/// so a loop or an allocation without end fails its step instead of the server. Values go in and
/// come out as JSON, so nothing of .NET is ever reachable from a script.
/// </summary>
internal sealed class ScriptSandbox(IOptions<FlowOptions> options)
{
    const int MaxCachedScripts = 4096;
    // Parsed once: parsing it again for every script and expression cost more than running the script.
    static readonly Prepared<Script> NoClock = Jint.Engine.PrepareScript("delete Date.now", strict: true);
    readonly ConcurrentDictionary<string, Prepared<Script>> _prepared = new(StringComparer.Ordinal);

    /// <summary>A <c>script</c> step's code: a function body; its return value (as JSON) is the output.</summary>
    public string RunScript(string code, RunScope scope, TimeSpan limit, CancellationToken cancellationToken) =>
        Run($"(function () {{\n{code}\n}}).call(undefined)", scope, limit, StepErrorCodes.ScriptError, cancellationToken);

    /// <summary>The value of one <c>${{ … }}</c> expression, as JSON.</summary>
    public string Evaluate(string expression, RunScope scope, TimeSpan limit, CancellationToken cancellationToken) =>
        Run($"({expression}\n)", scope, limit, StepErrorCodes.ExpressionError, cancellationToken);

    string Run(string source, RunScope scope, TimeSpan limit, string errorCode, CancellationToken cancellationToken)
    {
        var script = Prepare(source, errorCode);
        var limits = options.Value.Script;
        var timeout = TimeSpan.FromMilliseconds(Math.Min(limits.TimeoutMilliseconds, Math.Max(1, limit.TotalMilliseconds)));
        var engine = new Jint.Engine(o => o
            .Strict()
            .LimitMemory(limits.MemoryBytes)
            .LimitRecursion(limits.RecursionDepth)
            .MaxStatements(limits.MaxStatements)
            .TimeoutInterval(timeout)
            .CancellationToken(cancellationToken));
        try
        {
            var values = new JintJsonParser(engine).Parse(scope.ToJson()).AsObject();
            foreach (var name in new[] { "input", "run", "steps", "item", "index" })
            {
                if (values.HasOwnProperty(name))
                {
                    engine.SetValue(name, values.Get(name));
                }
            }
            engine.Evaluate(in NoClock);
            var result = engine.Evaluate(in script);
            if (result.IsUndefined())
            {
                return "null";
            }
            var json = new JintJsonSerializer(engine).Serialize(result);
            return json.IsUndefined() ? "null" : json.AsString();
        }
        catch (JavaScriptException error)
        {
            throw new StepFailure(errorCode, $"The script threw: {error.Message}");
        }
        catch (TimeoutException)
        {
            throw new StepFailure(StepErrorCodes.ScriptTimeout, $"The script ran longer than {timeout.TotalMilliseconds:0} ms and was stopped.");
        }
        catch (MemoryLimitExceededException)
        {
            throw new StepFailure(StepErrorCodes.ScriptMemoryExceeded, $"The script used more than {limits.MemoryBytes} bytes and was stopped.", retryable: false);
        }
        catch (RecursionDepthOverflowException)
        {
            throw new StepFailure(StepErrorCodes.ScriptRecursionExceeded, $"The script nested calls deeper than {limits.RecursionDepth} and was stopped.", retryable: false);
        }
        catch (StatementsCountOverflowException)
        {
            throw new StepFailure(StepErrorCodes.ScriptStatementsExceeded, $"The script ran more than {limits.MaxStatements} statements and was stopped.", retryable: false);
        }
        catch (ExecutionCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        catch (JintException error)
        {
            throw new StepFailure(errorCode, $"The script failed: {error.Message}");
        }
    }

    Prepared<Script> Prepare(string source, string errorCode)
    {
        if (_prepared.TryGetValue(source, out var prepared))
        {
            return prepared;
        }
        try
        {
            prepared = Jint.Engine.PrepareScript(source, strict: true);
        }
        catch (Exception error) when (error is Acornima.ParseErrorException or JintException)
        {
            throw new StepFailure(errorCode, $"The code does not parse: {error.Message}", retryable: false);
        }
        if (_prepared.Count >= MaxCachedScripts)
        {
            _prepared.Clear();
        }
        return _prepared.GetOrAdd(source, prepared);
    }
}
