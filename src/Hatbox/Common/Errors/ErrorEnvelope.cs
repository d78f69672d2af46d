namespace Hatbox.Common.Errors;

/// <summary>
/// The wire shape of every error. <c>message</c> sits at the top for the current SDK and inside
/// <c>error</c> for older clients.
/// </summary>
internal sealed record ErrorEnvelope(bool Success, string Message, ErrorDetail Error, string RequestId);

internal sealed record ErrorDetail(string Type, string Code, string Message, string? Param);
