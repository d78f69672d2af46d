using Hatbox.Common.Errors;
using Npgsql;

namespace Hatbox.Cli;

/// <summary>
/// What a command prints when a store it needs is down or refuses it: one line on stderr,
/// <c>error: service_unavailable: …</c>, and exit code 75 (<c>EX_TEMPFAIL</c>: try again later), instead
/// of an unhandled exception's stack trace. A script can tell it from a refused request (exit 1) and retry.
/// </summary>
internal static class StoreFailure
{
    public const int ExitCode = 75;

    /// <summary>Reports <paramref name="exception"/> if it is a store that did not answer or let us in; false for anything else.</summary>
    public static bool TryReport(Exception exception)
    {
        var store = StoreOutage.StoreOf(exception) ?? (RefusedUs(exception) ? StoreNames.Platform : null);
        if (store is null)
        {
            return false;
        }
        Console.Error.WriteLine($"error: {ErrorCodes.ServiceUnavailable}: The {store} store is unavailable ({Cause(exception)}). Try again once it is up.");
        return true;
    }

    // Answers of a server that is there but will not serve us: connection refused by the server itself
    // (08…), bad login (28…), no such database (3D000), shutting down or starting up (57P…).
    static bool RefusedUs(Exception exception) => exception.GetBaseException() is PostgresException { SqlState: var state }
        && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("28", StringComparison.Ordinal)
            || state == "3D000" || state.StartsWith("57P", StringComparison.Ordinal));

    static string Cause(Exception exception)
    {
        var inner = exception.GetBaseException();
        return inner == exception || inner.Message == exception.Message ? exception.Message : $"{exception.Message}: {inner.Message}";
    }
}
