using System.Globalization;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Features.Ai.NlQuery;
using Hatbox.Features.Db;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// The workspace's database: "Ask your data", a question answered by the same
/// <see cref="NlQueryService"/> as <c>/db/nl-query</c>, shown as a table with the SQL that ran.
/// Reading the data is for developers and above, as the API's keys are.
/// </summary>
internal sealed class DatabaseModel(WorkspaceService workspaces, WorkspaceHosts hosts, NlQueryService nlQuery, ITenantDatabaseProvider databases)
    : WorkspacePage(workspaces, hosts)
{
    [BindProperty] public string? Question { get; set; }

    [BindProperty] public string Environment { get; set; } = "production";

    public bool Allowed => Workspace.Role is "admin" or "leader" or "developer";

    public NlAnswer? Answer { get; private set; }

    public ApiError? Refusal { get; private set; }

    public void OnGet()
    {
        if (!Allowed)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }

    public async Task OnPostAsync(CancellationToken ct)
    {
        if (!Allowed)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (!DbEnvironments.TryParse(Environment, out var environment))
        {
            Refusal = DbErrors.InvalidEnvironment();
            return;
        }
        if (string.IsNullOrWhiteSpace(Question) || Question.Length > 1_000)
        {
            Refusal = NlQueryErrors.Missing();
            return;
        }
        var answer = await nlQuery.AnswerAsync(Workspace.Id, Workspace.OrganizationId, databases.Get(Workspace.Id, environment), environment,
            Question.Trim(), null, ct);
        Answer = answer.Value;
        Refusal = answer.Error;
        if (Refusal is not null)
        {
            Response.StatusCode = Refusal.Status;
        }
    }

    public static string Show(object? value) => value switch
    {
        null => "NULL",
        double real => real.ToString("G", CultureInfo.InvariantCulture),
        long integer => integer.ToString(CultureInfo.InvariantCulture),
        byte[] blob => $"({blob.Length} bytes)",
        _ => value.ToString() ?? "",
    };

    public static string ShowParameter(JsonElement value) => value.GetRawText();
}
