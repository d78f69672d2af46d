namespace Hatbox.Features.Storage;

/// <summary>
/// Names one stored blob: the workspace it belongs to and the file's id. Both are ids Hatbox made,
/// never text from a client, so a store can use them as file or object names as they are.
/// </summary>
internal readonly record struct BlobKey(string WorkspaceId, string BlobId)
{
    public static bool IsValid(string workspaceId, string blobId) => IsIdLike(workspaceId) && IsIdLike(blobId);

    // Ids are a prefix, '_' and base62 (Common/Ids.cs); anything else is refused before it nears a disk.
    static bool IsIdLike(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
