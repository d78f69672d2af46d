using System.Text.Json;
using Hatbox.Features.Flows;
using Hatbox.Features.Flows.Definitions;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// A flow's document in a text area. Saving goes through <see cref="FlowService"/> as
/// <c>POST</c>/<c>PUT /v1/…/flows</c> do, so the same validator decides; its faults are listed next to
/// the document with their JSON path and line, and the document stays as it was typed.
/// <c>flowId</c> <c>new</c> is a flow not saved yet (flow ids are UUIDs, so it names none).
/// </summary>
internal sealed class FlowEditorModel(WorkspaceService workspaces, WorkspaceHosts hosts, WorkspaceAccess access, FlowService flows)
    : FlowPage(workspaces, hosts, access)
{
    public const string NewFlow = "new";

    const string Starter = """
        {
          "name": "My flow",
          "steps": [
            { "id": "hello", "uses": "script", "with": { "code": "return 'Hello ' + (input.name ?? 'world');" } }
          ],
          "output": { "greeting": "${{ steps.hello.output }}" }
        }
        """;

    [BindProperty(SupportsGet = false)] public string? Document { get; set; }

    public FlowResponse? Flow { get; private set; }

    public bool IsNew => Flow is null;

    /// <summary>The faults of the last save, each with the line of the document it points at (when it could be found).</summary>
    public IReadOnlyList<(FlowFault Fault, int? Line)> Faults { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string flowId, CancellationToken ct)
    {
        if (!await RequireAccessAsync(ct))
        {
            return Page();
        }
        if (flowId == NewFlow)
        {
            Document = Starter;
            return Page();
        }
        var found = await flows.GetAsync(Workspace.Id, flowId, ct);
        if (!found.Succeeded)
        {
            return NotFound();
        }
        Flow = found.Value;
        Document = Flow!.Document?.GetRawText();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string flowId, CancellationToken ct)
    {
        if (!await RequireAccessAsync(ct))
        {
            return Page();
        }
        if (flowId != NewFlow)
        {
            var found = await flows.GetAsync(Workspace.Id, flowId, ct);
            if (!found.Succeeded)
            {
                return NotFound();
            }
            Flow = found.Value;
        }
        var text = Document ?? "";
        JsonElement document;
        try
        {
            using var parsed = JsonDocument.Parse(text);
            document = parsed.RootElement.Clone();
        }
        catch (JsonException error)
        {
            return Refused([(new FlowFault("/", $"This is not JSON: {FirstSentence(error.Message)}"), (int?)(error.LineNumber ?? 0) + 1)]);
        }
        var (_, faults) = FlowService.Validate(document);
        if (faults.Count > 0)
        {
            var lines = FlowDocumentLines.Of(text);
            return Refused(faults.Select(f => (f, FlowDocumentLines.Find(lines, f.Path))).ToList());
        }
        var saved = Flow is null
            ? await flows.CreateAsync(Workspace.Id, document, Me.Actor, ct)
            : await flows.UpdateAsync(Workspace.Id, Flow.FlowId, document, Me.Actor, ct);
        if (!saved.Succeeded)
        {
            // Validated above, so only a flow deleted meanwhile gets here.
            return saved.Error!.Status == StatusCodes.Status404NotFound ? NotFound() : Refused([(new FlowFault(saved.Error.Param ?? "/", saved.Error.Message), null)]);
        }
        return Done($"flows/{saved.Value!.FlowId}", $"Saved {saved.Value.Name}, version {saved.Value.Version}.");
    }

    PageResult Refused(IReadOnlyList<(FlowFault, int?)> faults)
    {
        Faults = faults;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    // System.Text.Json's message names the line and position itself, then adds a sentence about the path.
    static string FirstSentence(string message) => message.Split(" Path:", 2)[0];
}
