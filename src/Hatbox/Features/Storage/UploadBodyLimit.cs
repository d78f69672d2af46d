using Microsoft.AspNetCore.Http.Metadata;

namespace Hatbox.Features.Storage;

/// <summary>
/// The upload endpoint's own body limit (a whole file plus its multipart framing) instead of
/// <c>Server:MaxRequestBodyBytes</c>. As endpoint metadata, routing applies it before any stage
/// reads the body (the idempotency stage hashes bodies that carry an <c>Idempotency-Key</c>).
/// </summary>
internal sealed class UploadBodyLimit(long maxRequestBodySize) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maxRequestBodySize;
}
