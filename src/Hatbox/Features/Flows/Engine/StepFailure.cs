namespace Hatbox.Features.Flows.Engine;

/// <summary>
/// Why a step failed, as the run records it: a stable <see cref="Code"/> (the step error codes of
/// docs/flows.md, or the /db API's codes for db steps) and a message for people.
/// </summary>
internal sealed class StepFailure(string code, string message, bool retryable = true) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>False where another attempt can only fail the same way (a refused address, a bad argument).</summary>
    public bool Retryable { get; } = retryable;
}

/// <summary>The step error codes (runs record them; the trigger's 422 names them).</summary>
internal static class StepErrorCodes
{
    public const string ScriptError = "script_error";
    public const string ScriptTimeout = "script_timeout";
    public const string ScriptMemoryExceeded = "script_memory_exceeded";
    public const string ScriptRecursionExceeded = "script_recursion_exceeded";
    public const string ScriptStatementsExceeded = "script_statements_exceeded";
    public const string ExpressionError = "expression_error";
    public const string StepTimeout = "step_timeout";
    public const string FlowTimeout = "flow_timeout";
    public const string InvalidArgument = "step_argument_invalid";
    public const string OutputTooLarge = "step_output_too_large";
    public const string UrlNotAllowed = "url_not_allowed";
    public const string HttpError = "http_error";
    public const string HttpResponseTooLarge = "http_response_too_large";
    public const string FileNotFound = "file_not_found";
    public const string FileTooLarge = "file_too_large";
    public const string FileParseError = "file_parse_error";
    public const string AccessRevoked = "api_access_disabled";
}
