using System.Text.Encodings.Web;
using System.Text.Json;
using Hatbox.Features.Flows;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// One run as <c>GET /v1/…/flows/runs/{id}</c> answers it, with a timeline of its steps: id, kind,
/// status, attempts, duration, input, output and error, and a <c>wait</c>'s deadline. JSON is shown
/// pretty-printed and cut past <see cref="MaxShownChars"/>, with a note, so a large output cannot make
/// the page huge.
/// </summary>
internal sealed class FlowRunModel(WorkspaceService workspaces, WorkspaceHosts hosts, WorkspaceAccess access, FlowService flows)
    : FlowPage(workspaces, hosts, access)
{
    public const int MaxShownChars = 20_000;

    static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public FlowRunResponse Run { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string flowId, string runId, CancellationToken ct)
    {
        if (!await RequireAccessAsync(ct))
        {
            return Page();
        }
        var found = await flows.GetRunAsync(Workspace.Id, runId, ct);
        // The run must be this flow's too: one address per run.
        if (!found.Succeeded || found.Value!.FlowId != flowId)
        {
            return NotFound();
        }
        Run = found.Value;
        return Page();
    }

    /// <summary>The value as indented JSON, and whether it was cut.</summary>
    public static (string Text, bool Cut) Show(JsonElement? value)
    {
        // Razor encodes the text for HTML; relaxed escaping keeps quotes and non-ASCII readable.
        var text = value is { } v ? JsonSerializer.Serialize(v, Pretty) : "null";
        return text.Length > MaxShownChars ? (text[..MaxShownChars], true) : (text, false);
    }
}
