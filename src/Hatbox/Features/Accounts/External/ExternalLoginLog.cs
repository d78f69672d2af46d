namespace Hatbox.Features.Accounts.External;

/// <summary>Why an external sign-in ended without a session, for the operator (the person sees a page).</summary>
internal static partial class ExternalLoginLog
{
    public const string Category = "Hatbox.Accounts.External";

    [LoggerMessage(Level = LogLevel.Warning, Message = "External sign-in with {Provider} failed at the callback: {Reason}")]
    public static partial void CallbackFailed(ILogger logger, string provider, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "External sign-in not completed: {Reason}")]
    public static partial void NotCompleted(ILogger logger, string? reason);
}
