using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Data;
using Hatbox.Features.Flows.Engine;
using Hatbox.Features.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Flows.Steps;

/// <summary>
/// <c>file.read</c>: a file of the run's workspace (the triggering file unless <c>with.file</c> names
/// another id) as text, parsed JSON or CSV rows (<c>with.as</c>), up to <see cref="FlowOptions.MaxFileReadBytes"/>.
/// </summary>
internal sealed class FileReadStep(IServiceScopeFactory scopes, IBlobStore blobs, IOptions<FlowOptions> options)
{
    public async Task<JsonNode?> RunAsync(JsonObject with, string workspaceId, JsonNode? input, CancellationToken cancellationToken)
    {
        var fileId = with["file"]?.ToString() ?? input?["file"]?["id"]?.ToString();
        if (string.IsNullOrEmpty(fileId))
        {
            throw new StepFailure(StepErrorCodes.InvalidArgument, "No file: trigger the flow with a file or name one in with.file.", retryable: false);
        }
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
            if (!await db.StoredFiles.AnyAsync(f => f.WorkspaceId == workspaceId && f.Id == fileId, cancellationToken))
            {
                throw new StepFailure(StepErrorCodes.FileNotFound, "No such file in this workspace.", retryable: false);
            }
        }
        var maxBytes = options.Value.MaxFileReadBytes;
        await using var stream = await blobs.OpenReadAsync(new BlobKey(workspaceId, fileId), cancellationToken)
            ?? throw new StepFailure(StepErrorCodes.FileNotFound, "No such file in this workspace.", retryable: false);
        if (stream.Length > maxBytes)
        {
            throw new StepFailure(StepErrorCodes.FileTooLarge, $"file.read reads files up to {maxBytes} bytes.", retryable: false);
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var format = with["as"]?.ToString() ?? "text";
        try
        {
            return format switch
            {
                "json" => JsonNode.Parse(text),
                "csv" => CsvRows.Parse(text),
                _ => JsonValue.Create(text),
            };
        }
        catch (JsonException error)
        {
            throw new StepFailure(StepErrorCodes.FileParseError, $"The file is not valid JSON: {error.Message}", retryable: false);
        }
    }
}
