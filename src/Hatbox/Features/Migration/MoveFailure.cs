namespace Hatbox.Features.Migration;

/// <summary>Why a move stopped, and the exit code that tells a script which kind of stop it was.</summary>
internal sealed class MoveFailure(int exitCode, string code, string message) : Exception(message)
{
    /// <summary>The configuration or a store is unusable (unreadable file, wrong provider, store unreachable).</summary>
    public const int Unusable = 1;

    /// <summary>The source holds something that cannot move (a view, a trigger, a column whose values do not fit a type).</summary>
    public const int SourceUnsupported = 2;

    /// <summary>A target already holds data: nothing was written.</summary>
    public const int TargetNotEmpty = 3;

    /// <summary>The copy finished but a count or checksum differs.</summary>
    public const int VerificationFailed = 4;

    public int ExitCode { get; } = exitCode;

    /// <summary>A stable snake_case code, as the error envelope's <c>code</c>.</summary>
    public string Code { get; } = code;

    public static MoveFailure CannotMove(string message) => new(SourceUnsupported, "source_unsupported", message);

    public static MoveFailure NotEmpty(string message) => new(TargetNotEmpty, "target_not_empty", message);

    public static MoveFailure Mismatch(string message) => new(VerificationFailed, "verification_failed", message);

    public static MoveFailure Config(string message) => new(Unusable, "invalid_configuration", message);
}
