namespace Hatbox.Features.Storage;

/// <summary>A stored file, with the field names of the WorqHat SDK (<c>src/resources/storage.ts</c>).</summary>
/// <param name="Id">The file's id (<c>file_…</c>) for fetch and delete.</param>
/// <param name="Filename">The name the file was uploaded with, and is downloaded as.</param>
/// <param name="Path">The file's path in the workspace's storage, as <c>fetch-by-path</c> takes it.</param>
/// <param name="Size">Bytes.</param>
/// <param name="ContentType">As uploaded, else guessed from the file name.</param>
/// <param name="UploadedAt">When the upload completed.</param>
/// <param name="Url">A signed download link that needs no API key, valid for one hour by default.</param>
internal sealed record StoredFileResponse(
    string Id, string Filename, string Path, long Size, string ContentType, DateTimeOffset UploadedAt, string Url);

internal sealed record StoredFileEnvelope(bool Success, StoredFileResponse File);

internal sealed record DeleteFileResponse(bool Success, string Message, DateTimeOffset DeletedAt);
