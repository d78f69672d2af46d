using Hatbox.Features.Accounts;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Hatbox.Portal;

/// <summary>
/// A page inside one workspace. Before any handler runs it finds the workspace (from the path's
/// <c>{slug}</c> or the host) as the signed-in user sees it; a workspace that does not exist and
/// one the user is not a member of get the same 404 page, as in the management API.
/// </summary>
internal abstract class WorkspacePage(WorkspaceService workspaces, WorkspaceHosts hosts) : PageModel
{
    public WorkspaceResponse Workspace { get; private set; } = null!;

    public SignedInUser Me { get; private set; } = null!;

    /// <summary>Where this workspace's pages live for this request: <c>/workspace</c> on its own host, else <c>/w/{slug}/workspace</c>.</summary>
    public string Home { get; private set; } = "";

    public bool IsAdmin => Workspace.Role == "admin";

    /// <summary>A one-line result of the last form, shown once after its redirect.</summary>
    [TempData]
    public string? Flash { get; set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var pathSlug = RouteData.Values["slug"] as string;
        var slug = pathSlug ?? hosts.SlugOf(Request);
        Me = SignedInUser.From(User)!;
        var workspace = slug is null ? null : await workspaces.FindForMemberAsync(slug, Me.UserId, HttpContext.RequestAborted);
        // Only slugs: a workspace id in the path would make a second address for the same page.
        if (workspace is null || workspace.Slug != slug)
        {
            context.Result = new ViewResult
            {
                ViewName = "WorkspaceNotFound",
                StatusCode = StatusCodes.Status404NotFound,
                ViewData = new ViewDataDictionary(MetadataProvider, new ModelStateDictionary()),
            };
            return;
        }
        Workspace = workspace;
        Home = pathSlug is null ? "/workspace" : $"/w/{slug}/workspace";
        ViewData["Workspace"] = workspace;
        ViewData["WorkspaceHome"] = Home;
        await next();
    }

    /// <summary>Post/redirect/get after a change: <paramref name="result"/> shows once on the page, and a reload posts nothing.</summary>
    protected IActionResult Done(string page, string result)
    {
        Flash = result;
        return LocalRedirect($"{Home}/{page}");
    }

    /// <summary>
    /// A refused change, shown on the page that is rendered again with the refusal's status: next to
    /// <paramref name="field"/> when the error is about a parameter, else above the forms.
    /// </summary>
    protected void Refuse(Common.Errors.ApiError error, string? field = null)
    {
        ModelState.AddModelError(error.Param is null ? "" : field ?? "", error.Message);
        Response.StatusCode = error.Status;
    }
}
