using Hatbox.Common.Errors;

namespace Hatbox.Pipeline;

/// <summary>
/// Thrown only where ASP.NET gives no other way out: a parameter binder (<c>BindAsync</c>) that must
/// refuse the body. The exception handler writes <see cref="Error"/> as the answer.
/// </summary>
internal sealed class RequestRejectedException(ApiError error) : Exception(error.Message)
{
    public ApiError Error { get; } = error;
}
