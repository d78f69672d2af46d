namespace Hatbox.Features.Storage;

/// <summary>
/// An upload passed the size cap. Thrown from inside the blob store's read loop, because that is
/// where the bytes are, so the store can drop its partial file on the way out.
/// </summary>
internal sealed class FileTooLargeException() : IOException("The file is larger than uploads allow.");
